-- Question: which titles' identity changed today? Titles created, merged (a duplicate joined),
-- split, re-anchored on another id (an EIDR arrived) or retired (withdrawn, or merged into
-- another title: supersededBy) since midnight, as opposed to titles whose descriptive fields
-- (titles, year, runtime) merely changed. Downstream systems keyed by contentId (rights,
-- encodes, pre-warm) must follow these.
--
-- Source: catalog_titles (topic catalog.titles, compacted: the current version of each title;
-- identityChangedAt is the event time of its last identity change).
--
-- Run:  bin/marquee sql -f jobs/sql/queries/metadata-identity-changed-today.sql
--
-- "Today" is the SQL session's local date: UTC, as the catalog sets it (SET
-- 'table.local-time-zone' to change it).

SET 'execution.runtime-mode' = 'batch';
-- Wide enough for a whole content id (eidr:10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C).
SET 'table.display.max-column-width' = '60';

-- Batch mode reads only append tables, so the compacted topic is read as its log (the kafka
-- connector, bounded at the latest offset) and the latest record per key is picked here.
CREATE TEMPORARY TABLE titles_log
WITH ('connector' = 'kafka', 'scan.startup.mode' = 'earliest-offset',
      'scan.bounded.mode' = 'latest-offset', 'key.fields' = 'kafka_key')
LIKE catalog_titles (EXCLUDING CONSTRAINTS OVERWRITING OPTIONS);

CREATE TEMPORARY VIEW titles_now AS
SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY kafka_key ORDER BY kafka_offset DESC) AS rn
  FROM titles_log
) WHERE rn = 1;

SELECT
  contentId,
  status,
  supersededBy,
  version,
  eidr,
  sources,
  identityChangedAt
FROM titles_now
WHERE identityChangedAt >= CAST(CURRENT_DATE AS TIMESTAMP(3))
ORDER BY identityChangedAt, contentId;
