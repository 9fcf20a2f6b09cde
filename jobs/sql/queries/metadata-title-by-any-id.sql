-- Question: which canonical title does this id name? Looks titles up by any of their ids: the
-- contentId, the EIDR, or any alias (imdb:tt..., tmdb-movie:..., vendor:<vendor>:<id>, even a
-- flagged invalid one), and says which id matched. A RETIRED title is shown too (it is what an old
-- reference names), with supersededBy: the title that now holds its records.
--
-- Source: catalog_titles (topic catalog.titles, compacted: the current version of each title).
--
-- Run:  bin/marquee sql -f jobs/sql/queries/metadata-title-by-any-id.sql
--
-- Edit the ids in the `wanted` view (one row per id). Ids are compared in canonical form: an EIDR
-- as 10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C or eidr:10.5240/... (bin/marquee eidr check canonicalizes
-- any spelling), other ids as scheme:value. The scan is bounded at the topic's current end.

SET 'execution.runtime-mode' = 'batch';
-- Wide enough for a whole content id (eidr:10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C).
SET 'table.display.max-column-width' = '60';

CREATE TEMPORARY VIEW wanted AS
SELECT * FROM (VALUES ('imdb:tt9000001')) AS w (id);

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

-- Every way an id names a title: 1 its contentId, 2 its EIDR, 3 an alias, 4 an alias flagged
-- invalid. (Aliases are unnested with an inner join: a LEFT JOIN UNNEST of these NOT NULL rows
-- trips the planner.)
CREATE TEMPORARY VIEW id_matches AS
SELECT w.id AS looked_up, t.kafka_key, CASE WHEN t.contentId = w.id THEN 1 ELSE 2 END AS how
FROM titles_now AS t
CROSS JOIN wanted AS w
WHERE t.contentId = w.id OR t.eidr = w.id
UNION ALL
SELECT w.id AS looked_up, t.kafka_key, CASE WHEN a.valid THEN 3 ELSE 4 END AS how
FROM titles_now AS t
CROSS JOIN UNNEST(t.aliases) AS a (scheme, `value`, valid)
CROSS JOIN wanted AS w
WHERE a.scheme || ':' || a.`value` = w.id
   OR (a.scheme = 'eidr' AND a.`value` = w.id);

-- One row per (id, title) pair, with the strongest way it matched.
CREATE TEMPORARY VIEW best_matches AS
SELECT looked_up, kafka_key, MIN(how) AS how
FROM id_matches
GROUP BY looked_up, kafka_key;

SELECT
  m.looked_up,
  CASE m.how
    WHEN 1 THEN 'contentId'
    WHEN 2 THEN 'eidr'
    WHEN 3 THEN 'alias'
    ELSE 'alias (flagged invalid)'
  END AS matched_by,
  t.contentId,
  t.status,
  t.supersededBy,
  t.version,
  t.eidr,
  t.titles,
  t.releaseYear,
  t.runtimeMinutes,
  t.updatedAt
FROM best_matches AS m
JOIN titles_now AS t ON t.kafka_key = m.kafka_key
ORDER BY m.looked_up, t.status, t.contentId;
