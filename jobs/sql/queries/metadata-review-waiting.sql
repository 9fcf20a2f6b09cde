-- Question: which titles are waiting for a person to decide? Every OPEN question on
-- metadata.review (identifier conflicts: two EIDRs drawn into one title; low-confidence title
-- matches between the thresholds), with its confidence, evidence and how long it has waited,
-- and the two candidate titles' current display titles.
--
-- Source: metadata_review (topic metadata.review, compacted by reviewId: a question answered by
-- a MERGE / KEEP_APART override is re-published RESOLVED) and catalog_titles.
--
-- Run:  bin/marquee sql -f jobs/sql/queries/metadata-review-waiting.sql
--
-- Answer a question by publishing an EditorialOverride (action MERGE or KEEP_APART, contentId =
-- candidateA, otherContentId = candidateB) to metadata.overrides: bin/marquee produce.

SET 'execution.runtime-mode' = 'batch';
-- Wide enough for a whole review id (two content ids) and most of the evidence.
SET 'table.display.max-column-width' = '100';

-- Batch mode reads only append tables, so both compacted topics are read as their logs (the
-- kafka connector, bounded at the latest offset) and the latest record per key is picked here:
-- a question answered since is RESOLVED in its latest record, whatever its first one said.
CREATE TEMPORARY TABLE review_log
WITH ('connector' = 'kafka', 'scan.startup.mode' = 'earliest-offset',
      'scan.bounded.mode' = 'latest-offset', 'key.fields' = 'kafka_key')
LIKE metadata_review (EXCLUDING CONSTRAINTS OVERWRITING OPTIONS);

CREATE TEMPORARY TABLE titles_log
WITH ('connector' = 'kafka', 'scan.startup.mode' = 'earliest-offset',
      'scan.bounded.mode' = 'latest-offset', 'key.fields' = 'kafka_key')
LIKE catalog_titles (EXCLUDING CONSTRAINTS OVERWRITING OPTIONS);

CREATE TEMPORARY VIEW reviews_now AS
SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY kafka_key ORDER BY kafka_offset DESC) AS rn
  FROM review_log
) WHERE rn = 1;

CREATE TEMPORARY VIEW titles_now AS
SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY kafka_key ORDER BY kafka_offset DESC) AS rn
  FROM titles_log
) WHERE rn = 1;

SELECT
  r.reviewId,
  r.kind,
  r.confidence,
  r.candidateA,
  a.titles AS titlesA,
  r.candidateB,
  b.titles AS titlesB,
  r.detail,
  r.raisedAt,
  TIMESTAMPDIFF(HOUR, r.raisedAt, CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3))) AS waited_hours
FROM reviews_now AS r
LEFT JOIN titles_now AS a ON a.contentId = r.candidateA
LEFT JOIN titles_now AS b ON b.contentId = r.candidateB
WHERE r.status = 'OPEN'
ORDER BY r.raisedAt, r.reviewId;
