import Foundation
import GRDB
import LinkStarCore

/// A row of `audit_entry`.
struct AuditEntryRecord: MutableSnakeCaseRecord, Equatable {
    static let databaseTableName = "audit_entry"
    var id: Int64?
    var at: String
    var actor: String
    var action: String
    var entity: String
    var entityId: String
    var beforeJson: String?
    var afterJson: String?
    var reason: String?

    enum Columns {
        static let id = Column("id")
        static let actor = Column("actor")
        static let entity = Column("entity")
        static let entityId = Column("entity_id")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// Written by column name, without the Codable encoder (every write inserts one entry).
    func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["at"] = at
        container["actor"] = actor
        container["action"] = action
        container["entity"] = entity
        container["entity_id"] = entityId
        container["before_json"] = beforeJson
        container["after_json"] = afterJson
        container["reason"] = reason
    }
}

extension DerivableRequest<AuditEntryRecord> {
    /// Entries matching an optional entity, entity id and actor, newest first.
    func matching(entity: String?, entityId: String?, actor: String?) -> Self {
        var request = self
        if let entity { request = request.filter(AuditEntryRecord.Columns.entity == entity) }
        if let entityId { request = request.filter(AuditEntryRecord.Columns.entityId == entityId) }
        if let actor { request = request.filter(AuditEntryRecord.Columns.actor == actor) }
        return request.order(AuditEntryRecord.Columns.id.desc)
    }
}

/// One audit log entry as shown to users.
public struct AuditEntryView: Codable, Sendable, Equatable {
    public var id: Int64
    public var at: Date
    public var actor: String
    public var action: String
    public var entity: String
    public var entityId: String
    public var before: JSONValue?
    public var after: JSONValue?
    public var reason: String?
}
