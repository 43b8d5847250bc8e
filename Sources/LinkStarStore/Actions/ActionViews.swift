import Foundation
import GRDB
import LinkStarCore

/// An optimization action as shown to users.
public struct ActionView: Codable, Sendable, Equatable {
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
    /// Why it was cancelled (status `cancelled`).
    public var cancelReason: String?
    public var replicatedFrom: Int64?
    public var reviewId: Int64?
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date
}

/// An action after a write, with any warnings (e.g. a collision with another running action).
public struct ActionResult: Codable, Sendable, Equatable {
    public var action: ActionView
    public var warnings: [Message]
}

/// One A/B variant's counts.
public struct VariantView: Codable, Sendable, Equatable {
    public var variant: String
    public var exposures: Int
    public var conversions: Int
    public var rate: Double
    public var recordedBy: String?
    public var recordedAt: Date?
}

/// A measurement window.
public struct WindowSummary: Codable, Sendable, Equatable {
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
public struct VariantComparison: Codable, Sendable, Equatable {
    public var variant: String
    public var estimate: Double
    public var relativeChange: Double?
    public var ciLow: Double
    public var ciHigh: Double
    public var pValue: Double
}

/// The sample-ratio-mismatch check of an A/B test.
public struct SRMCheck: Codable, Sendable, Equatable {
    public var plannedSplit: [String: Double]
    public var statistic: Double
    public var pValue: Double
    public var mismatch: Bool
}

/// An evaluation or follow-up of an action, as stored and printed.
public struct ActionEvaluation: Codable, Sendable, Equatable {
    public var actionId: Int64
    public var purpose: EvaluationPurpose
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
    public var warnings: [Message]
    public var confoundedBy: [Message]
    public var originalEstimate: Double?
    public var decayed: Bool?
    public var evaluatedBy: String
    public var evaluatedAt: Date
}

/// A follow-up checkpoint.
public struct FollowupView: Codable, Sendable, Equatable {
    public var offsetDays: Int
    public var dueOn: Day
    public var done: Bool
    public var decayed: Bool?
    public var verdict: Verdict?
}

/// An action with its variants, evaluations, follow-ups, replications and history.
public struct ActionDetail: Codable, Sendable, Equatable {
    public var action: ActionView
    public var variants: [VariantView]
    public var evaluations: [ActionEvaluation]
    public var followups: [FollowupView]
    public var replications: [Int64]
    public var history: [AuditEntryView]
}
