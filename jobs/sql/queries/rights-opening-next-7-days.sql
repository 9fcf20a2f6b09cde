-- Question: which windows open in the next 7 days, where? For each (title, country) that is not
-- playable now, catalog.availability carries `until`, the instant its next change is scheduled:
-- for an unavailable key that change is an opening. Encode and CDN pre-warm work from this list.
--
-- Source: catalog_availability (compacted topic catalog.availability).
--
-- Run:  bin/marquee sql -f jobs/sql/queries/rights-opening-next-7-days.sql

SET 'execution.runtime-mode' = 'batch';

-- Batch mode reads only append tables, so the compacted topic is read as its log (the kafka
-- connector, bounded at the latest offset) and the latest record per key is picked here.
CREATE TEMPORARY TABLE availability_log
WITH ('connector' = 'kafka', 'scan.startup.mode' = 'earliest-offset',
      'scan.bounded.mode' = 'latest-offset', 'key.fields' = 'kafka_key')
LIKE catalog_availability (EXCLUDING CONSTRAINTS OVERWRITING OPTIONS);

CREATE TEMPORARY VIEW availability_now AS
SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY kafka_key ORDER BY kafka_offset DESC) AS rn
  FROM availability_log
) WHERE rn = 1;

SELECT CAST(`until` AS STRING) AS opens_at, territory, contentId
FROM availability_now
WHERE NOT available
  AND `until` > CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3))
  AND `until` <= CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3)) + INTERVAL '7' DAY
ORDER BY opens_at, territory, contentId;
