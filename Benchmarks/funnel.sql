-- The hand-written equivalent of `linkstar funnel --from 2028-09-01 --to 2028-09-30 --channel amazon --json`:
-- stage volumes for the window and the 30 days before, each step's rate from summed counts and its change.
-- Days are stored as days since 1970-01-01: 2028-09-01 = 21429, 2028-09-30 = 21458.
.mode json
WITH stage(position, metric) AS (VALUES (1, 'impressions'), (2, 'clicks'), (3, 'sessions'), (4, 'product_views'),
                                        (5, 'add_to_cart'), (6, 'checkouts'), (7, 'orders')),
seg AS (SELECT id FROM segment WHERE channel = 'amazon'),
ids AS (SELECT id, key FROM metric WHERE key IN (SELECT metric FROM stage)),
raw AS (
  SELECT o.metric_id,
         total(CASE WHEN o.day BETWEEN 21429 AND 21458 THEN o.value END) AS volume,
         total(CASE WHEN o.day BETWEEN 21399 AND 21428 THEN o.value END) AS compare_volume
  FROM observation o
  WHERE o.day BETWEEN 21399 AND 21458 AND o.segment_id IN (SELECT id FROM seg) AND o.metric_id IN (SELECT id FROM ids)
  GROUP BY o.metric_id),
sums AS (SELECT ids.key AS metric, raw.volume, raw.compare_volume FROM raw JOIN ids ON ids.id = raw.metric_id),
present AS (SELECT s.position, s.metric, sums.volume, sums.compare_volume FROM stage s JOIN sums ON sums.metric = s.metric),
steps AS (
  SELECT a.metric AS from_metric, b.metric AS to_metric,
         b.volume / a.volume AS rate, b.compare_volume / a.compare_volume AS compare_rate
  FROM present a JOIN present b ON b.position = (SELECT min(position) FROM present WHERE position > a.position))
SELECT from_metric, to_metric, rate, compare_rate, rate - compare_rate AS change,
       (rate - compare_rate) / compare_rate AS relative_change
FROM steps ORDER BY (rate - compare_rate) / compare_rate;
