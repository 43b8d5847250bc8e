/// The audit log's entity filter: `TYPE` (`kpi`, `gate.override`) or `TYPE:ID` (`kpi:3`, `layer:traffic`).
public enum AuditEntityFilter {
    /// The filter when it has that shape, else an error naming the field.
    public static func validate(_ text: String, field: String = "entity") throws -> String {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let typeOK = (1...40).contains(parts[0].count) && parts[0].allSatisfy { ("a"..."z").contains($0) || $0 == "_" || $0 == "." }
        let idOK = parts.count == 1 || ((1...100).contains(parts[1].count)
            && parts[1].allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) })
        guard typeOK && idOK else { throw LinkStarError.invalidField(field, "must be TYPE or TYPE:ID (e.g. kpi or kpi:3)") }
        return text
    }
}

/// One field an audit entry changed, flattened to a dotted path (`baseline.value`), with both sides as text.
public struct AuditFieldChange: Sendable, Equatable {
    public var field: String
    /// nil when the field did not exist before (a creation) or after (a removal).
    public var before: String?
    public var after: String?

    public init(field: String, before: String?, after: String?) {
        self.field = field
        self.before = before
        self.after = after
    }
}

/// Every field an audit entry changed: the one rule the CLI table and any other view use.
public enum AuditDiff {
    /// The changed leaves of before/after (objects flattened with dotted paths; arrays compared whole), sorted by path.
    public static func changes(before: JSONValue?, after: JSONValue?) -> [AuditFieldChange] {
        var left: [String: JSONValue] = [:], right: [String: JSONValue] = [:]
        flatten(before, "", into: &left)
        flatten(after, "", into: &right)
        return Set(left.keys).union(right.keys).filter { left[$0] != right[$0] }.sorted().map {
            AuditFieldChange(field: $0.isEmpty ? "value" : $0, before: left[$0].map(text), after: right[$0].map(text))
        }
    }

    static func flatten(_ value: JSONValue?, _ path: String, into leaves: inout [String: JSONValue]) {
        guard let value else { return }
        if case .object(let object) = value, !object.isEmpty {
            for (key, child) in object { flatten(child, path.isEmpty ? key : "\(path).\(key)", into: &leaves) }
        } else {
            leaves[path] = value
        }
    }

    /// A leaf as people read it: strings bare, numbers without a needless fraction, arrays and objects as compact lists.
    public static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): String(b)
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): s
        case .array(let a): "[" + a.map(text).joined(separator: ", ") + "]"
        case .object(let o): "{" + o.keys.sorted().map { "\($0): \(text(o[$0]!))" }.joined(separator: ", ") + "}"
        }
    }
}
