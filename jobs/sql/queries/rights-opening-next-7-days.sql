-- Question: which windows open in the next 7 days, where? For each (title, country) that is not
-- playable now, catalog.availability carries `until`, the instant its next change is scheduled:
-- for an unavailable key that change is an opening. Encode and CDN pre-warm work from this list.
--
-- Source: catalog_availability (compacted topic catalog.availability).
--
-- Run:  bin/marquee sql -f jobs/sql/queries/rights-opening-next-7-days.sql

SET 'execution.runtime-mode' = 'batch';

CREATE TEMPORARY TABLE availability_now
WITH ('scan.bounded.mode' = 'latest-offset')
LIKE catalog_availability;

SELECT CAST(`until` AS STRING) AS opens_at, territory, contentId
FROM availability_now
WHERE NOT available
  AND `until` > CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3))
  AND `until` <= CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3)) + INTERVAL '7' DAY
ORDER BY opens_at, territory, contentId;
