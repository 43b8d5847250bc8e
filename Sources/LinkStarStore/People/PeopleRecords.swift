import Foundation
import GRDB
import LinkStarCore

/// A row of `person`.
struct PersonRecord: MutableSnakeCaseRecord, Equatable {
    static let databaseTableName = "person"
    var id: Int64?
    var handle: String
    var displayName: String
    var role: String
    var contact: String?
    var createdAt: String
    /// False once deactivated: keeps the history, cannot act.
    var active: Bool = true
    /// The operating-system account that acts as this person on the CLI by default.
    var osUser: String?

    enum Columns {
        static let id = Column("id")
        static let handle = Column("handle")
        static let role = Column("role")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

// The documents use cases return. The CLI prints them with `--json` and the API will
// send them as bodies, so both speak the same snake_case names (LinkStarJSON).

/// A person as shown to users.
public struct PersonView: Codable, Sendable, Equatable {
    public var id: Int64
    public var handle: String
    public var displayName: String
    public var role: PersonRole
    public var contact: String?
    public var createdAt: Date
    /// False for a person who left: their history stays, they cannot act.
    public var active: Bool
    /// The OS account mapped to this person (the CLI's identity without `--as`).
    public var osUser: String?
}
