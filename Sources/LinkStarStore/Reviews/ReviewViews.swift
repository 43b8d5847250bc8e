import Foundation
import GRDB
import LinkStarCore

/// Where a scope's review stands today.
public struct ReviewDue: Codable, Sendable, Equatable, NullPreservingEncodable {
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
public struct ReviewItem: Codable, Sendable, Equatable, NullPreservingEncodable {
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
public struct ReviewNote: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var id: Int64
    public var kind: String
    public var text: String
    public var author: String
    public var createdAt: Date
}

/// A review with its checklist and notes.
public struct ReviewView: Codable, Sendable, Equatable, NullPreservingEncodable {
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
}

/// What a closed review keeps of the period.
public struct ReviewSnapshot: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var kpis: [KPIStatusView]
    public var funnel: FunnelReport
}

/// Actions touched in a review's period.
public struct ReviewActions: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var started: [ActionView]
    public var evaluated: [ActionView]
    public var followedUp: [ActionView]
    public var fromThisReview: [ActionView]
}

/// `review show`: the pack for the meeting.
public struct ReviewPack: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var review: ReviewView
    /// From the snapshot when closed, live otherwise.
    public var kpis: [KPIStatusView]
    public var funnel: FunnelReport
    public var actions: ReviewActions
}
