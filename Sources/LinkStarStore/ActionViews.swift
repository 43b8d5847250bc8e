import Foundation
import LinkStarCore

/// An optimization action as shown to users.
public struct ActionView: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var id: Int64
    public var title: String
    public var layer: LayerKey
    public var metric: String
    public var segment: Segment
    public var kind: ActionKind
    public var hypothesis: String
    public var expected: String?
    public var owner: String?
    public var ice: ICEScore?
    public var iceScore: Double?
    public var status: ActionStatus
    public var startedOn: Day?
    public var stoppedOn: Day?
    public var rampUpDays: Int
    public var beforeWindow: DayRange?
    public var controlSegment: Segment?
    public var plannedSplit: [String: Double]?
    public var alpha: Double
    public var verdict: Verdict?
    public var decision: ActionDecision?
    public var decisionReason: String?
    public var replicatedFrom: Int64?
    public var reviewId: Int64?
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date
}

/// An action after a write, with any warnings (e.g. a collision with another running action).
public struct ActionResult: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var action: ActionView
    public var warnings: [String]
}

/// One A/B variant's counts.
public struct VariantView: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var variant: String
    public var exposures: Int
    public var conversions: Int
    public var rate: Double
    public var recordedBy: String?
    public var recordedAt: Date?
}

/// A measurement window.
public struct WindowSummary: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var from: Day
    public var to: Day
    public var days: Int
    public var daysWithData: Int
    /// For rates: the summed numerator and denominator.
    public var numerator: Double?
    public var denominator: Double?
    /// The rate (from sums) or the mean of daily values.
    public var value: Double?
}

/// A variant compared with control.
public struct VariantComparison: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var variant: String
    public var estimate: Double
    public var relativeChange: Double?
    public var ciLow: Double
    public var ciHigh: Double
    public var pValue: Double
}

/// The sample-ratio-mismatch check of an A/B test.
public struct SRMCheck: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var plannedSplit: [String: Double]
    public var statistic: Double
    public var pValue: Double
    public var mismatch: Bool
}

/// An evaluation or follow-up of an action, as stored and printed.
public struct ActionEvaluation: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var actionId: Int64
    public var purpose: String
    public var checkpointDays: Int?
    /// `ab-test`, `before-after-proportion`, `before-after-welch`, `diff-in-diff-proportion`, `diff-in-diff-welch`.
    public var method: String
    public var metric: String
    public var segment: Segment
    public var controlSegment: Segment?
    public var before: WindowSummary?
    public var after: WindowSummary?
    public var controlBefore: WindowSummary?
    public var controlAfter: WindowSummary?
    public var variants: [VariantView]?
    public var comparisons: [VariantComparison]?
    /// Absolute change (treatment − control, after − before, or difference of differences).
    public var estimate: Double
    public var relativeChange: Double?
    public var ciLow: Double
    public var ciHigh: Double
    public var pValue: Double
    public var statistic: Double
    public var degreesOfFreedom: Double?
    public var alpha: Double
    public var verdict: Verdict
    /// With a control segment: what a naive before/after would have said.
    public var naiveEstimate: Double?
    public var naivePValue: Double?
    public var naiveVerdict: Verdict?
    public var srm: SRMCheck?
    public var warnings: [String]
    public var confoundedBy: [String]
    public var originalEstimate: Double?
    public var decayed: Bool?
    public var evaluatedBy: String
    public var evaluatedAt: Date
}

/// A follow-up checkpoint.
public struct FollowupView: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var offsetDays: Int
    public var dueOn: Day
    public var done: Bool
    public var decayed: Bool?
    public var verdict: Verdict?
}

/// An action with its variants, evaluations, follow-ups, replications and history.
public struct ActionDetail: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var action: ActionView
    public var variants: [VariantView]
    public var evaluations: [ActionEvaluation]
    public var followups: [FollowupView]
    public var replications: [Int64]
    public var history: [AuditEntryView]
}

/// An event as shown to users.
public struct EventView: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var id: Int64
    public var kind: EventKind
    public var title: String
    public var from: Day
    public var to: Day
    public var segment: Segment
    public var createdBy: String
    public var createdAt: Date

    /// `Prime Day (promo, 2026-07-15..2026-07-16, amazon/US/*)`.
    public var label: String { "\(title) (\(kind.rawValue), \(from == to ? from.description : "\(from)..\(to)"), \(segment))" }
}

