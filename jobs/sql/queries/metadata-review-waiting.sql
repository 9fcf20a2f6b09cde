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

SET 'execution.runtime-mode' = 'streaming';
SET 'sql-client.execution.result-mode' = 'tableau';
SET 'table.display.max-column-width' = '60';

SELECT
  r.reviewId,
  r.kind,
  r.confidence,
  r.candidateA,
  a.titles AS titlesA,
  r.candidateB,
  b.titles AS titlesB,
  r.detail,
  r.raisedAt
FROM metadata_review /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */ AS r
LEFT JOIN catalog_titles /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */ AS a
  ON a.contentId = r.candidateA
LEFT JOIN catalog_titles /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */ AS b
  ON b.contentId = r.candidateB
WHERE r.status = 'OPEN';
