import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore

/// The fields every new action has (`action log`, `review add-action`).
struct ActionFields: ParsableArguments {
    @Option(help: h("What the change is.")) var title: String
    @Option(help: h("The layer it belongs to.")) var layer: String
    @Option(help: h("The KPI's metric it targets.")) var kpi: String
    @Option(help: h("channel/market/device it changes (default */*/*).")) var segment: String?
    @Option(help: h("ab-test | page | pricing | promotion | ads | email | other")) var kind: String
    @Option(help: h("What should change, and why.")) var hypothesis: String
    @Option(help: h("Owner (default: the layer owner).")) var owner: String?
    @Option(help: h("Impact,Confidence,Ease, each 1-10.")) var ice: String?
    @Option(help: h("The expected effect, e.g. \"+10% cart_to_checkout_rate\".")) var expected: String?
    @Option(help: h("A segment the change does not touch, for difference-in-differences.")) var controlSegment: String?
    @Option(help: h("Days after start excluded from the after window (default 0).")) var rampUp: Int?
    @Option(help: h("An explicit before window FROM..TO (default: the same length right before start).")) var before: String?
    @Option(help: h("Planned A/B split, e.g. control=50,treatment=50 (default equal).")) var split: String?
    @Option(help: h("Significance level (default 0.05).")) var alpha: Double?

    func makeInput() throws -> NewAction {
        try NewAction.parse(title: title, layer: layer, kpi: kpi, segment: segment, kind: kind, hypothesis: hypothesis, owner: owner, ice: ice,
                            expected: expected, controlSegment: controlSegment, rampUpDays: rampUp, before: before, split: split, alpha: alpha)
    }
}

/// `--today`, `--force` and `--reason` for commands that review gating applies to.
struct GateOptions: ParsableArguments {
    @Option(help: h("Treat this day as today (YYYY-MM-DD).")) var today: String?
    @Flag(help: h("Act even though the layer's review is overdue (needs --reason; audited).")) var force = false
    @Option(help: h("Why --force is justified.")) var reason: String?

    /// The `--today` override (nil: the workspace's clock) and the gate override.
    func resolved() throws -> (Day?, GateOverride?) {
        (try today.map { try Day(parsing: $0, field: "today") }, try GateOverride(force: force, reason: reason))
    }
}
