-- Question: which canonical title does this id name? Looks a title up by any of its ids: its
-- contentId, its EIDR, or any alias (imdb:tt..., tmdb-movie:..., vendor:<vendor>:<id>, even a
-- flagged invalid one), and says which id matched.
--
-- Source: catalog_titles (topic catalog.titles, compacted: the current version of each title).
--
-- Run:  bin/marquee sql -f jobs/sql/queries/metadata-title-by-any-id.sql
--
-- Edit the id in the `wanted` view. Ids are compared in canonical form: an EIDR as
-- 10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C or eidr:10.5240/... (bin/marquee eidr check canonicalizes
-- any spelling), other ids as scheme:value. The scan is bounded at the topic's current end.

SET 'execution.runtime-mode' = 'streaming';
SET 'sql-client.execution.result-mode' = 'tableau';

CREATE TEMPORARY VIEW wanted AS SELECT 'imdb:tt9000001' AS id;

SELECT DISTINCT
  t.contentId,
  t.version,
  t.status,
  t.eidr,
  t.titles,
  t.releaseYear,
  t.runtimeMinutes,
  CASE
    WHEN t.contentId = w.id THEN 'contentId'
    WHEN a.`value` = w.id THEN 'alias ' || a.scheme
    ELSE 'alias ' || a.scheme || ':' || a.`value`
  END AS matched_by,
  t.updatedAt
FROM catalog_titles /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */ AS t
LEFT JOIN UNNEST(t.aliases) AS a (scheme, `value`, valid) ON TRUE
CROSS JOIN wanted AS w
WHERE t.contentId = w.id
   OR a.`value` = w.id
   OR a.scheme || ':' || a.`value` = w.id;
