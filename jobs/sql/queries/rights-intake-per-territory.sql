-- Question: how many rights events has the rights-intake job counted per territory so far,
-- split into active revisions and revocations, and over which event-time span?
--
-- Source: rights_intake_counts (topic rights.intake.counts), one row per territory and
-- event-time window written by the rights-intake job; this sums the windows.
--
-- Run:  bin/marquee sql -f jobs/sql/queries/rights-intake-per-territory.sql
--
-- Batch mode over the topic as it is now ('scan.bounded.mode' = 'latest-offset'), so the
-- script ends with one final table instead of a changelog.

SET 'execution.runtime-mode' = 'batch';

SELECT
  territory,
  SUM(total)       AS events,
  SUM(active)      AS active,
  SUM(revoked)     AS revoked,
  COUNT(*)         AS windows,
  MIN(windowStart) AS first_window_start,
  MAX(windowEnd)   AS last_window_end
FROM rights_intake_counts /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */
GROUP BY territory
ORDER BY events DESC, territory;
