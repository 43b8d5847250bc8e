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
            if let osUser = person.osUser, let holder = try PersonRecord.filter(Column("os_user") == osUser).fetchOne(db) {
                throw LinkStarError(.conflict, "OS user '\(osUser)' already acts as \(holder.handle)",
                                    details: [.init(field: "os_user", message: "already mapped to \(holder.handle)")])
            }
            var record = PersonRecord(handle: person.handle, displayName: person.displayName, role: person.role.rawValue,
                                      contact: person.contact, createdAt: self.nowText(), active: true, osUser: person.osUser)
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
                   role: PersonRole(rawValue: r.role) ?? .viewer, contact: r.contact, createdAt: date(r.createdAt),
                   active: r.active, osUser: r.osUser)
    }

    /// Changes a person's name, role, contact or OS account, audited with before and after. The last active admin
    /// keeps the admin role; an OS account acts as one person only.
    public func editPerson(_ handle: String, _ changes: PersonChanges, actor: String) async throws -> PersonView {
        try await writer.write { db in
            var record = try self.personRecord(handle, field: "handle", db)
            let before = Self.view(record)
            if let role = changes.role, role != .admin, record.role == PersonRole.admin.rawValue, record.active {
                let admins = try PersonRecord.filter(Column("role") == PersonRole.admin.rawValue && Column("active") == true).fetchCount(db)
                if admins <= 1 {
                    throw LinkStarError(.conflict, "\(record.handle) is the last active admin; make someone else admin first",
                                        details: [.init(field: "role", message: "last active admin")])
                }
            }
            if let osUser = changes.osUser, let holder = try PersonRecord.filter(Column("os_user") == osUser).fetchOne(db), holder.id != record.id {
                throw LinkStarError(.conflict, "OS user '\(osUser)' already acts as \(holder.handle)",
                                    details: [.init(field: "os_user", message: "already mapped to \(holder.handle)")])
            }
            if let name = changes.displayName { record.displayName = name }
            if let role = changes.role { record.role = role.rawValue }
            if let contact = changes.contact { record.contact = contact.isEmpty ? nil : contact }
            if let osUser = changes.osUser { record.osUser = osUser }
            let after = Self.view(record)
            if after == before { return after }
            try record.update(db)
            try self.audit(db, actor: actor, action: "person.edit", entity: "person", entityId: record.handle, before: before, after: after)
            return after
        }
    }

    /// Deactivates (a person who left: history kept, cannot act) or reactivates a person, audited.
    /// The last active admin cannot be deactivated.
    public func setPersonActive(_ handle: String, active: Bool, actor: String) async throws -> PersonView {
        try await writer.write { db in
            var record = try self.personRecord(handle, field: "handle", db)
            if record.active == active { return Self.view(record) }
            if !active && record.role == PersonRole.admin.rawValue {
                let admins = try PersonRecord.filter(Column("role") == PersonRole.admin.rawValue && Column("active") == true).fetchCount(db)
                if admins <= 1 {
                    throw LinkStarError(.conflict, "\(record.handle) is the last active admin; make someone else admin first",
                                        details: [.init(field: "handle", message: "last active admin")])
                }
            }
            let before = Self.view(record)
            record.active = active
            try record.update(db)
            let after = Self.view(record)
            try self.audit(db, actor: actor, action: active ? "person.reactivate" : "person.deactivate", entity: "person",
                           entityId: record.handle, before: before, after: after)
            return after
        }
    }

    /// The handle that may make this write: the acting identity must be an active person whose role allows it
    /// (`PermissionRule`). Refused with `forbidden` naming how to fix it.
    public func authorize(_ identity: ActingIdentity, for operation: WriteOperation) async throws -> String {
        try await writer.read { db in
            let person = try self.actingPerson(identity, db)
            try PermissionRule.check(handle: person.handle, role: PersonRole(rawValue: person.role) ?? .viewer, active: person.active,
                                     operation: operation)
            return person.handle
        }
    }

    func actingPerson(_ identity: ActingIdentity, _ db: Database) throws -> PersonRecord {
        switch identity {
        case .handle(let text):
            let handle = try PersonHandle.validate(text, field: "as")
            guard let person = try PersonRecord.filter(PersonRecord.Columns.handle == handle).fetchOne(db) else {
                throw LinkStarError(.forbidden, "'\(handle)' is not a person in this workspace; changes need an active person (an admin adds one with person add \(handle) --name …)",
                                    details: [.init(field: "as", message: "no such person")])
            }
            return person
        case .osUser(let name):
            if let person = try PersonRecord.filter(Column("os_user") == name).fetchOne(db) { return person }
            if let handle = try? PersonHandle.validate(name), let person = try PersonRecord.filter(PersonRecord.Columns.handle == handle).fetchOne(db) {
                return person
            }
            throw LinkStarError(.forbidden, "the OS user '\(name)' is not mapped to a person; pass --as HANDLE (or set LINKSTAR_USER), or have an admin run person add HANDLE --name … --os-user \(name)",
                                details: [.init(field: "as", message: "no person for OS user \(name)")])
        }
    }
}
