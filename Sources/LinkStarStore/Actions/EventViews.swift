import Foundation
import GRDB
import LinkStarCore

/// An event as shown to users.
public struct EventView: Codable, Sendable, Equatable {
    public var id: Int64
    public var kind: EventKind
    public var title: String
    public var from: Day
    public var to: Day
    public var segment: Segment
    public var createdBy: String
    public var createdAt: Date

    /// `Prime Day (promo, 2026-07-15..2026-07-16, amazon/US/*)`.
    public var label: Message { "\(title) (\(kind), \(from == to ? from.description : "\(from)..\(to)"), \(segment))" }
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

/// The fields `event edit` changes (nil: keep).
public struct EventChanges: Sendable, Equatable {
    public var kind: EventKind?
    public var title: String?
    public var from: Day?
    public var to: Day?
    public var segment: Segment?

    public init(kind: EventKind? = nil, title: String? = nil, from: Day? = nil, to: Day? = nil, segment: Segment? = nil) {
        self.kind = kind
        self.title = title
        self.from = from
        self.to = to
        self.segment = segment
    }

    /// Changes from the text people type or send; the CLI and the API both use it.
    public static func parse(kind: String?, title: String?, from: String?, to: String?, segment: String?) throws -> EventChanges {
        let changes = EventChanges(kind: try kind.map { try EventKind.parse($0, field: "kind") }, title: title,
                                   from: try from.map { try Day(parsing: $0, field: "from") }, to: try to.map { try Day(parsing: $0, field: "to") },
                                   segment: try segment.map { try Segment(parsing: $0) })
        if changes == EventChanges() { throw LinkStarError.invalidField("title", "say what to change: kind, title, from, to or segment") }
        return changes
    }
}

/// A row of `event`.
struct EventRecord: MutableSnakeCaseRecord, Equatable {
    static let databaseTableName = "event"
    var id: Int64?
    var kind: String
    var title: String
    var fromDay: Int
    var toDay: Int
    var channel: String
    var market: String
    var device: String
    var createdBy: String
    var createdAt: String
    /// Set when deleted (soft: the row and its audit stay; it no longer shows or confounds).
    var deletedAt: String? = nil
    var deletedBy: String? = nil
    var deleteReason: String? = nil

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var segment: Segment { (try? Segment(channel: channel, market: market, device: device)) ?? .all }
}
