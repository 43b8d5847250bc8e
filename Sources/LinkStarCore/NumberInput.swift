/// Parses numbers typed by people: `0.035`, `3.5%`, `1,234`, `12_000`.
public enum NumberInput {
    /// The value, with `%` meaning hundredths; throws naming the field.
    public static func parse(_ text: String, field: String) throws -> Double {
        var s = text.trimmingCharacters(in: .whitespaces)
        var scale = 1.0
        if s.hasSuffix("%") {
            scale = 0.01
            s = String(s.dropLast()).trimmingCharacters(in: .whitespaces)
        }
        s = s.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "")
        guard let value = Double(s), value.isFinite else {
            throw LinkStarError.invalidField(field, "'\(text)' is not a number")
        }
        return value * scale
    }
}

/// Formats metric values for people: rates as percentages, counts as integers.
public enum ValueFormat {
    /// A value in its metric's unit, e.g. `3.10%`, `1,234`, `45.60`.
    public static func format(_ value: Double?, unit: MetricUnit, upperBound: Double? = nil) -> String {
        guard let value else { return "-" }
        switch unit {
        case .ratio:
            if upperBound != nil { return trimmed(value * 100, digits: 2) + "%" }
            return trimmed(value, digits: 2)
        case .count:
            if value == value.rounded() { return grouped(Int64(value)) }
            let tenths = Int64((value * 10).rounded())
            return grouped(tenths / 10) + "." + String(abs(tenths % 10))
        case .currency:
            return trimmed(value, digits: 2)
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
