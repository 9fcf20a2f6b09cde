-- Question: which titles were played where they had no entitlement, why (no right, window
-- closed, format not licensed), how often, and between which instants?
--
-- Source: compliance_violations (topic compliance.violations), one row per playback start the
-- playback-compliance job found unentitled at its own instant, with the missing right.
--
-- Run:  bin/marquee sql -f jobs/sql/queries/compliance-violations-by-title.sql

SET 'execution.runtime-mode' = 'batch';

SELECT
  contentId,
  territory,
  reason,
  COUNT(*) AS plays,
  COUNT(DISTINCT deviceClass) AS device_classes,
  MIN(`at`) AS first_play,
  MAX(`at`) AS last_play,
  MAX(lastRightId) AS right_id,
  MAX(missing) AS example
FROM compliance_violations /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */
GROUP BY contentId, territory, reason
ORDER BY plays DESC, contentId, territory;
