/// Parses numbers typed by people: `0.035`, `3.5%`, `1,234`, `12_000`.
public enum NumberInput {
    /// The value, with `%` meaning hundredths; throws naming the field. Thousands separators must group
    /// three digits (`1,234`); `5,0`, `NaN`, `inf`, overflow and underflow are refused.
    public static func parse(_ text: String, field: String) throws -> Double {
        switch NumberCellParser.parse(text.trimmingCharacters(in: .whitespaces)) {
        case .value(let value, _, let currency) where currency == nil:
            guard value.magnitude <= InputLimits.maxAmount else {
                throw LinkStarError.invalidField(field, "\(Excerpt.quoted(text)) is beyond the largest value LinkStar accepts (10^15)")
            }
            return value
        case .invalid(let message):
            throw LinkStarError.invalidField(field, message)
        default:
            throw LinkStarError.invalidField(field, "\(Excerpt.quoted(text)) is not a number")
        }
    }
}

/// Formats metric values for people: rates as percentages, counts as integers.
public enum ValueFormat {
    /// A value in its metric's unit, e.g. `3.10%`, `1,234`, `45.60`.
    public static func format(_ value: Double?, unit: MetricUnit, upperBound: Double? = nil) -> String {
        guard let value else { return "-" }
        // Total for any Double: huge or non-finite values are printed as they are, never converted to an integer.
        guard value.isFinite, value.magnitude < 1e17 else { return String(value) }
        switch unit {
        case .ratio:
            if upperBound != nil { return trimmed(value * 100, digits: 2) + "%" }
            return trimmed(value, digits: 2)
        case .count:
            if value == value.rounded() { return grouped(Int64(value)) }
            let tenths = Int64((value * 10).rounded())
            return grouped(tenths / 10) + "." + String(abs(tenths % 10))
        case .currency:
            return groupedIntegerPart(trimmed(value, digits: 2))
        case .seconds:
            return trimmed(value, digits: 1) + "s"
        }
    }

    static func trimmed(_ value: Double, digits: Int) -> String {
        let factor = pow10(digits)
        let rounded = (value * factor).rounded() / factor
        var text = String(rounded)
        if text.hasSuffix(".0") { text.removeLast(2) }
        // Show at least the requested precision for small fractions.
        if let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) - 1 < digits {
            text += String(repeating: "0", count: digits - (text.distance(from: dot, to: text.endIndex) - 1))
        } else if !text.contains("."), digits > 0, text.contains("e") == false {
            text += "." + String(repeating: "0", count: digits)
        }
        return text
    }

    /// `109431.23` → `109,431.23` (plain decimal text only; exponent notation is left as it is).
    static func groupedIntegerPart(_ text: String) -> String {
        guard !text.contains("e"), !text.contains("E") else { return text }
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", maxSplits: 1)
        guard let integer = parts.first, let n = Int64(integer) else { return text }
        return (negative ? "-" : "") + grouped(n) + (parts.count > 1 ? "." + parts[1] : "")
    }

    static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { value, _ in value * 10 } }

    static func grouped(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + String(out.reversed())
    }
}
