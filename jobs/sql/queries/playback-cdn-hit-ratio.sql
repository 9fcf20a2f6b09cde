-- Question: how warm is each edge PoP? Cache hit ratio per territory and PoP over the last five
-- minutes, every minute (a sliding HOP window), with the SLO (>= 95 %) flagged.
--
-- Source: playback_telemetry (topic playback.telemetry), SEGMENT events that say whether the
-- edge cache hit. The playback-slo job reports the same SLI per one-minute window as
-- CDN_CACHE_HIT_RATIO on slo.metrics.
--
-- Run:  bin/marquee sql -f jobs/sql/queries/playback-cdn-hit-ratio.sql

SET 'execution.runtime-mode' = 'batch';

CREATE TEMPORARY VIEW segments_now AS
SELECT CAST(`at` AS TIMESTAMP(3)) AS `at`, territory, pop, cacheHit
FROM playback_telemetry /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */
WHERE eventType = 'SEGMENT' AND cacheHit IS NOT NULL AND pop IS NOT NULL;

SELECT
  window_start,
  window_end,
  territory,
  pop,
  COUNT(*) AS segments,
  CAST(SUM(CASE WHEN cacheHit THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS hit_ratio,
  CAST(SUM(CASE WHEN cacheHit THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) < 0.95 AS below_slo
FROM TABLE(
  HOP(TABLE segments_now, DESCRIPTOR(`at`), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE))
GROUP BY window_start, window_end, territory, pop
ORDER BY window_start, territory, pop;
