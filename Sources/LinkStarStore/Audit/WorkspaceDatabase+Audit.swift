import Foundation
import GRDB
import LinkStarCore

extension WorkspaceDatabase {
    /// Audit entries, newest first, optionally for one entity type (and id) or one actor.
    /// `entity` may carry the id too: `kpi:3`.
    public func auditEntries(entity: String? = nil, entityId: String? = nil, actor: String? = nil,
                             limit: Int = 50) async throws -> [AuditEntryView] {
        guard limit > 0 else { throw LinkStarError.invalidField("limit", "must be a positive number") }
        var type = entity, id = entityId
        if let text = entity, let colon = text.firstIndex(of: ":"), entityId == nil {
            type = String(text[..<colon])
            id = String(text[text.index(after: colon)...])
        }
        let (entity, entityId) = (type, id)
        return try await writer.read { db in
            let decoder = LinkStarJSON.decoder()
            func value(_ json: String?) -> JSONValue? {
                guard let json else { return nil }
                return try? decoder.decode(JSONValue.self, from: Data(json.utf8))
            }
            return try AuditEntryRecord.all()
                .matching(entity: entity?.lowercased(), entityId: entityId, actor: actor?.lowercased())
                .limit(limit)
                .fetchAll(db)
                .map { r in
                    AuditEntryView(id: r.id!, at: Self.date(r.at), actor: r.actor, action: r.action, entity: r.entity,
                                   entityId: r.entityId, before: value(r.beforeJson), after: value(r.afterJson), reason: r.reason)
                }
        }
    }

    /// Number of audit entries (used to prove that rejected input writes nothing).
    public func auditEntryCount() async throws -> Int {
        try await writer.read { db in try AuditEntryRecord.fetchCount(db) }
    }
}
