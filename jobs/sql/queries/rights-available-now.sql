-- Question: what is available in Japan right now? Every title whose current availability in JP
-- (catalog.availability, kept current by the rights-lifecycle job) says playable, and until when.
-- Change 'JP' for another country (ISO 3166-1 alpha-2; regions are expanded by the job, so ask
-- per country).
--
-- Source: catalog_availability (compacted topic catalog.availability: latest state per
-- contentId|territory).
--
-- Run:  bin/marquee sql -f jobs/sql/queries/rights-available-now.sql
--
-- "Now" is the SQL client's clock. The `until` test also excludes a window that has just closed
-- but whose CLOSED record the job has not committed yet (it commits on its next checkpoint).

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

SELECT contentId, rightId, CAST(effectiveFrom AS STRING) AS since,
       COALESCE(CAST(`until` AS STRING), 'open-ended') AS `until`, formatProfiles
FROM availability_now
WHERE territory = 'JP'
  AND available
  AND effectiveFrom <= CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3))
  AND (`until` IS NULL OR `until` > CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3)))
ORDER BY contentId;
