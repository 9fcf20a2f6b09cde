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
-- "Today" is the SQL session's local date (SET 'table.local-time-zone' to change it).

SET 'execution.runtime-mode' = 'streaming';
SET 'sql-client.execution.result-mode' = 'tableau';

SELECT
  contentId,
  status,
  supersededBy,
  version,
  eidr,
  sources,
  identityChangedAt
FROM catalog_titles /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */
WHERE identityChangedAt >= CAST(CURRENT_DATE AS TIMESTAMP(3));
