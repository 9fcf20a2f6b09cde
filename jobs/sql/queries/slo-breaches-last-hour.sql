-- Question: in the last hour (of event time: the hour before the newest SLO window written, so
-- it works on a replay as on live traffic), which territories breached which SLIs, in how many
-- windows, and which alerts were raised and recovered there?
--
-- Sources: slo_metrics (topic slo.metrics) for breached windows, slo_alerts (topic slo.alerts)
-- for alerts (SUSTAINED_BREACH, FAST_BURN, SLOW_BURN, PROPAGATION_BREACH) and RECOVERY records,
-- which name the alert they end in `recovers`.
--
-- Run:  bin/marquee sql -f jobs/sql/queries/slo-breaches-last-hour.sql

SET 'execution.runtime-mode' = 'batch';

CREATE TEMPORARY VIEW metrics_now AS
SELECT territory, deviceClass, sli, CAST(windowEnd AS TIMESTAMP(3)) AS windowEnd, `value`,
       target, breached
FROM slo_metrics /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */;

CREATE TEMPORARY VIEW alerts_now AS
SELECT alertId, kind, recovers, sli, territory, CAST(raisedAt AS TIMESTAMP(3)) AS raisedAt
FROM slo_alerts /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */;

CREATE TEMPORARY VIEW last_hour AS
SELECT MAX(windowEnd) - INTERVAL '1' HOUR AS since, MAX(windowEnd) AS until FROM metrics_now;

-- Breached windows per territory and SLI.
SELECT
  m.territory,
  m.sli,
  COUNT(*) AS breached_windows,
  COUNT(DISTINCT m.deviceClass) AS device_classes,
  MAX(m.`value`) AS worst_value,
  MAX(m.target) AS target
FROM metrics_now AS m CROSS JOIN last_hour AS h
WHERE m.breached AND m.windowEnd > h.since AND m.windowEnd <= h.until
GROUP BY m.territory, m.sli
ORDER BY breached_windows DESC, m.territory, m.sli;

-- Alerts raised in that hour per territory, and how many of them have recovered since.
SELECT
  a.territory,
  a.kind,
  a.sli,
  COUNT(*) AS raised,
  COUNT(r.alertId) AS recovered
FROM alerts_now AS a
  CROSS JOIN last_hour AS h
  LEFT JOIN (SELECT alertId, recovers FROM alerts_now WHERE kind = 'RECOVERY') AS r
    ON r.recovers = a.alertId
WHERE a.kind <> 'RECOVERY' AND a.kind <> 'WINDOW_OPENED'
  AND a.raisedAt > h.since AND a.raisedAt <= h.until
GROUP BY a.territory, a.kind, a.sli
ORDER BY raised DESC, a.territory;
