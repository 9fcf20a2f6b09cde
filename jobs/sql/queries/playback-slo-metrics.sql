-- Question: what did the playback-slo job measure, per SLI, territory and device class (or PoP):
-- how many windows, how many of them breached, the worst and the average value against the
-- target?
--
-- Source: slo_metrics (topic slo.metrics), one row per SLI series and event-time window written by
-- the playback-slo job; also carries RIGHTS_PROPAGATION_MINUTES rows from the rights lifecycle
-- job (territory per opening, device '*').
--
-- Run:  bin/marquee sql -f jobs/sql/queries/playback-slo-metrics.sql

SET 'execution.runtime-mode' = 'batch';

SELECT
  sli,
  territory,
  deviceClass,
  pop,
  COUNT(*) AS windows,
  COUNT(*) FILTER (WHERE breached) AS breached_windows,
  MIN(`value`) AS min_value,
  AVG(`value`) AS avg_value,
  MAX(`value`) AS max_value,
  MAX(target) AS target,
  SUM(samples) AS samples
FROM slo_metrics /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */
GROUP BY sli, territory, deviceClass, pop
ORDER BY sli, breached_windows DESC, territory, deviceClass;
