import Foundation

/// The funnel's stages top to bottom, and the retention steps after them.
public enum FunnelDefinition {
    /// Acquisition stages, top to bottom.
    public static let stages = ["impressions", "clicks", "sessions", "product_views", "add_to_cart", "checkouts", "orders"]
    /// Retention steps: (from, to).
    public static let retentionSteps: [(String, String)] = [
        ("customers", "repeat_customers"), ("orders", "refunds"), ("email_sends", "email_clicks"),
    ]
    /// Every base metric the funnel reads.
    public static var metrics: [String] {
        var all = stages
        for (from, to) in retentionSteps where !all.contains(from) || !all.contains(to) {
            if !all.contains(from) { all.append(from) }
            if !all.contains(to) { all.append(to) }
        }
        return all
    }
}

/// Whether a step's change is more than noise: the p-value of the one pooled two-proportion z-test
/// (`HypothesisTests.twoProportion`), so the funnel and action evaluations cannot disagree.
public enum ProportionTest {
    /// Two-sided p-value for k1/n1 vs k2/n2; nil when undefined.
    public static func pValue(k1: Double, n1: Double, k2: Double, n2: Double) -> Double? {
        HypothesisTests.twoProportion(k1: k1, n1: n1, k2: k2, n2: n2)?.pValue
    }
}
