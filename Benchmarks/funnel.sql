-- The hand-written equivalent of `linkstar funnel --from FROM --to TO [--channel CHANNEL] --json`, like for like: each
-- step's rate over the cells (segment × day) that report both stages, its coverage, and its change over the segments
-- with matched cells in both windows (the window before, of the same length).
-- Parameters (set by the benchmark scripts, in days since 1970-01-01): @from, @to, @compare_from, and @channel (NULL
-- for every channel). Benchmarks/funnel.sh: 2028-09-01 = 21429 to 2028-09-30 = 21458, compared from 21399, amazon.
.mode json
WITH ids AS (SELECT id, key FROM metric WHERE key IN ('impressions', 'clicks', 'sessions', 'product_views', 'add_to_cart', 'checkouts', 'orders')),
cells AS (
  SELECT o.day >= @from AS now, o.segment_id,
         max(CASE WHEN i.key = 'impressions' THEN o.value END) AS impressions,
         max(CASE WHEN i.key = 'clicks' THEN o.value END) AS clicks,
         max(CASE WHEN i.key = 'sessions' THEN o.value END) AS sessions,
         max(CASE WHEN i.key = 'product_views' THEN o.value END) AS product_views,
         max(CASE WHEN i.key = 'add_to_cart' THEN o.value END) AS add_to_cart,
         max(CASE WHEN i.key = 'checkouts' THEN o.value END) AS checkouts,
         max(CASE WHEN i.key = 'orders' THEN o.value END) AS orders
  FROM observation o JOIN ids i ON i.id = o.metric_id
  WHERE o.day BETWEEN @compare_from AND @to AND o.segment_id IN (SELECT id FROM segment WHERE @channel IS NULL OR channel = @channel)
  GROUP BY o.day, o.segment_id),
pairs AS (
  SELECT 1 AS position, 'impressions' AS from_metric, 'clicks' AS to_metric, now, segment_id, impressions AS a, clicks AS b FROM cells
  UNION ALL SELECT 2, 'sessions', 'product_views', now, segment_id, sessions, product_views FROM cells
  UNION ALL SELECT 3, 'product_views', 'add_to_cart', now, segment_id, product_views, add_to_cart FROM cells
  UNION ALL SELECT 4, 'add_to_cart', 'checkouts', now, segment_id, add_to_cart, checkouts FROM cells
  UNION ALL SELECT 5, 'checkouts', 'orders', now, segment_id, checkouts, orders FROM cells),
per_segment AS (
  SELECT position, from_metric, to_metric, now, segment_id,
         total(CASE WHEN b IS NOT NULL THEN a END) AS n, total(CASE WHEN a IS NOT NULL THEN b END) AS k,
         total(a) AS observed, count(CASE WHEN a IS NOT NULL AND b IS NOT NULL THEN 1 END) AS matched
  FROM pairs GROUP BY position, from_metric, to_metric, now, segment_id),
common AS (
  SELECT position, segment_id FROM per_segment WHERE matched > 0 GROUP BY position, segment_id HAVING count(DISTINCT now) = 2),
steps AS (
  SELECT s.position, s.from_metric, s.to_metric,
         sum(CASE WHEN s.now THEN s.k END) / sum(CASE WHEN s.now THEN s.n END) AS rate,
         sum(CASE WHEN s.now THEN s.n END) / sum(CASE WHEN s.now THEN s.observed END) AS coverage,
         sum(CASE WHEN s.now AND c.segment_id IS NOT NULL THEN s.k END) / sum(CASE WHEN s.now AND c.segment_id IS NOT NULL THEN s.n END) AS comparable_rate,
         sum(CASE WHEN NOT s.now AND c.segment_id IS NOT NULL THEN s.k END) / sum(CASE WHEN NOT s.now AND c.segment_id IS NOT NULL THEN s.n END) AS compare_rate
  FROM per_segment s LEFT JOIN common c ON c.position = s.position AND c.segment_id = s.segment_id
  GROUP BY s.position, s.from_metric, s.to_metric HAVING sum(CASE WHEN s.now THEN s.observed END) > 0)
SELECT from_metric, to_metric, rate, coverage, comparable_rate, compare_rate, comparable_rate - compare_rate AS change,
       (comparable_rate - compare_rate) / compare_rate AS relative_change
FROM steps ORDER BY position;
