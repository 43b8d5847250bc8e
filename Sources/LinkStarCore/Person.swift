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

    public init(handle: String, displayName: String, role: PersonRole, contact: String? = nil) {
        self.handle = handle
        self.displayName = displayName
        self.role = role
        self.contact = contact
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
        return copy
    }
}
