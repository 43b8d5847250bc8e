/// A domain error: what went wrong, where, and how a caller should classify it.
public struct LinkStarError: Error, Equatable, Sendable, CustomStringConvertible {
    /// How the error is classified; adapters map this to exit codes and HTTP statuses.
    public enum Kind: String, Sendable, Codable {
        /// The referenced thing does not exist (unknown layer, person, metric, KPI, workspace).
        case notFound = "not_found"
        /// The input is malformed or breaks a rule (bad segment, out-of-range target, broken playbook).
        case invalid
        /// The input conflicts with existing state (duplicate handle, invalid transition).
        case conflict
        /// The actor may not do this.
        case forbidden
        /// The database stayed locked by another writer past the busy timeout: retry later.
        case busy
    }

    /// One located problem: a field, or a file and line.
    public struct Detail: Equatable, Sendable, Codable, CustomStringConvertible, Localizable, JSONMembers {
        public var field: String?
        public var file: String?
        public var line: Int?
        public var column: Int?
        /// What is wrong there, in every language.
        public var text: Message

        public init(field: String? = nil, file: String? = nil, line: Int? = nil, column: Int? = nil, message: Message) {
            self.field = field
            self.file = file
            self.line = line
            self.column = column
            self.text = message
        }

        /// What is wrong there, in English.
        public var message: String { text.text(.en) }

        enum CodingKeys: String, CodingKey { case field, file, line, column, message = "message" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            field = try container.decodeIfPresent(String.self, forKey: .field)
            file = try container.decodeIfPresent(String.self, forKey: .file)
            line = try container.decodeIfPresent(Int.self, forKey: .line)
            column = try container.decodeIfPresent(Int.self, forKey: .column)
            text = try container.decode(Message.self, forKey: .message)
        }

        public func encode(to encoder: any Encoder) throws { try encodeMembers(to: encoder) }

        /// The JSON members, keys in ascending order (`JSONMembers`).
        public func writeMembers(to w: inout JSONMemberWriter) throws {
            try w.write("column", column)
            try w.write("field", field)
            try w.write("file", file)
            try w.write("line", line)
            try w.write("message", text)
        }

        public var description: String { text(.en) }

        /// The location and the problem in every language.
        public var label: Message { Message(template: "{0}{1}", arguments: [.text(location), .message(text)]) }

        /// The location and the problem in `language`.
        public func text(_ language: Language) -> String { location + text.text(language) }

        /// `file:line:column: ` or `field: `, or nothing.
        var location: String {
            var location = ""
            if let file {
                location = file
                if let line { location += ":\(line)" }
                if let column { location += ":\(column)" }
                location += ": "
            } else if let field {
                location = "\(field): "
            }
            return location
        }
    }

    /// What the person can do next, as a code each adapter renders its own way (a CLI command, an API field).
    public enum Hint: String, Codable, Sendable, CaseIterable {
        /// Act anyway with force and a reason (audited).
        case overrideWithReason = "override_with_reason"
        /// The list of actions shows the valid ids.
        case listActions = "list_actions"
        /// The list of KPIs shows the valid ids.
        case listKPIs = "list_kpis"
        /// The reviews due show the valid ids.
        case listReviews = "list_reviews"
        /// Sync the playbooks so the layer has a checklist and a cadence.
        case syncPlaybooks = "sync_playbooks"
        /// Create the workspace first.
        case initWorkspace = "init_workspace"
        /// Add a person first.
        case addPerson = "add_person"
        /// Set a reporting currency and exchange rates.
        case setExchangeRates = "set_exchange_rates"
        /// Name the import format or give a mapping.
        case chooseImportFormat = "choose_import_format"
    }

    public var kind: Kind
    /// What went wrong, in every language.
    public var summary: Message
    public var details: [Detail]
    public var hint: Hint?

    public init(_ kind: Kind, _ message: Message, details: [Detail] = [], hint: Hint? = nil) {
        self.kind = kind
        self.summary = message
        self.details = details
        self.hint = hint
    }

    /// What went wrong, in English.
    public var message: String { summary.text(.en) }

    /// What went wrong, in `language`.
    public func message(_ language: Language) -> String { summary.text(language) }

    public var description: String {
        if details.isEmpty { return message }
        return ([message] + details.map { "  " + $0.description }).joined(separator: "\n")
    }

    /// An unknown name, with the nearest valid one suggested when it is close enough.
    public static func unknown(_ what: Message, _ name: String, field: String, among candidates: [String]) -> LinkStarError {
        unknown(what, name, field: field, among: candidates, kind: .notFound)
    }

    /// A value outside a fixed set (a role, a unit, a status): invalid input, with the valid values or the nearest one.
    public static func unknownValue(_ what: Message, _ name: String, field: String, among candidates: [String]) -> LinkStarError {
        unknown(what, name, field: field, among: candidates, kind: .invalid)
    }

    static func unknown(_ what: Message, _ name: String, field: String, among candidates: [String], kind: Kind) -> LinkStarError {
        let message: Message
        if let suggestion = NameSuggestion.nearest(to: name, among: candidates) {
            message = "unknown \(what) \(Excerpt.quoted(name)); did you mean '\(suggestion)'?"
        } else if !candidates.isEmpty && candidates.count <= 12 {
            message = "unknown \(what) \(Excerpt.quoted(name)) (valid: \(candidates.joined(separator: ", ")))"
        } else {
            message = "unknown \(what) \(Excerpt.quoted(name))"
        }
        return LinkStarError(kind, message, details: [Detail(field: field, message: message)])
    }

    /// A single invalid field.
    public static func invalidField(_ field: String, _ message: Message) -> LinkStarError {
        LinkStarError(.invalid, "\(field): \(message)", details: [Detail(field: field, message: message)])
    }
}

/// Finds the closest valid name to a mistyped one (Levenshtein distance).
public enum NameSuggestion {
    /// The nearest candidate within a distance that still looks like a typo, or nil.
    public static func nearest(to name: String, among candidates: [String]) -> String? {
        let lowered = name.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let distance = levenshtein(lowered, candidate.lowercased())
            if best == nil || distance < best!.1 { best = (candidate, distance) }
        }
        guard let (candidate, distance) = best else { return nil }
        let allowed = max(2, min(lowered.count, candidate.count) / 3)
        if distance <= allowed { return candidate }
        if candidate.lowercased().hasPrefix(lowered) || lowered.hasPrefix(candidate.lowercased()) { return candidate }
        return nil
    }

    /// Edit distance between two strings.
    public static func levenshtein(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
