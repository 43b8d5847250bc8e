-- Issue 11: true numbers on mixed exports.

-- Dated exchange rates: a rate applies from its day until the next rate of the same currency.
-- Rates set before this migration were "the" rate for every day, so they apply from the first supported day.
CREATE TABLE exchange_rate (
    reporting_currency TEXT NOT NULL CHECK (length(reporting_currency) = 3),
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    from_day           INTEGER NOT NULL CHECK (from_day BETWEEN 10957 AND 47481),
    rate               REAL NOT NULL CHECK (rate > 0),
    set_by             TEXT NOT NULL,
    set_at             TEXT NOT NULL,
    PRIMARY KEY (reporting_currency, currency, from_day)
) STRICT;
INSERT INTO exchange_rate (reporting_currency, currency, from_day, rate, set_by, set_at)
SELECT reporting_currency, currency, 10957, rate, set_by, set_at FROM fx_rate;
DROP TABLE fx_rate;

-- Where a metric's values come from: imported observations, or LinkStar's own records (loop-health counts).
ALTER TABLE metric ADD COLUMN source TEXT NOT NULL DEFAULT 'observations' CHECK (source IN ('observations', 'workspace'));

-- A currency KPI records the currency its baseline and target are in (NULL: set before this was recorded).
ALTER TABLE kpi ADD COLUMN currency TEXT CHECK (currency IS NULL OR (length(currency) = 3 AND currency = upper(currency)));

-- Ad metrics as sellers define them. roas was revenue / ad_spend and acos ad_spend / revenue: those rows, with
-- their KPIs and actions, keep their formulas under the names of what they compute (blended_roas, tacos), and the
-- audit log records the change for each metric and KPI. New roas and acos rows use attributed sales.
INSERT INTO audit_entry (at, actor, action, entity, entity_id, before_json, after_json, reason)
SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'migration', 'metric.rename', 'metric', 'roas',
       json_object('key', 'roas', 'formula', 'revenue / ad_spend'), json_object('key', 'blended_roas', 'formula', 'revenue / ad_spend'),
       'roas now means ad_sales / ad_spend; the store-revenue ratio is blended_roas'
FROM metric WHERE key = 'roas' AND numerator_key = 'revenue' AND denominator_key = 'ad_spend' AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'blended_roas');
INSERT INTO audit_entry (at, actor, action, entity, entity_id, before_json, after_json, reason)
SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'migration', 'kpi.metric', 'kpi', CAST(k.id AS TEXT),
       json_object('metric', m.key, 'formula', m.numerator_key || ' / ' || m.denominator_key),
       json_object('metric', CASE m.key WHEN 'roas' THEN 'blended_roas' ELSE 'tacos' END, 'formula', m.numerator_key || ' / ' || m.denominator_key),
       'the KPI keeps its formula; ' || m.key || ' now uses ad-attributed sales'
FROM kpi k JOIN metric m ON m.id = k.metric_id
WHERE (m.key = 'roas' AND m.numerator_key = 'revenue' AND m.denominator_key = 'ad_spend' AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'blended_roas'))
   OR (m.key = 'acos' AND m.numerator_key = 'ad_spend' AND m.denominator_key = 'revenue' AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'tacos'));
INSERT INTO audit_entry (at, actor, action, entity, entity_id, before_json, after_json, reason)
SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'migration', 'metric.rename', 'metric', 'acos',
       json_object('key', 'acos', 'formula', 'ad_spend / revenue'), json_object('key', 'tacos', 'formula', 'ad_spend / revenue'),
       'acos now means ad_spend / ad_sales; the store-revenue ratio is tacos'
FROM metric WHERE key = 'acos' AND numerator_key = 'ad_spend' AND denominator_key = 'revenue' AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'tacos');
UPDATE metric SET key = 'blended_roas', name = 'Blended ROAS',
       definition = 'revenue / ad_spend: store revenue per unit of ad spend (= 1 / tacos); what roas meant before ad_sales existed.'
WHERE key = 'roas' AND numerator_key = 'revenue' AND denominator_key = 'ad_spend' AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'blended_roas');
UPDATE metric SET key = 'tacos', name = 'Total advertising cost of sales',
       definition = 'ad_spend / revenue: ad spend per unit of store revenue (all sales, not only attributed).'
WHERE key = 'acos' AND numerator_key = 'ad_spend' AND denominator_key = 'revenue' AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'tacos');

-- product_views is now a funnel stage (sessions with a product view); page views get their own metric.
UPDATE metric SET name = 'Sessions with a product view',
       definition = 'Sessions (or visitors) that viewed a product page (Shopee ''Product Visitors (Visit)'' / 商品访客数, GA4 view_item); a funnel stage, not page views.'
WHERE key = 'product_views' AND builtin = 1;

