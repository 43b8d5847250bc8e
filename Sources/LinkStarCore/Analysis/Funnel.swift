import Foundation

/// The funnel's stages top to bottom, and the retention steps after them.
public enum FunnelDefinition {
    /// Chains of stages, top to bottom. A stage counts sessions (or users) that also reached the stage before it,
    /// so on one cell it can never exceed it. Ad clicks are not a stage above sessions (sessions include organic
    /// and direct traffic), so the ads chain and the store chain are separate. `page_views` is not a stage:
    /// one session views many pages.
    public static let chains: [[String]] = [
        ["impressions", "clicks"],
        ["sessions", "product_views", "add_to_cart", "checkouts", "orders"],
    ]
    /// Every stage, chain by chain.
    public static let stages: [String] = chains.flatMap { $0 }
    /// Retention steps: (from, to).
    public static let retentionSteps: [(String, String)] = [
        ("customers", "repeat_customers"), ("orders", "refunds"), ("email_sends", "email_clicks"),
    ]

    /// True when the metric is a funnel stage.
    public static func isStage(_ metric: String) -> Bool { stages.contains(metric) }

    /// The chain a stage belongs to.
    public static func chain(of metric: String) -> Int? { chains.firstIndex { $0.contains(metric) } }

    /// Pairs (lower, upper) of stages in one chain: on one cell the lower can never exceed the upper.
    public static var stagePairs: [(String, String)] {
        chains.flatMap { chain in
            chain.indices.flatMap { lower in chain.indices.filter { $0 < lower }.map { (chain[lower], chain[$0]) } }
        }
    }

    /// Every base metric the funnel reads.
    public static var metrics: [String] {
        var all = stages
        for (from, to) in retentionSteps {
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
