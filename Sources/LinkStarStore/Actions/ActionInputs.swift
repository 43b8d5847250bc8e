import Foundation
import GRDB
import LinkStarCore

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

/// The plan fields `action edit` changes while the action is proposed (nil: keep).
public struct ActionChanges: Sendable, Equatable {
    public var title: String?
    public var hypothesis: String?
    public var expected: String?
    public var ice: ICEScore?
    public var ownerHandle: String?

    public init(title: String? = nil, hypothesis: String? = nil, expected: String? = nil, ice: ICEScore? = nil, ownerHandle: String? = nil) {
        self.title = title
        self.hypothesis = hypothesis
        self.expected = expected
        self.ice = ice
        self.ownerHandle = ownerHandle
    }

    /// Changes from the text people type or send; the CLI and the API both use it. At least one field.
    public static func parse(title: String?, hypothesis: String?, expected: String?, ice: String?, owner: String?) throws -> ActionChanges {
        let changes = ActionChanges(title: title, hypothesis: hypothesis, expected: expected, ice: try ice.map { try ICEScore(parsing: $0) },
                                    ownerHandle: owner)
        if changes == ActionChanges() { throw LinkStarError.invalidField("title", "say what to change: title, hypothesis, expected, ice or owner") }
        for (field, text, limit) in [("title", title, InputLimits.maxShortText), ("hypothesis", hypothesis, InputLimits.maxText),
                                     ("expected", expected, InputLimits.maxShortText)] {
            guard let text else { continue }
            if field != "expected" && text.trimmingCharacters(in: .whitespaces).isEmpty { throw LinkStarError.invalidField(field, "cannot be blank") }
            try InputLimits.checkLength(text, field: field, max: limit)
        }
        return changes
    }
}
