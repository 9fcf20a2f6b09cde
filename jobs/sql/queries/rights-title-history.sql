-- Question: every change to one title's rights, in order: each right accepted, revised, revoked
-- or ignored (duplicate, stale revision), each right that arrived late, and each window that
-- opened, closed, was suspended or resumed, per country, with the hash chain that proves the
-- history is complete (bin/marquee audit verify checks it).
-- Change the contentId for another title.
--
-- Source: rights_audit (topic rights.audit, append-only, one chain per contentId).
--
-- Run:  bin/marquee sql -f jobs/sql/queries/rights-title-history.sql

SET 'execution.runtime-mode' = 'batch';

CREATE TEMPORARY TABLE audit_now
WITH ('scan.bounded.mode' = 'latest-offset')
LIKE rights_audit;

SELECT `sequence`, CAST(`at` AS STRING) AS at_utc, CAST(kind AS STRING) AS kind, rightId, revision,
       territory, detail, SUBSTRING(`hash`, 1, 12) AS hash_prefix
FROM audit_now
WHERE contentId = 'eidr:10.5240/1A2B-3C4D-5E6F-7A8B-9C0D-E'
ORDER BY `sequence`;
