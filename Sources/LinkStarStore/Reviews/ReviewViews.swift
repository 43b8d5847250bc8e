import Foundation
import GRDB
import LinkStarCore

/// Where a scope's review stands today.
public struct ReviewDue: Codable, Sendable, Equatable {
    public var scope: ReviewScope
    public var owner: String?
    public var cadence: ReviewCadence?
    /// The latest closed review.
    public var lastReviewId: Int64?
    public var lastPeriod: String?
    public var lastClosedAt: Date?
    /// The period that must be reviewed by now, and its due day.
    public var duePeriod: String?
    public var dueOn: Day?
    /// `done`, `open` (started, not closed), `due` (today), `overdue`, or `unscheduled` (no playbook).
    public var status: ReviewDueStatus
    public var daysOverdue: Int
    public var openReviewId: Int64?
    /// When the next review is due.
    public var nextDueOn: Day?
}

/// One checklist item of a review.
public struct ReviewItem: Codable, Sendable, Equatable {
    public var position: Int
    /// `playbook`, or what the tool added it for: `kpi`, `action`, `followup`, `data`, `owner`.
    public var source: ReviewItemSource
    public var text: String
    public var optional: Bool
    public var ref: String?
    public var checked: Bool
    public var checkedBy: String?
    public var checkedAt: Date?
    public var note: String?
}

/// A finding or decision recorded in a review.
public struct ReviewNote: Codable, Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var text: String
    public var author: String
    public var createdAt: Date
}

/// A review with its checklist and notes.
public struct ReviewView: Codable, Sendable, Equatable {
    public var id: Int64
    public var scope: ReviewScope
    public var cadence: ReviewCadence
    public var period: String
    public var from: Day
    public var to: Day
    public var dueOn: Day
    public var playbookVersion: Int?
    public var status: ReviewState
    public var owner: String?
    public var startedBy: String
    public var startedAt: Date
    public var closedBy: String?
    public var closedAt: Date?
    public var items: [ReviewItem]
    public var requiredOpen: Int
    public var findings: [ReviewNote]
    public var decisions: [ReviewNote]
    /// Dated addenda added after the review was closed (`review amend`); the review itself never changes.
    public var addenda: [ReviewNote]
}

/// What a closed review keeps of the period.
public struct ReviewSnapshot: Codable, Sendable, Equatable {
    public var kpis: [KPIStatusView]
    public var funnel: FunnelReport

    /// Decodes a stored snapshot. Snapshots closed before the like-for-like fields existed lack them: they are read
    /// with the values those reports implied (no coverage known, nothing partial, no segments listed), never recomputed.
    static func decode(_ json: String) -> ReviewSnapshot? {
        let decoder = LinkStarJSON.decoder()
        if let snapshot = try? decoder.decode(ReviewSnapshot.self, from: Data(json.utf8)) { return snapshot }
        guard var root = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else { return nil }
        func upgradeStep(_ step: Any) -> Any {
            guard var step = step as? [String: Any] else { return step }
            if step["partial"] == nil { step["partial"] = false }
            if step["left_out"] == nil { step["left_out"] = [Any]() }
            return step
        }
        if var kpis = root["kpis"] as? [[String: Any]] {
            for index in kpis.indices {
                if kpis[index]["partial"] == nil { kpis[index]["partial"] = false }
                if kpis[index]["aggregation"] == nil {
                    kpis[index]["aggregation"] = (kpis[index]["unit"] as? String) == MetricUnit.ratio.rawValue
                        ? MetricAggregation.rate.rawValue : MetricAggregation.dailyAverage.rawValue
                }
            }
            root["kpis"] = kpis
        }
        if var funnel = root["funnel"] as? [String: Any] {
            if funnel["coverage_threshold"] == nil { funnel["coverage_threshold"] = LikeForLike.defaultCoverageThreshold }
            if funnel["new_segments"] == nil { funnel["new_segments"] = [Any]() }
            if funnel["gone_segments"] == nil { funnel["gone_segments"] = [Any]() }
            for key in ["steps", "retention"] { funnel[key] = (funnel[key] as? [Any])?.map(upgradeStep) ?? [] }
            root["funnel"] = funnel
        }
        guard let data = try? JSONSerialization.data(withJSONObject: root) else { return nil }
        return try? decoder.decode(ReviewSnapshot.self, from: data)
    }
}

/// Actions touched in a review's period.
public struct ReviewActions: Codable, Sendable, Equatable {
    public var started: [ActionView]
    public var evaluated: [ActionView]
    public var followedUp: [ActionView]
    public var fromThisReview: [ActionView]
}

/// `review show`: the pack for the meeting.
public struct ReviewPack: Codable, Sendable, Equatable {
    public var review: ReviewView
    /// From the snapshot when closed, live otherwise.
    public var kpis: [KPIStatusView]
    public var funnel: FunnelReport
    public var actions: ReviewActions
}
