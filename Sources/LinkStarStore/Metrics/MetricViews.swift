import Foundation
import GRDB
import LinkStarCore

/// A catalog metric.
public struct MetricView: Codable, Sendable, Equatable {
    public var key: String
    public var name: String
    public var definition: String
    public var unit: MetricUnit
    public var direction: MetricDirection
    public var layer: LayerKey
    public var derived: Bool
    public var formula: String?
    public var numerator: String?
    public var subtract: String?
    public var denominator: String?
    public var upperBound: Double?
    public var builtin: Bool
    /// `observations` (imported) or `workspace` (loop-health counts from LinkStar's own records).
    public var source: MetricSource
    /// True for funnel stages (counts of sessions reaching a step; see the README).
    public var funnelStage: Bool
    /// How a KPI on it aggregates a period: `rate`, `daily_average` or `period_total`.
    public var aggregation: MetricAggregation

    init(_ m: MetricDefinition) {
        key = m.key
        name = m.name
        definition = m.definition
        unit = m.unit
        direction = m.direction
        layer = m.layer
        derived = m.isDerived
        formula = m.formula?.description
        numerator = m.formula?.numerator
        subtract = m.formula?.subtract
        denominator = m.formula?.denominator
        upperBound = m.upperBound
        builtin = m.builtin
        source = m.source
        funnelStage = m.isFunnelStage
        aggregation = m.aggregation
    }
}

/// A KPI baseline as shown to users.
public struct BaselineView: Codable, Sendable, Equatable {
    public var value: Double
    public var from: Day
    public var to: Day
}

/// A KPI as shown to users.
public struct KPIView: Codable, Sendable, Equatable {
    public var id: Int64
    public var layer: LayerKey
    public var metric: String
    public var unit: MetricUnit
    public var direction: MetricDirection
    /// The metric's largest possible value (1 for rates), null when unbounded.
    public var upperBound: Double?
    public var segment: Segment
    /// The effective owner: the KPI's own, else the layer owner, else null.
    public var owner: String?
    /// `kpi` when set on the KPI, `layer` when inherited from the layer owner, null when unowned.
    public var ownerSource: OwnerSource?
    /// How the KPI's value aggregates a period: `rate`, `daily_average` (counts and amounts, per day with data) or `period_total`.
    public var aggregation: MetricAggregation
    /// The currency of a money KPI's baseline and target, recorded when they were set (null for other units).
    public var currency: String?
    public var baseline: BaselineView?
    public var target: Double?
    public var warningBand: WarningBand?
    public var createdAt: Date
    public var updatedAt: Date
    /// Set for a retired KPI: no longer judged; past statuses and review snapshots stay as they were.
    public var retired: RetiredKPI?
}

/// When, by whom and why a KPI was retired.
public struct RetiredKPI: Codable, Sendable, Equatable {
    public var at: Date
    public var by: String
    public var reason: String
}

/// The outcome of `kpi set`.
public struct KPISetResult: Codable, Sendable, Equatable {
    /// `created`, `updated` or `unchanged`.
    public var outcome: WriteOutcome
    public var kpi: KPIView
}
