-- Question: per territory, device class and event-time minute, what are the playback SLIs
-- straight from the player events: attempts, start failures, fatal errors, playback success
-- rate, video start failure ratio, rebuffering (stall seconds per attempt), license latency?
--
-- Source: playback_telemetry (topic playback.telemetry), one row per player event. The
-- playback-slo job computes the same SLIs per session (start deadlines, play time between
-- events) and the license p95 from a KLL sketch; this is the event-level view over a TUMBLE
-- windowing TVF, useful to cross-check slo_metrics (playback-slo-metrics.sql) or to look at a
-- replay the job has not seen. A fatal ERROR is one with player state 'f' or none, as in the job.
--
-- Run:  bin/marquee sql -f jobs/sql/queries/playback-slis-per-minute.sql
--
-- Batch mode over the topic as it is now ('scan.bounded.mode' = 'latest-offset').

SET 'execution.runtime-mode' = 'batch';

CREATE TEMPORARY VIEW telemetry_now AS
SELECT CAST(`at` AS TIMESTAMP(3)) AS `at`, -- a plain timestamp: a view cannot carry the rowtime
       territory, deviceClass, eventType, playerState, bufferMs, licenseLatencyMs
FROM playback_telemetry /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */;

SELECT
  window_start,
  territory,
  deviceClass,
  attempts,
  start_failures,
  fatal_errors,
  CASE WHEN attempts = 0 THEN CAST(NULL AS DOUBLE)
       ELSE 1.0 - CAST(start_failures + fatal_errors AS DOUBLE) / attempts END AS success_rate,
  CASE WHEN attempts = 0 THEN CAST(NULL AS DOUBLE)
       ELSE CAST(start_failures AS DOUBLE) / attempts END AS start_failure_ratio,
  stall_seconds,
  license_requests,
  avg_license_ms,
  max_license_ms
FROM (
  SELECT
    window_start,
    territory,
    deviceClass,
    COUNT(*) FILTER (WHERE eventType = 'START') AS attempts,
    COUNT(*) FILTER (WHERE eventType = 'START_FAILURE') AS start_failures,
    COUNT(*) FILTER (WHERE eventType = 'ERROR' AND (playerState IS NULL OR playerState = 'f'))
      AS fatal_errors,
    COALESCE(SUM(CASE WHEN eventType = 'REBUFFER_END' THEN bufferMs END), 0) / 1000.0
      AS stall_seconds,
    COUNT(licenseLatencyMs) AS license_requests,
    AVG(CAST(licenseLatencyMs AS DOUBLE)) AS avg_license_ms,
    MAX(licenseLatencyMs) AS max_license_ms
  FROM TABLE(TUMBLE(TABLE telemetry_now, DESCRIPTOR(`at`), INTERVAL '1' MINUTE))
  GROUP BY window_start, window_end, territory, deviceClass
)
ORDER BY window_start, territory, deviceClass;