-- New catalog metrics for workspaces that already have a catalog (a new workspace gets them from init);
-- a custom metric that already uses a key keeps it.
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'page_views', 'Page views', 'Every view of a product or store page, several per session (Amazon ''Page Views - Total'', Lazada ''Pageviews'', GA4 ''Views'', Shopee ''Product Page Views''); not a funnel stage.', 'count', 'up', 'landing', NULL, NULL, NULL, NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'observations'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'page_views');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'ad_sales', 'Ad-attributed sales', 'Sales the ad platform attributes to ads (Amazon Sponsored Products ''7 Day Total Sales'') in the ad account''s currency; never store revenue.', 'currency', 'up', 'traffic', NULL, NULL, NULL, NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'observations'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'ad_sales');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'ad_orders', 'Ad-attributed orders', 'Orders the ad platform attributes to ads (Amazon Sponsored Products ''7 Day Total Orders (#)''); never store orders.', 'count', 'up', 'traffic', NULL, NULL, NULL, NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'observations'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'ad_orders');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'roas', 'Return on ad spend', 'ad_sales / ad_spend: attributed sales per unit of ad spend, as ad platforms report it.', 'ratio', 'up', 'traffic', 'ad_sales', NULL, 'ad_spend', NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'observations'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'roas');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'acos', 'Advertising cost of sales', 'ad_spend / ad_sales: ad spend per unit of attributed sales (= 1 / roas).', 'ratio', 'down', 'traffic', 'ad_spend', NULL, 'ad_sales', NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'observations'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'acos');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'cpc', 'Cost per click', 'ad_spend / clicks.', 'currency', 'down', 'traffic', 'ad_spend', NULL, 'clicks', NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'observations'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'cpc');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'cpa', 'Cost per ad-attributed order', 'ad_spend / ad_orders.', 'currency', 'down', 'traffic', 'ad_spend', NULL, 'ad_orders', NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'observations'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'cpa');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'series_total', 'Series', 'Series (metric × segment) with an observation on or before the period''s last day.', 'count', 'up', 'feedback', NULL, NULL, NULL, NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'workspace'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'series_total');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'series_fresh', 'Fresh series', 'Series whose newest observation is at most the allowed lag (stale_after_days) before the period''s last day.', 'count', 'up', 'feedback', NULL, NULL, NULL, NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'workspace'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'series_fresh');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'reviews_due', 'Reviews due', 'Reviews whose due day falls in the period.', 'count', 'up', 'feedback', NULL, NULL, NULL, NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'workspace'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'reviews_due');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'reviews_on_time', 'Reviews closed on time', 'Reviews due in the period that were closed by their due day plus the grace days.', 'count', 'up', 'feedback', NULL, NULL, NULL, NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'workspace'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'reviews_on_time');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'actions_evaluated', 'Actions evaluated', 'Actions whose first evaluation was made in the period (a period total).', 'count', 'up', 'feedback', NULL, NULL, NULL, NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'workspace'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'actions_evaluated');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'actions_won', 'Actions won', 'Actions evaluated in the period whose verdict was won.', 'count', 'up', 'feedback', NULL, NULL, NULL, NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'workspace'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'actions_won');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'followups_due', 'Follow-ups due', 'Follow-up checkpoints due in the period.', 'count', 'up', 'feedback', NULL, NULL, NULL, NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'workspace'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'followups_due');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'followups_on_time', 'Follow-ups on time', 'Follow-up checkpoints due in the period that were measured by their due day plus the grace days.', 'count', 'up', 'feedback', NULL, NULL, NULL, NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'workspace'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'followups_on_time');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'followups_run', 'Follow-ups run', 'Follow-up measurements made in the period.', 'count', 'up', 'feedback', NULL, NULL, NULL, NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'workspace'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'followups_run');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'followups_decayed', 'Follow-ups decayed', 'Follow-up measurements made in the period that found the win decayed.', 'count', 'up', 'feedback', NULL, NULL, NULL, NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'workspace'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'followups_decayed');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'fresh_series_share', 'Fresh series share', 'series_fresh / series_total: share of the data that is up to date.', 'ratio', 'up', 'feedback', 'series_fresh', NULL, 'series_total', 1, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'workspace'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'fresh_series_share');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'review_on_time_share', 'Reviews closed on time', 'reviews_on_time / reviews_due: share of the period''s reviews closed on time.', 'ratio', 'up', 'feedback', 'reviews_on_time', NULL, 'reviews_due', 1, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'workspace'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'review_on_time_share');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'win_share', 'Win share', 'actions_won / actions_evaluated: share of evaluated actions that won.', 'ratio', 'up', 'feedback', 'actions_won', NULL, 'actions_evaluated', 1, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'workspace'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'win_share');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'followup_on_time_share', 'Follow-ups on time', 'followups_on_time / followups_due: share of follow-up checkpoints measured on time.', 'ratio', 'up', 'feedback', 'followups_on_time', NULL, 'followups_due', 1, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'workspace'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'followup_on_time_share');
INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key, upper_bound, builtin, created_at, source)
SELECT 'decay_share', 'Decay share', 'followups_decayed / followups_run: share of re-measured wins that had decayed.', 'ratio', 'down', 'feedback', 'followups_decayed', NULL, 'followups_run', 1, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'workspace'
WHERE EXISTS (SELECT 1 FROM metric WHERE builtin = 1) AND NOT EXISTS (SELECT 1 FROM metric WHERE key = 'decay_share');

-- Page views imported into product_views by the presets that read page-view columns move to page_views.
UPDATE observation SET metric_id = (SELECT id FROM metric WHERE key = 'page_views')
WHERE metric_id = (SELECT id FROM metric WHERE key = 'product_views')
  AND import_id IN (SELECT id FROM import_batch WHERE format IN ('amazon-business', 'lazada', 'ga4', 'shopee'))
  AND EXISTS (SELECT 1 FROM metric WHERE key = 'page_views' AND builtin = 1);
