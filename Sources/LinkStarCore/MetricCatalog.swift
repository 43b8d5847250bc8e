/// The default metric catalog seeded by `init`: one exact definition per word, so "conversion" means one thing.
public enum MetricCatalog {
    private static func base(_ key: String, _ name: String, _ unit: MetricUnit, _ direction: MetricDirection,
                             _ layer: LayerKey, _ definition: String) -> MetricDefinition {
        MetricDefinition(key: key, name: name, definition: definition, unit: unit, direction: direction, layer: layer, builtin: true)
    }

    private static func derived(_ key: String, _ name: String, _ formula: MetricFormula, _ unit: MetricUnit,
                                _ direction: MetricDirection, _ layer: LayerKey, bounded: Bool,
                                _ definition: String) -> MetricDefinition {
        MetricDefinition(key: key, name: name, definition: definition, unit: unit, direction: direction, layer: layer,
                         formula: formula, upperBound: bounded ? 1 : nil, builtin: true)
    }

    /// Base metrics, observed per day and segment.
    public static let baseMetrics: [MetricDefinition] = [
        base("impressions", "Impressions", .count, .up, .traffic,
             "Times an ad or listing was shown (ad platform or marketplace impressions)."),
        base("clicks", "Clicks", .count, .up, .traffic,
             "Clicks on ads or listings that lead to the store or product page."),
        base("sessions", "Sessions", .count, .up, .traffic,
             "Visits to the store or listing (Shopify sessions, Amazon 'Sessions - Total', GA4 sessions)."),
        base("bounced_sessions", "Bounced sessions", .count, .down, .landing,
             "Sessions that viewed a single page and left without any interaction."),
        base("page_views", "Page views", .count, .up, .landing,
             "Every view of a product or store page, several per session (Amazon 'Page Views - Total', Lazada 'Pageviews', GA4 'Views', Shopee 'Product Page Views'); not a funnel stage."),
        base("product_views", "Sessions with a product view", .count, .up, .landing,
             "Sessions (or visitors) that viewed a product page (Shopee 'Product Visitors (Visit)' / 商品访客数, GA4 view_item); a funnel stage, not page views."),
        base("add_to_cart", "Sessions with add-to-cart", .count, .up, .landing,
             "Sessions with at least one add-to-cart (Shopify 'Sessions with cart additions'); sessions, not units."),
        base("checkouts", "Sessions reaching checkout", .count, .up, .conversion,
             "Sessions that reached checkout (Shopify 'Sessions that reached checkout')."),
        base("orders", "Orders", .count, .up, .conversion,
             "Paid orders (Shopify 'Sessions that completed checkout', Amazon 'Total Order Items'); not units."),
        base("revenue", "Revenue", .currency, .up, .conversion,
             "Ordered product sales in the order currency, before refunds; never summed across currencies."),
        base("ad_spend", "Ad spend", .currency, .down, .traffic,
             "Advertising cost in the billing currency."),
        base("ad_sales", "Ad-attributed sales", .currency, .up, .traffic,
             "Sales the ad platform attributes to ads (Amazon Sponsored Products '7 Day Total Sales') in the ad account's currency; never store revenue."),
        base("ad_orders", "Ad-attributed orders", .count, .up, .traffic,
             "Orders the ad platform attributes to ads (Amazon Sponsored Products '7 Day Total Orders (#)'); never store orders."),
        base("customers", "Customers", .count, .up, .retention,
             "Distinct customers who ordered in the period."),
        base("repeat_customers", "Repeat customers", .count, .up, .retention,
             "Customers in the period who had ordered before."),
        base("refunds", "Refunds", .count, .down, .retention,
             "Orders refunded (fully or partly) in the period."),
        base("email_sends", "Email sends", .count, .up, .retention,
             "Emails delivered (Klaviyo 'Total Recipients' less bounces)."),
        base("email_clicks", "Email clicks", .count, .up, .retention,
             "Unique recipients who clicked (Klaviyo 'Unique Clicks')."),
    ]

