import Foundation
import GRDB
import LinkStarCore
import LinkStarFormats

/// A chat channel as it may be shown: the address redacted, never the secret.
public struct ChannelView: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var kind: ChannelKind
    /// Scheme, host and the path's first part; the rest (the robot's token) is not shown.
    public var url: String
    /// Whether requests are signed with a secret.
    public var signed: Bool
    public var createdBy: String
    public var createdAt: Date
}

/// One person's chat identities.
public struct PersonChatView: Codable, Sendable, Equatable {
    public var handle: String
    public var identity: ChatIdentity
}

struct ChannelRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "notify_channel"
    enum Columns {
        static let name = Column("name")
        static let removedAt = Column("removed_at")
    }
    var id: Int64?
    var name: String
    var kind: String
    var urlSealed: String
    var urlShown: String
    var secretSealed: String?
    var createdBy: String
    var createdAt: String
    var removedBy: String?
    var removedAt: String?

    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension WorkspaceDatabase {
    /// The key channels' addresses and secrets are sealed with: a file beside the database (`<database>.key`, 0600),
    /// created with the first channel; a database in memory has one for its lifetime.
    func notifyKey(create: Bool) throws -> Data {
        let path = writer.path
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file::memory:") else { return ephemeralNotifyKey }
        let keyPath = path + ".key"
        if let text = try? String(contentsOfFile: keyPath, encoding: .utf8), let key = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
           key.count == SecretBox.keySize {
            return key
        }
        if FileManager.default.fileExists(atPath: keyPath) || !create {
            throw LinkStarError(.invalid, "the notification key \(keyPath) is missing or damaged: restore it from where the database was backed up",
                                details: [.init(field: "key", message: "\(keyPath) is missing or damaged")])
        }
        let key = SecretBox.newKey()
        let descriptor = open(keyPath, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw LinkStarError(.invalid, "cannot create the notification key \(keyPath)") }
        defer { close(descriptor) }
        let text = Array((key.base64EncodedString() + "\n").utf8)
        guard write(descriptor, text, text.count) == text.count else { throw LinkStarError(.invalid, "cannot create the notification key \(keyPath)") }
        return key
    }

    static func channelView(_ r: ChannelRecord) -> ChannelView {
        ChannelView(id: r.id!, name: r.name, kind: ChannelKind(rawValue: r.kind) ?? .webhook, url: r.urlShown, signed: r.secretSealed != nil,
                    createdBy: r.createdBy, createdAt: LinkStarJSON.parseTimestamp(r.createdAt) ?? Date(timeIntervalSince1970: 0))
    }

    /// Adds a channel; its URL and secret are sealed, and neither is written to the audit log.
    public func addChannel(_ input: NewChannel, actor: String) async throws -> ChannelView {
        let key = try notifyKey(create: true)
        let urlSealed = try SecretBox.seal(input.url.absoluteString, key: key)
        let secretSealed = try input.secret.map { try SecretBox.seal($0, key: key) }
        return try await writer.write { db in
            if try ChannelRecord.filter(ChannelRecord.Columns.name == input.name && ChannelRecord.Columns.removedAt == nil).fetchCount(db) > 0 {
                throw LinkStarError(.conflict, "a channel named \(input.name) exists", details: [.init(field: "name", message: "exists")])
            }
            var record = ChannelRecord(id: nil, name: input.name, kind: input.kind.rawValue, urlSealed: urlSealed, urlShown: ChannelURL.redacted(input.url),
                                       secretSealed: secretSealed, createdBy: actor, createdAt: self.nowText(), removedBy: nil, removedAt: nil)
            try record.insert(db)
            let view = Self.channelView(record)
            try self.audit(db, actor: actor, action: "notify.channel.add", entity: "channel", entityId: String(view.id), before: ChannelView?.none, after: view)
            return view
        }
    }

    /// The channels in use, by name.
    public func channels() async throws -> [ChannelView] {
        try await writer.read { db in
            try ChannelRecord.filter(ChannelRecord.Columns.removedAt == nil).order(ChannelRecord.Columns.name).fetchAll(db).map(Self.channelView)
        }
    }

    /// The channel in use named `name`; not found names `field`.
    func channelRecord(named name: String, field: String = "name", _ db: Database) throws -> ChannelRecord {
        let name = try ChannelName.validate(name, field: field)
        guard let record = try ChannelRecord.filter(ChannelRecord.Columns.name == name && ChannelRecord.Columns.removedAt == nil).fetchOne(db) else {
            throw LinkStarError(.notFound, "no channel named \(name)", details: [.init(field: field, message: "no channel named \(name)")])
        }
        return record
    }

    /// The channel in use named `name` (as it may be shown).
    public func channel(named name: String, field: String = "name") async throws -> ChannelView {
        try await writer.read { db in Self.channelView(try self.channelRecord(named: name, field: field, db)) }
    }

    /// Removes a channel (kept for the record, its name free again).
    public func removeChannel(name: String, actor: String) async throws -> ChannelView {
        try await writer.write { db in
            var record = try self.channelRecord(named: name, db)
            record.removedBy = actor
            record.removedAt = self.nowText()
            try record.update(db)
            let view = Self.channelView(record)
            try self.audit(db, actor: actor, action: "notify.channel.remove", entity: "channel", entityId: String(view.id), before: view, after: ChannelView?.none)
            return view
        }
    }

    /// Sets or clears (`nil`) some of a person's chat identities.
    public func setChatIdentity(handle: String, _ changes: [ChatIdentity.Field: String?], actor: String) async throws -> PersonChatView {
        var validated: [ChatIdentity.Field: String?] = [:]
        for (field, value) in changes { validated.updateValue(try value.map { try field.validate($0) }, forKey: field) }  // nil clears: kept as a value
        let checked = validated
        return try await writer.write { db in
            let person = try self.personRecord(handle, field: "handle", db)
            let before = try self.chatIdentity(personId: person.id!, db)
            for field in ChatIdentity.Field.allCases {
                guard let change = checked[field] else { continue }
                if let value = change {
                    try db.execute(sql: """
                        INSERT INTO person_chat_identity (person_id, field, value) VALUES (?, ?, ?)
                        ON CONFLICT (person_id, field) DO UPDATE SET value = excluded.value
                        """, arguments: [person.id!, field.rawValue, value])
                } else {
                    try db.execute(sql: "DELETE FROM person_chat_identity WHERE person_id = ? AND field = ?", arguments: [person.id!, field.rawValue])
                }
            }
            let after = try self.chatIdentity(personId: person.id!, db)
            try self.audit(db, actor: actor, action: "person.chat", entity: "person", entityId: person.handle, before: before, after: after)
            return PersonChatView(handle: person.handle, identity: after)
        }
    }

    func chatIdentity(personId: Int64, _ db: Database) throws -> ChatIdentity {
        var identity = ChatIdentity()
        for row in try Row.fetchAll(db, sql: "SELECT field, value FROM person_chat_identity WHERE person_id = ?", arguments: [personId]) {
            if let field = ChatIdentity.Field(rawValue: row["field"]) { identity[field] = row["value"] }
        }
        return identity
    }

    /// Every person's chat identities, by handle (people without any are left out).
    public func chatIdentities() async throws -> [String: ChatIdentity] {
        try await writer.read { db in try self.chatIdentities(db) }
    }

    func chatIdentities(_ db: Database) throws -> [String: ChatIdentity] {
        var identities: [String: ChatIdentity] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT p.handle, c.field, c.value FROM person_chat_identity c JOIN person p ON p.id = c.person_id ORDER BY p.handle
            """) {
            if let field = ChatIdentity.Field(rawValue: row["field"]) { identities[row["handle"], default: ChatIdentity()][field] = row["value"] }
        }
        return identities
    }
}
