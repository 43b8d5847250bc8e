import Foundation
import GRDB
import LinkStarCore
import LinkStarFormats

/// A row of `web_session`: only the SHA-256 of the session id is stored.
struct WebSessionRecord: MutableSnakeCaseRecord, Equatable {
    static let databaseTableName = "web_session"
    var id: Int64?
    var sessionHash: String
    var tokenId: Int64
    var csrf: String
    var createdAt: String
    var expiresAt: String
    var endedAt: String?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// What the audit log records of a session (never its secret).
struct SessionAudit: Encodable {
    var session: Int64
    var token: Int64
    var expiresAt: String
}

/// A browser's signed-in session: the secret goes into the cookie once and is never stored.
public struct StartedWebSession: Sendable, Equatable {
    /// The cookie value (64 hex characters).
    public var secret: String
    /// The token every form must carry (CSRF).
    public var csrf: String
    public var expiresAt: Date
    public var principal: Principal
}

/// Who a live session acts as, and its CSRF token.
public struct WebSessionPrincipal: Sendable, Equatable {
    public var principal: Principal
    public var csrf: String
    public var expiresAt: Date
}

extension WorkspaceDatabase {
    /// How long a web session lives (12 hours).
    public static let webSessionLifetime: TimeInterval = 12 * 3600

    /// Signs a person in with their API token: nil when the token is unknown, revoked or its person deactivated.
    /// The session acts with the token's effective role, exactly as the API would; audited.
    public func startWebSession(token: String, lifetime: TimeInterval = WorkspaceDatabase.webSessionLifetime) async throws -> StartedWebSession? {
        guard let principal = try await authenticate(token: token) else { return nil }
        let secret = Self.randomHex(), csrf = Self.randomHex()
        let now = clock()
        let expires = now.addingTimeInterval(lifetime)
        try await writer.write { db in
            var record = WebSessionRecord(sessionHash: ContentHash.sha256Hex(secret), tokenId: principal.tokenId, csrf: csrf,
                                          createdAt: LinkStarJSON.timestamp(now), expiresAt: LinkStarJSON.timestamp(expires), endedAt: nil)
            try record.insert(db)
            try self.audit(db, actor: principal.handle, action: "session.start", entity: "person", entityId: principal.handle,
                           before: Optional<SessionAudit>.none,
                           after: SessionAudit(session: record.id!, token: principal.tokenId, expiresAt: record.expiresAt))
        }
        return StartedWebSession(secret: secret, csrf: csrf, expiresAt: expires, principal: principal)
    }

    /// The live session a cookie names: nil when unknown, ended, expired, or its token or person no longer acts.
    public func webSession(secret: String) async throws -> WebSessionPrincipal? {
        guard secret.count == 64 else { return nil }
        let hash = ContentHash.sha256Hex(secret)
        let now = LinkStarJSON.timestamp(clock())
        return try await writer.read { db in
            guard let session = try WebSessionRecord.filter(Column("session_hash") == hash).fetchOne(db),
                  session.endedAt == nil, session.expiresAt > now,
                  let token = try APITokenRecord.fetchOne(db, key: session.tokenId), token.revokedAt == nil,
                  let person = try PersonRecord.fetchOne(db, key: token.personId), person.active else { return nil }
            let role = PermissionRule.effectiveRole(token: PersonRole(rawValue: token.role) ?? .viewer,
                                                    person: PersonRole(rawValue: person.role) ?? .viewer)
            return WebSessionPrincipal(principal: Principal(handle: person.handle, role: role, tokenId: token.id!), csrf: session.csrf,
                                       expiresAt: Self.date(session.expiresAt))
        }
    }

    /// Ends a session (sign-out); audited. Ending an unknown or ended session changes nothing.
    public func endWebSession(secret: String) async throws {
        let hash = ContentHash.sha256Hex(secret)
        try await writer.write { db in
            guard var session = try WebSessionRecord.filter(Column("session_hash") == hash).fetchOne(db), session.endedAt == nil,
                  let token = try APITokenRecord.fetchOne(db, key: session.tokenId),
                  let person = try PersonRecord.fetchOne(db, key: token.personId) else { return }
            session.endedAt = self.nowText()
            try session.update(db)
            try self.audit(db, actor: person.handle, action: "session.end", entity: "person", entityId: person.handle,
                           before: SessionAudit(session: session.id!, token: session.tokenId, expiresAt: session.expiresAt),
                           after: Optional<SessionAudit>.none)
        }
    }

    /// 32 random bytes as hex, from the system's cryptographic generator.
    static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.lowercase((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
