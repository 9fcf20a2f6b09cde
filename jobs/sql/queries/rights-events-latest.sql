-- Question: what does each right say now? The highest revision of every rightId on
-- rights.events (CONTRACT.md: a higher revision replaces a lower one; an equal one is an
-- idempotent duplicate), with its status, territories and window.
--
-- Source: rights_events (topic rights.events, every revision as it was published).
--
-- Run:  bin/marquee sql -f jobs/sql/queries/rights-events-latest.sql
--
-- Batch mode over the topic as it is now. The bounded scan is a LIKE copy of the table rather
-- than an OPTIONS hint: Flink 2.2 fails to plan a batch query that outputs a watermarked column
-- (issuedAt here) read through a hint ("Conversion to relational algebra failed to preserve
-- datatypes"); aggregates over it are fine either way.

SET 'execution.runtime-mode' = 'batch';

CREATE TEMPORARY TABLE rights_events_now
WITH ('scan.bounded.mode' = 'latest-offset')
LIKE rights_events;

SELECT rightId, contentId, revision, status, territory, excludedTerritory,
       windowStart, windowEnd, exclusivity, licenseType, issuedAt
FROM (
  SELECT *,
         ROW_NUMBER() OVER (PARTITION BY rightId
                            ORDER BY revision DESC, kafka_offset ASC) AS rn
  FROM rights_events_now
)
WHERE rn = 1
ORDER BY contentId, rightId;