    /// Derived metrics, always recomputed from summed counts.
    public static let derivedMetrics: [MetricDefinition] = [
        derived("ctr", "Click-through rate", MetricFormula(numerator: "clicks", denominator: "impressions"),
                .ratio, .up, .traffic, bounded: true, "clicks / impressions."),
        derived("roas", "Return on ad spend", MetricFormula(numerator: "ad_sales", denominator: "ad_spend"),
                .ratio, .up, .traffic, bounded: false, "ad_sales / ad_spend: attributed sales per unit of ad spend, as ad platforms report it."),
        derived("acos", "Advertising cost of sales", MetricFormula(numerator: "ad_spend", denominator: "ad_sales"),
                .ratio, .down, .traffic, bounded: false, "ad_spend / ad_sales: ad spend per unit of attributed sales (= 1 / roas)."),
        derived("tacos", "Total advertising cost of sales", MetricFormula(numerator: "ad_spend", denominator: "revenue"),
                .ratio, .down, .traffic, bounded: false, "ad_spend / revenue: ad spend per unit of store revenue (all sales, not only attributed)."),
        derived("blended_roas", "Blended ROAS", MetricFormula(numerator: "revenue", denominator: "ad_spend"),
                .ratio, .up, .traffic, bounded: false,
                "revenue / ad_spend: store revenue per unit of ad spend (= 1 / tacos); what roas meant before ad_sales existed."),
        derived("cpc", "Cost per click", MetricFormula(numerator: "ad_spend", denominator: "clicks"),
                .currency, .down, .traffic, bounded: false, "ad_spend / clicks."),
        derived("cpa", "Cost per ad-attributed order", MetricFormula(numerator: "ad_spend", denominator: "ad_orders"),
                .currency, .down, .traffic, bounded: false, "ad_spend / ad_orders."),
        derived("bounce_rate", "Bounce rate", MetricFormula(numerator: "bounced_sessions", denominator: "sessions"),
                .ratio, .down, .landing, bounded: true, "bounced_sessions / sessions."),
        derived("visit_to_cart_rate", "Visit to add-to-cart rate", MetricFormula(numerator: "add_to_cart", denominator: "sessions"),
                .ratio, .up, .landing, bounded: true, "add_to_cart / sessions: share of sessions that added to cart."),
        derived("cart_to_checkout_rate", "Cart to checkout rate", MetricFormula(numerator: "checkouts", denominator: "add_to_cart"),
                .ratio, .up, .conversion, bounded: true, "checkouts / add_to_cart: carts that reached checkout."),
        derived("checkout_to_order_rate", "Checkout to order rate", MetricFormula(numerator: "orders", denominator: "checkouts"),
                .ratio, .up, .conversion, bounded: true, "orders / checkouts: checkouts that were paid."),
        derived("conversion_rate", "Conversion rate", MetricFormula(numerator: "orders", denominator: "sessions"),
                .ratio, .up, .conversion, bounded: true,
                "orders / sessions: paid orders per session. Not add-to-cart, not checkout: payment."),
        derived("cart_abandonment_rate", "Cart abandonment rate",
                MetricFormula(numerator: "add_to_cart", subtract: "orders", denominator: "add_to_cart"),
                .ratio, .down, .conversion, bounded: true,
                "(add_to_cart - orders) / add_to_cart: carted sessions that did not end in a paid order (= 1 - orders / add_to_cart)."),
        derived("aov", "Average order value", MetricFormula(numerator: "revenue", denominator: "orders"),
                .currency, .up, .conversion, bounded: false, "revenue / orders, per currency."),
        derived("repeat_purchase_rate", "Repeat purchase rate", MetricFormula(numerator: "repeat_customers", denominator: "customers"),
                .ratio, .up, .retention, bounded: true, "repeat_customers / customers."),
        derived("refund_rate", "Refund rate", MetricFormula(numerator: "refunds", denominator: "orders"),
                .ratio, .down, .retention, bounded: true, "refunds / orders."),
        derived("email_ctr", "Email click-through rate", MetricFormula(numerator: "email_clicks", denominator: "email_sends"),
                .ratio, .up, .retention, bounded: true, "email_clicks / email_sends (unique clicks per delivered email)."),
    ]

