/// The documented bounds of every value LinkStar accepts. A value that passes validation is within
/// them, so no arithmetic or conversion on a stored value can trap. (README: "Supported ranges and limits".)
public enum InputLimits {
    /// Largest count (visitors, orders, …): 10^12, a whole number.
    public static let maxCount = 1e12
    /// Largest absolute currency amount: 10^15.
    public static let maxAmount = 1e15
    /// Largest duration in seconds: 10^9 (about 31 years).
    public static let maxSeconds = 1e9
    /// Largest value of an unbounded ratio (a ROAS-like target): 10^6.
    public static let maxRatio = 1e6
    /// Longest CSV record (a line, or a quoted field spanning lines), in bytes: 1 MiB.
    public static let maxRecordBytes = 1 << 20
    /// Most fields in one CSV record.
    public static let maxFields = 4096
    /// Longest error excerpt of an offending input, in characters.
    public static let excerptCharacters = 80
    /// Longest playbook title, in characters.
    public static let maxPlaybookTitle = 200
    /// Longest playbook checklist item, in characters.
    public static let maxChecklistItem = 500
    /// Largest playbook file, in bytes.
    public static let maxPlaybookBytes = 1 << 20
    /// Longest free text (a title, a hypothesis, a note, a reason), in characters.
    public static let maxText = 10_000
    /// Longest short text (a name, a label, a contact), in characters.
    public static let maxShortText = 200

    /// The largest value of a unit (the metric's own bound, e.g. 1 for a share, applies as well).
    public static func maximum(of unit: MetricUnit) -> Double {
        switch unit {
        case .count: maxCount
        case .currency: maxAmount
        case .seconds: maxSeconds
        case .ratio: maxRatio
        }
    }

    /// Why a value is outside its unit's bounds, or nil when it is within them.
    public static func problem(with value: Double, unit: MetricUnit) -> Message? {
        guard value.isFinite else { return "\(value) is not a finite number" }
        let limit = maximum(of: unit)
        if value.magnitude > limit {
            return "\(MetricDefinition.format(value)) is beyond the largest \(unit) LinkStar accepts (\(MetricDefinition.format(limit)))"
        }
        if unit == .count && value != value.rounded() { return "a count must be a whole number (\(MetricDefinition.format(value)))" }
        return nil
    }

    /// Refuses text longer than `max` Unicode scalars (the unit JSON Schema's maxLength counts).
    public static func checkLength(_ text: String, field: String, max: Int) throws {
        let length = text.unicodeScalars.count
        if length > max { throw LinkStarError.invalidField(field, "is \(length) characters long; at most \(max)") }
    }
}

/// Short, safe quotations of user input in messages: at most `InputLimits.excerptCharacters`,
/// invisible and control characters shown by name.
public enum Excerpt {
    /// `'text'`, shortened to the excerpt length with `…`, invisible characters as `<U+200B>`.
    public static func quoted(_ text: String, limit: Int = InputLimits.excerptCharacters) -> String {
        "'" + shortened(text, limit: limit) + "'"
    }

    /// The text, shortened to `limit` characters with `…`, invisible characters as `<U+200B>`.
    public static func shortened(_ text: String, limit: Int = InputLimits.excerptCharacters) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                out += "…"
                break
            }
            if isInvisible(scalar) { out += name(scalar) } else { out.unicodeScalars.append(scalar) }
            count += 1
        }
        return out
    }

    /// True for control characters, format characters (zero-width space, BOM, direction marks) and non-characters.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        // Printable ASCII, most of what an import reads, without the category table.
        if scalar.value >= 0x20 && scalar.value < 0x7F { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// `<U+200B>`.
    public static func name(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }
}
