/// What a person may do: viewers read, editors write operational data, admins manage the workspace.
public enum PersonRole: String, CaseIterable, Codable, Sendable {
    case admin, editor, viewer

    /// Parses a role name.
    public static func parse(_ text: String, field: String = "role") throws -> PersonRole {
        try Segment.refuseInvisible(text, field: field)
        guard let role = PersonRole(rawValue: text.lowercased()) else {
            throw LinkStarError.unknownValue("role", text, field: field, among: allCases.map(\.rawValue))
        }
        return role
    }
}

/// A validated person handle such as `lin.wei`.
public enum PersonHandle {
    /// Checks and normalises a handle: 2–32 characters, lowercase letters, digits, `.`, `_`, `-`, starting with a letter or digit.
    public static func validate(_ text: String, field: String = "handle") throws -> String {
        try Segment.refuseInvisible(text, field: field)
        let handle = text.trimmingCharacters(in: .whitespaces).lowercased()
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (2...32).contains(handle.count) else {
            throw LinkStarError.invalidField(field, "handle \(Excerpt.quoted(text)) must be 2 to 32 characters")
        }
        guard let first = handle.first, first.isLetter || first.isNumber,
              handle.allSatisfy({ allowed.contains($0) }) else {
            throw LinkStarError.invalidField(
                field, "handle \(Excerpt.quoted(text)) may use only a-z, 0-9, '.', '_' and '-' and must start with a letter or digit")
        }
        return handle
    }
}

/// The input for adding a person.
public struct NewPerson: Sendable, Equatable {
    public var handle: String
    public var displayName: String
    public var role: PersonRole
    public var contact: String?
    /// The operating-system account that acts as this person on the CLI by default.
    public var osUser: String?

    public init(handle: String, displayName: String, role: PersonRole, contact: String? = nil, osUser: String? = nil) {
        self.osUser = osUser
        self.handle = handle
        self.displayName = displayName
        self.role = role
        self.contact = contact
    }

    /// The role a new person gets when none is given.
    public static let defaultRole = PersonRole.editor

    /// A new person from what people type or send; the CLI and the API both use it.
    public static func parse(handle: String, name: String, role: String?, contact: String?, osUser: String?) throws -> NewPerson {
        try NewPerson(handle: handle, displayName: name, role: role.map { try PersonRole.parse($0) } ?? defaultRole, contact: contact,
                      osUser: osUser).validated()
    }

    /// Returns the person with a normalised handle, or throws naming the bad field.
    public func validated() throws -> NewPerson {
        var copy = self
        copy.handle = try PersonHandle.validate(handle)
        copy.displayName = displayName.trimmingCharacters(in: .whitespaces)
        if copy.displayName.isEmpty { throw LinkStarError.invalidField("name", "display name is required") }
        if copy.displayName.unicodeScalars.count > 100 { throw LinkStarError.invalidField("name", "display name is longer than 100 characters") }
        if let contact = copy.contact?.trimmingCharacters(in: .whitespaces) {
            copy.contact = contact.isEmpty ? nil : contact
            try InputLimits.checkLength(contact, field: "contact", max: InputLimits.maxShortText)
        }
        if let osUser = copy.osUser { copy.osUser = try OSUserName.validate(osUser, field: "os_user") }
        return copy
    }
}

/// An operating-system account name as `person add --os-user` takes it.
public enum OSUserName {
    /// The name, trimmed: 1–64 printable characters without spaces.
    public static func validate(_ text: String, field: String = "os_user") throws -> String {
        try Segment.refuseInvisible(text, field: field)
        let name = text.trimmingCharacters(in: .whitespaces)
        guard (1...64).contains(name.count), !name.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            throw LinkStarError.invalidField(field, "OS user name \(Excerpt.quoted(text)) must be 1 to 64 characters without spaces or '/'")
        }
        return name
    }
}

/// Who the CLI acts as: a handle given with `--as` or `LINKSTAR_USER`, else the operating-system account.
public enum ActingIdentity: Sendable, Equatable {
    case handle(String)
    case osUser(String)

    /// From the flag, the environment and the OS account, in that order.
    public static func resolve(flag: String?, environment: [String: String], osUser: String) -> ActingIdentity {
        if let flag { return .handle(flag) }
        if let env = environment["LINKSTAR_USER"], !env.isEmpty { return .handle(env) }
        if let user = environment["USER"], !user.isEmpty { return .osUser(user) }
        return .osUser(osUser)
    }

    /// The handle this identity names before any person exists (the first admin of a new workspace, a restore onto
    /// an empty place): the given handle, or the OS user name when it is a valid handle.
    public func claimedHandle() throws -> String {
        switch self {
        case .handle(let text): return try PersonHandle.validate(text, field: "as")
        case .osUser(let name):
            guard let handle = try? PersonHandle.validate(name, field: "as") else {
                throw LinkStarError.invalidField("as", "the OS user '\(name)' is not a valid handle: pass --as HANDLE")
            }
            return handle
        }
    }
}

/// The fields `person edit` changes (nil: keep).
public struct PersonChanges: Sendable, Equatable {
    public var displayName: String?
    public var role: PersonRole?
    public var contact: String?
    public var osUser: String?

    public init(displayName: String? = nil, role: PersonRole? = nil, contact: String? = nil, osUser: String? = nil) {
        self.displayName = displayName
        self.role = role
        self.contact = contact
        self.osUser = osUser
    }

    /// Changes from the text people type or send; the CLI and the API both use it. At least one field.
    public static func parse(name: String?, role: String?, contact: String?, osUser: String?) throws -> PersonChanges {
        var changes = PersonChanges(displayName: name?.trimmingCharacters(in: .whitespaces), role: try role.map { try PersonRole.parse($0) },
                                    contact: contact?.trimmingCharacters(in: .whitespaces), osUser: nil)
        if changes == PersonChanges() && osUser == nil {
            throw LinkStarError.invalidField("name", "say what to change: name, role, contact or os_user")
        }
        if let name = changes.displayName {
            if name.isEmpty { throw LinkStarError.invalidField("name", "display name is required") }
            if name.unicodeScalars.count > 100 { throw LinkStarError.invalidField("name", "display name is longer than 100 characters") }
        }
        if let contact = changes.contact { try InputLimits.checkLength(contact, field: "contact", max: InputLimits.maxShortText) }
        if let osUser { changes.osUser = try OSUserName.validate(osUser, field: "os_user") }
        return changes
    }
}
