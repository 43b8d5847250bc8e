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

/// Two-proportion z-test, used to say whether a step's change is more than noise.
public enum ProportionTest {
    /// Two-sided p-value for k1/n1 vs k2/n2 (pooled z-test); nil when undefined.
    public static func pValue(k1: Double, n1: Double, k2: Double, n2: Double) -> Double? {
        guard n1 > 0, n2 > 0, k1 >= 0, k2 >= 0, k1 <= n1, k2 <= n2 else { return nil }
        let pooled = (k1 + k2) / (n1 + n2)
        let variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
        guard variance > 0 else { return nil }
        let z = (k1 / n1 - k2 / n2) / variance.squareRoot()
        return erfc(abs(z) / 2.0.squareRoot())
    }
}
