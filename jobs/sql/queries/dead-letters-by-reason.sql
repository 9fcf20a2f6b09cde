-- Question: what was dead-lettered, by which job, and why? Counts per source topic, category
-- (UNDECODABLE, INVALID, LATE, UNKNOWN_REFERENCE, OTHER) and reason, across every DLQ.
--
-- Source: the *_dlq tables (topics <input topic>.dlq); every record a job could not process
-- lands there with its reason, so nothing is dropped silently.
--
-- Run:  bin/marquee sql -f jobs/sql/queries/dead-letters-by-reason.sql
--
-- Batch mode over each DLQ as it is now ('scan.bounded.mode' = 'latest-offset').

SET 'execution.runtime-mode' = 'batch';
-- Reasons are sentences: show them whole.
SET 'table.display.max-column-width' = '100';

SELECT
  sourceTopic,
  category,
  job,
  reason,
  COUNT(*)      AS records,
  MAX(failedAt) AS last_failed_at
FROM (
  SELECT sourceTopic, category, job, reason, failedAt
    FROM metadata_feed_raw_dlq /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */
  UNION ALL
  SELECT sourceTopic, category, job, reason, failedAt
    FROM metadata_overrides_dlq /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */
  UNION ALL
  SELECT sourceTopic, category, job, reason, failedAt
    FROM rights_events_dlq /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */
  UNION ALL
  SELECT sourceTopic, category, job, reason, failedAt
    FROM playback_telemetry_dlq /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */
  UNION ALL
  SELECT sourceTopic, category, job, reason, failedAt
    FROM encode_results_dlq /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */
  UNION ALL
  SELECT sourceTopic, category, job, reason, failedAt
    FROM demand_forecasts_dlq /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */
)
GROUP BY sourceTopic, category, job, reason
ORDER BY records DESC, sourceTopic, category, reason;
