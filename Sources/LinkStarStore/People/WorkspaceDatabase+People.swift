import GRDB
import LinkStarCore

extension WorkspaceDatabase {
    /// Adds a person; a handle already taken is a conflict.
    public func addPerson(_ input: NewPerson, actor: String) async throws -> PersonView {
        let person = try input.validated()
        return try await writer.write { db in
            if try PersonRecord.filter(PersonRecord.Columns.handle == person.handle).fetchCount(db) > 0 {
                throw LinkStarError(.conflict, "person '\(person.handle)' already exists",
                                    details: [.init(field: "handle", message: "already exists")])
            }
            var record = PersonRecord(handle: person.handle, displayName: person.displayName, role: person.role.rawValue,
                                      contact: person.contact, createdAt: self.nowText())
            try record.insert(db)
            let view = Self.view(record)
            try self.audit(db, actor: actor, action: "person.add", entity: "person", entityId: person.handle,
                           before: PersonView?.none, after: view)
            return view
        }
    }

    /// Everyone, by handle.
    public func people() async throws -> [PersonView] {
        try await writer.read { db in
            try PersonRecord.order(PersonRecord.Columns.handle).fetchAll(db).map(Self.view)
        }
    }

    /// One person by handle.
    public func person(_ handle: String) async throws -> PersonView {
        try await writer.read { db in Self.view(try self.personRecord(handle, field: "handle", db)) }
    }

    static func view(_ r: PersonRecord) -> PersonView {
        PersonView(id: r.id ?? 0, handle: r.handle, displayName: r.displayName,
                   role: PersonRole(rawValue: r.role) ?? .viewer, contact: r.contact, createdAt: date(r.createdAt))
    }
}
