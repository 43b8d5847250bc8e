import Foundation
import GRDB
import LinkStarCore

/// A row of `review`.
struct ReviewRecord: MutableSnakeCaseRecord, Equatable {
    static let databaseTableName = "review"
    var id: Int64?
    var scope: String
    var cadence: String
    var periodLabel: String
    var periodFrom: Int
    var periodTo: Int
    var dueOn: Int
    var playbookVersionId: Int64?
    var status: String
    var startedBy: String
    var startedAt: String
    var closedBy: String?
    var closedAt: String?
    var snapshotJson: String?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var period: DayRange { try! DayRange(from: Day(ordinal: periodFrom), to: Day(ordinal: periodTo)) }
}

/// A row of `review_item`.
struct ReviewItemRecord: SnakeCaseRecord, Equatable {
    static let databaseTableName = "review_item"
    var reviewId: Int64
    var position: Int
    var source: String
    var text: String
    var optional: Bool
    var ref: String?
    var checkedBy: String?
    var checkedAt: String?
    var note: String?
}

/// A row of `review_note`.
struct ReviewNoteRecord: MutableSnakeCaseRecord, Equatable {
    static let databaseTableName = "review_note"
    var id: Int64?
    var reviewId: Int64
    var kind: String
    var text: String
    var author: String
    var createdAt: String

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
