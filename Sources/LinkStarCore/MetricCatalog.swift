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
        base("product_views", "Product views", .count, .up, .landing,
             "Product detail page views (Amazon 'Page Views - Total')."),
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
        derived("roas", "Return on ad spend", MetricFormula(numerator: "revenue", denominator: "ad_spend"),
                .ratio, .up, .traffic, bounded: false, "revenue / ad_spend, both in the same currency."),
        derived("acos", "Advertising cost of sales", MetricFormula(numerator: "ad_spend", denominator: "revenue"),
                .ratio, .down, .traffic, bounded: false, "ad_spend / revenue, both in the same currency."),
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

    /// The whole default catalog, base metrics first.
    public static let all: [MetricDefinition] = baseMetrics + derivedMetrics
}