    private static func loop(_ key: String, _ name: String, _ definition: String) -> MetricDefinition {
        MetricDefinition(key: key, name: name, definition: definition, unit: .count, direction: .up, layer: .feedback,
                         builtin: true, source: .workspace)
    }

    private static func loopShare(_ key: String, _ name: String, _ formula: MetricFormula, _ direction: MetricDirection,
                                  _ definition: String) -> MetricDefinition {
        MetricDefinition(key: key, name: name, definition: definition, unit: .ratio, direction: direction, layer: .feedback,
                         formula: formula, upperBound: 1, builtin: true, source: .workspace)
    }

    /// Loop-health metrics: computed from LinkStar's own records over a period (totals, not daily averages), so the
    /// feedback layer's owner is accountable for the loop itself. Workspace-wide: their KPIs use the segment */*/*.
    public static let loopMetrics: [MetricDefinition] = [
        loop("series_total", "Series", "Series (metric × segment) with an observation on or before the period's last day."),
        loop("series_fresh", "Fresh series", "Series whose newest observation is at most the allowed lag (stale_after_days) before the period's last day."),
        loop("reviews_due", "Reviews due", "Reviews whose due day falls in the period."),
        loop("reviews_on_time", "Reviews closed on time", "Reviews due in the period that were closed by their due day plus the grace days."),
        loop("actions_evaluated", "Actions evaluated", "Actions whose first evaluation was made in the period (a period total)."),
        loop("actions_won", "Actions won", "Actions evaluated in the period whose verdict was won."),
        loop("followups_due", "Follow-ups due", "Follow-up checkpoints due in the period."),
        loop("followups_on_time", "Follow-ups on time", "Follow-up checkpoints due in the period that were measured by their due day plus the grace days."),
        loop("followups_run", "Follow-ups run", "Follow-up measurements made in the period."),
        loop("followups_decayed", "Follow-ups decayed", "Follow-up measurements made in the period that found the win decayed."),
        loopShare("fresh_series_share", "Fresh series share", MetricFormula(numerator: "series_fresh", denominator: "series_total"), .up,
                  "series_fresh / series_total: share of the data that is up to date."),
        loopShare("review_on_time_share", "Reviews closed on time", MetricFormula(numerator: "reviews_on_time", denominator: "reviews_due"), .up,
                  "reviews_on_time / reviews_due: share of the period's reviews closed on time."),
        loopShare("win_share", "Win share", MetricFormula(numerator: "actions_won", denominator: "actions_evaluated"), .up,
                  "actions_won / actions_evaluated: share of evaluated actions that won."),
        loopShare("followup_on_time_share", "Follow-ups on time", MetricFormula(numerator: "followups_on_time", denominator: "followups_due"), .up,
                  "followups_on_time / followups_due: share of follow-up checkpoints measured on time."),
        loopShare("decay_share", "Decay share", MetricFormula(numerator: "followups_decayed", denominator: "followups_run"), .down,
                  "followups_decayed / followups_run: share of re-measured wins that had decayed."),
    ]

    /// The whole default catalog, base metrics first.
    public static let all: [MetricDefinition] = baseMetrics + derivedMetrics + loopMetrics

    /// A metric's name and definition in `language`: a built-in metric still as seeded reads in Chinese;
    /// a renamed or a team's own metric stays as written.
    public static func text(key: String, name: String, definition: String, language: Language) -> (name: String, definition: String) {
        guard language == .zh, let zh = Catalog.metricsZH[key] else { return (name, definition) }
        return (englishNames[key] == name ? zh.name : name, englishDefinitions[key] == definition ? zh.definition : definition)
    }

    /// Built-in names as seeded, by key.
    static let englishNames: [String: String] = Dictionary(all.map { ($0.key, $0.name) }, uniquingKeysWith: { first, _ in first })
    /// Built-in definitions as seeded, by key.
    static let englishDefinitions: [String: String] = Dictionary(all.map { ($0.key, $0.definition) }, uniquingKeysWith: { first, _ in first })
}
