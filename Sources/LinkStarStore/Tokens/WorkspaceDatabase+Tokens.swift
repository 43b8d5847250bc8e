import Foundation
import GRDB
import GRDBSQLite
import LinkStarCore
import LinkStarFormats

/// A row of `api_token`.
struct APITokenRecord: MutableSnakeCaseRecord, Equatable {
    static let databaseTableName = "api_token"
    var id: Int64?
    var personId: Int64
    var role: String
    var label: String?
    var tokenHash: String
    var prefix: String
    var createdBy: String
    var createdAt: String
    var revokedAt: String?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A token as listed (never the token itself).
public struct APITokenView: Codable, Sendable, Equatable {
    public var id: Int64
    public var person: String
    public var role: PersonRole
    public var label: String?
    /// The first characters, to recognise a token.
    public var prefix: String
    public var createdBy: String
    public var createdAt: Date
    public var revokedAt: Date?
}

/// A newly created token: shown once.
public struct CreatedToken: Codable, Sendable, Equatable {
    public var token: String
    public var info: APITokenView
}

/// Who a bearer token authenticates.
public struct Principal: Sendable, Equatable {
    public var handle: String
    public var role: PersonRole
    public var tokenId: Int64

    public init(handle: String, role: PersonRole, tokenId: Int64) {
        self.handle = handle
        self.role = role
        self.tokenId = tokenId
    }

    /// True when this principal may do what `needed` allows (admin ⊃ editor ⊃ viewer).
    public func allows(_ needed: PersonRole) -> Bool { role.allows(needed) }
}

extension WorkspaceDatabase {
    /// Creates a token for a person with a role; returns the token once (only its SHA-256 is stored).
    public func createToken(person: String, role: PersonRole, label: String? = nil, actor: String) async throws -> CreatedToken {
        try InputLimits.checkLength(label ?? "", field: "label", max: InputLimits.maxShortText)
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
        let token = "lst_" + Hex.lowercase(bytes)
        let hash = ContentHash.sha256Hex(token)
        return try await writer.write { db in
            let owner = try self.personRecord(person, field: "person", db)
            try PermissionRule.checkTokenRole(role, personRole: PersonRole(rawValue: owner.role) ?? .viewer, handle: owner.handle)
            if !owner.active {
                throw LinkStarError(.forbidden, "\(owner.handle) is deactivated: no new tokens", details: [.init(field: "person", message: "deactivated")])
            }
            var record = APITokenRecord(personId: owner.id!, role: role.rawValue, label: label, tokenHash: hash, prefix: String(token.prefix(10)),
                                        createdBy: actor, createdAt: self.nowText(), revokedAt: nil)
            try record.insert(db)
            let view = try self.tokenView(record, db)
            try self.audit(db, actor: actor, action: "token.create", entity: "token", entityId: String(record.id!), before: APITokenView?.none, after: view)
            return CreatedToken(token: token, info: view)
        }
    }

    /// Tokens, newest first.
    public func tokens() async throws -> [APITokenView] {
        try await writer.read { db in try APITokenRecord.order(Column("id").desc).fetchAll(db).map { try self.tokenView($0, db) } }
    }

    /// Revokes a token; it stops working at once.
    public func revokeToken(id: Int64, actor: String) async throws -> APITokenView {
        try await writer.write { db in
            guard var record = try APITokenRecord.fetchOne(db, key: id) else {
                throw LinkStarError(.notFound, "no token #\(id)", details: [.init(field: "id", message: "no token #\(id)")])
            }
            if record.revokedAt != nil { return try self.tokenView(record, db) }
            let before = try self.tokenView(record, db)
            record.revokedAt = self.nowText()
            try record.update(db)
            let after = try self.tokenView(record, db)
            try self.audit(db, actor: actor, action: "token.revoke", entity: "token", entityId: String(id), before: before, after: after)
            return after
        }
    }

    /// The principal a bearer token stands for, or nil when unknown, revoked, or its person is deactivated.
    /// It acts with the token's role capped by the person's current role.
    public func authenticate(token: String) async throws -> Principal? {
        let hash = ContentHash.sha256Hex(token)
        return try readHere { db in
            // One statement prepared once per connection: every request after a write authenticates again.
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT t.id, t.role, t.revoked_at, p.handle, p.role, p.active FROM api_token t JOIN person p ON p.id = t.person_id
                WHERE t.token_hash = ?
                """), arguments: [hash]),
                  (row[2] as String?) == nil, row[5] as Bool else { return nil }
            let role = PermissionRule.effectiveRole(token: PersonRole(rawValue: row[1]) ?? .viewer, person: PersonRole(rawValue: row[4]) ?? .viewer)
            return Principal(handle: row[3], role: role, tokenId: row[0])
        }
    }

    func tokenView(_ r: APITokenRecord, _ db: Database) throws -> APITokenView {
        APITokenView(id: r.id!, person: try PersonRecord.fetchOne(db, key: r.personId)?.handle ?? "?", role: PersonRole(rawValue: r.role) ?? .viewer,
                     label: r.label, prefix: r.prefix, createdBy: r.createdBy, createdAt: Self.date(r.createdAt), revokedAt: r.revokedAt.map(Self.date))
    }
}

/// What a long-lived process checks before it reuses anything it computed: the workspace's change token (anything
/// changed) and its credential version (an API token or a person changed).
public struct WorkspaceVersions: Sendable, Equatable {
    /// The newest audit entry's id: every write appends one, so it moves with every change.
    public var change: Int64
    /// `credential_version` (migration 0015): moves with every change to API tokens or people, and with nothing else.
    public var credentials: Int64

    public init(change: Int64, credentials: Int64) {
        self.change = change
        self.credentials = credentials
    }
}

extension WorkspaceDatabase {
    /// A number that changes whenever anything in the workspace changes: every write is audited,
    /// so the newest audit entry id is the workspace's version (also for writes by other processes).
    /// In the server, the audit log is read only after a commit (`ChangeWatch`); otherwise on every call.
    public func changeToken() async throws -> Int64 { try await versions().change }

    /// The change token and the credential version, read together. In the server both are read only after a commit
    /// (`ChangeWatch`); otherwise on every call.
    public func versions() async throws -> WorkspaceVersions {
        guard let changeWatch else { return try await writer.read { db in try Self.versions(db) } }
        return try changeWatch.versions { db in try Self.versions(db) }
    }

    /// The change token: the newest audit entry's id (every write appends one), 0 for none.
    static func newestAuditId(_ db: Database) throws -> Int64 {
        try db.firstInt64(cached: "SELECT max(id) FROM audit_entry") ?? 0
    }

    /// Both versions in one statement, so they are of the same moment.
    static func versions(_ db: Database) throws -> WorkspaceVersions {
        // (A NULL column reads as 0: no audit entry yet, or no credential version row.)
        try db.firstRow(cached: """
            SELECT (SELECT max(id) FROM audit_entry), (SELECT version FROM credential_version WHERE id = 1)
            """) { WorkspaceVersions(change: sqlite3_column_int64($0, 0), credentials: sqlite3_column_int64($0, 1)) }
            ?? WorkspaceVersions(change: 0, credentials: 0)
    }
}