/// The input for `action log`.
public struct NewAction: Sendable, Equatable {
    public var title: String
    public var layer: LayerKey
    public var metric: String
    public var segment: Segment
    public var kind: ActionKind
    public var hypothesis: String
    public var ownerHandle: String?
    public var ice: ICEScore?
    public var expected: String?
    public var controlSegment: Segment?
    public var rampUpDays: Int
    public var beforeWindow: DayRange?
    public var plannedSplit: [String: Double]?
    public var alpha: Double
    /// The review this action came out of, if any.
    public var reviewId: Int64?

    public init(title: String, layer: LayerKey, metric: String, segment: Segment = .all, kind: ActionKind, hypothesis: String,
                ownerHandle: String? = nil, ice: ICEScore? = nil, expected: String? = nil, controlSegment: Segment? = nil,
                rampUpDays: Int = 0, beforeWindow: DayRange? = nil, plannedSplit: [String: Double]? = nil, alpha: Double = ActionRules.defaultAlpha,
                reviewId: Int64? = nil) {
        self.title = title
        self.layer = layer
        self.metric = metric
        self.segment = segment
        self.kind = kind
        self.hypothesis = hypothesis
        self.ownerHandle = ownerHandle
        self.ice = ice
        self.expected = expected
        self.controlSegment = controlSegment
        self.rampUpDays = rampUpDays
        self.beforeWindow = beforeWindow
        self.plannedSplit = plannedSplit
        self.alpha = alpha
        self.reviewId = reviewId
    }
}

/// The input for `event add`.
public struct NewEvent: Sendable, Equatable {
    public var kind: EventKind
    public var title: String
    public var period: DayRange
    public var segment: Segment

    public init(kind: EventKind, title: String, period: DayRange, segment: Segment = .all) {
        self.kind = kind
        self.title = title
        self.period = period
        self.segment = segment
    }
}

extension NewEvent {
    /// A new event from the text people type or send (`to` defaults to `from`); the CLI and the API both use it.
    public static func parse(kind: String, title: String, from: String, to: String?, segment: String?) throws -> NewEvent {
        let first = try Day(parsing: from, field: "from")
        let last = try to.map { try Day(parsing: $0, field: "to") } ?? first
        return NewEvent(kind: try EventKind.parse(kind, field: "kind"), title: title, period: try DayRange(from: first, to: last, field: "to"),
                        segment: try segment.map { try Segment(parsing: $0) } ?? .all)
    }
}

extension NewAction {
    /// Builds an action from the text people type or send (`kind`, `--ice 8,6,7`, `c/m/d` segments),
    /// naming the field that is wrong. The CLI and the API both use it.
    /// Every option an action has, as text or numbers; nil takes the default (`ActionRules`).
    public static func parse(title: String, layer: String, kpi: String, segment: String?, kind: String, hypothesis: String,
                             owner: String?, ice: String?, expected: String? = nil, controlSegment: String? = nil,
                             rampUpDays: Int? = nil, before: String? = nil, split: String? = nil, alpha: Double? = nil) throws -> NewAction {
        NewAction(title: title, layer: try LayerKey.parse(layer), metric: try MetricKey.validate(kpi.lowercased(), field: "kpi"),
                  segment: try segment.map { try Segment(parsing: $0) } ?? .all, kind: try ActionKind.parse(kind, field: "kind"),
                  hypothesis: hypothesis, ownerHandle: owner, ice: try ice.map { try ICEScore(parsing: $0) }, expected: expected,
                  controlSegment: try controlSegment.map { try Segment(parsing: $0, field: "control_segment") },
                  rampUpDays: rampUpDays ?? 0, beforeWindow: try before.map { try DayRange(parsing: $0, field: "before") },
                  plannedSplit: try split.map { try PlannedSplit.parse($0, field: "split") }, alpha: alpha ?? ActionRules.defaultAlpha)
    }
}

extension GateOverride {
    /// The override a `force` flag asks for: nil without force; a reason is required with it.
    public init?(force: Bool, reason: String?) throws {
        guard force else {
            if reason != nil { throw LinkStarError.invalidField("reason", "a reason goes with force") }
            return nil
        }
        guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw LinkStarError.invalidField("reason", "force needs a reason (it is audited)")
        }
        self.init(reason: reason)
    }
}
