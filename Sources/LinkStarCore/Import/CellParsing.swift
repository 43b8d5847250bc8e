import Foundation

/// What a numeric cell held.
public enum NumberCell: Equatable, Sendable {
    /// Empty, `-`, `--`, `—`, `N/A`: no value (not zero).
    case empty
    /// A number; `percent` when written with `%`; `currency` when a symbol or code named one.
    case value(Double, percent: Bool, currency: String?)
    /// Not a number; the reason says why.
    case invalid(Message)
}

/// Parses the numbers found in real exports: `1234`, `"1,234"`, `$1,234.56`, `CA$12`, `RM 3.20`, `3.45%`, `(12.50)`, `-`.
public enum NumberCellParser {
    /// Currency symbols and prefixes, longest first, with the code they imply (`$` alone implies none: it is ambiguous).
    static let symbols: [(String, String?)] = [
        ("US$", "USD"), ("CA$", "CAD"), ("C$", "CAD"), ("AU$", "AUD"), ("A$", "AUD"), ("NZ$", "NZD"), ("HK$", "HKD"),
        ("S$", "SGD"), ("SG$", "SGD"), ("NT$", "TWD"), ("MX$", "MXN"), ("R$", "BRL"), ("RM", "MYR"), ("Rp", "IDR"),
        ("€", "EUR"), ("£", "GBP"), ("¥", nil), ("￥", nil), ("₱", "PHP"), ("฿", "THB"), ("₫", "VND"), ("₩", "KRW"),
        ("₹", "INR"), ("$", nil),
    ]
    static let codes: Set<String> = ["USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "MXN", "BRL", "MYR", "IDR", "EUR",
                                     "GBP", "JPY", "CNY", "RMB", "PHP", "THB", "VND", "KRW", "INR", "AED", "SAR", "PLN", "SEK",
                                     "CHF", "DKK", "NOK", "CZK", "HUF", "TRY", "ZAR", "ILS", "CLP", "COP", "PEN", "EGP", "PKR", "BDT"]

    /// Parses one cell. `decimalComma` reads `1.234,56` as 1234.56.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, decimalComma: Bool = false) -> NumberCell {
        if let fast = fastPath(bytes) { return fast }
        return slowPath(String(decoding: bytes, as: UTF8.self), decimalComma: decimalComma)
    }

    /// Parses one cell given as text.
    public static func parse(_ text: String, decimalComma: Bool = false) -> NumberCell {
        var copy = text
        return copy.withUTF8 { parse($0, decimalComma: decimalComma) }
    }

    /// Plain `-?digits(.digits)?`, the shape of machine exports, without allocating.
    @inline(__always)
    static func fastPath(_ bytes: UnsafeBufferPointer<UInt8>) -> NumberCell? {
        var index = 0
        let end = bytes.count
        guard index < end else { return .empty }
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
            guard index < end else { return nil }
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenDot = false
        while index < end {
            let byte = bytes[index]
            if byte >= 48 && byte <= 57 {
                if digits >= 18 { return nil }
                mantissa = mantissa &* 10 &+ UInt64(byte - 48)
                digits += 1
                if seenDot { fractionDigits += 1 }
            } else if byte == UInt8(ascii: ".") && !seenDot {
                seenDot = true
            } else {
                return nil
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        var value = Double(mantissa)
        if fractionDigits > 0 { value /= powersOfTen[fractionDigits] }
        return .value(negative ? -value : value, percent: false, currency: nil)
    }

    static let powersOfTen: [Double] = (0...22).map { exponent in (0..<exponent).reduce(1.0) { value, _ in value * 10 } }

    static func slowPath(_ raw: String, decimalComma: Bool) -> NumberCell {
        // Checked before trimming: Foundation's whitespace set includes some invisible characters (U+200B).
        if let bad = raw.unicodeScalars.first(where: { Excerpt.isInvisible($0) && $0 != "\t" && $0 != "\r" && $0 != "\n" }) {
            return .invalid("\(Excerpt.quoted(raw)) holds the invisible character \(Excerpt.name(bad))")
        }
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if ["", "-", "--", "—", "–", "n/a", "na", "null", "none", "(not set)"].contains(text.lowercased()) {
            return .empty
        }
        let refused = NumberCell.invalid("\(Excerpt.quoted(raw)) is not a number")
        if let bad = text.unicodeScalars.first(where: Excerpt.isInvisible) {
            return .invalid("\(Excerpt.quoted(raw)) holds the invisible character \(Excerpt.name(bad))")
        }
        var negative = false
        if text.hasPrefix("(") && text.hasSuffix(")") {
            negative = true
            text = String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        }
        if text.hasPrefix("-") || text.hasPrefix("−") {
            negative.toggle()
            text = String(text.dropFirst()).trimmingCharacters(in: .whitespaces)
        }
        var currency: String?
        var sawSymbol = false
        // Leading or trailing currency code ("USD 12.00", "12.00 EUR").
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if parts.count == 2 {
            if codes.contains(parts[0].uppercased()) { currency = parts[0].uppercased(); text = parts[1]; sawSymbol = true }
            else if codes.contains(parts[1].uppercased()) { currency = parts[1].uppercased(); text = parts[0]; sawSymbol = true }
        }
        for (symbol, code) in symbols {
            if text.hasPrefix(symbol) {
                text = String(text.dropFirst(symbol.count)).trimmingCharacters(in: .whitespaces)
                if currency == nil { currency = code }
                sawSymbol = true
                break
            }
            if text.hasSuffix(symbol) {
                text = String(text.dropLast(symbol.count)).trimmingCharacters(in: .whitespaces)
                if currency == nil { currency = code }
                sawSymbol = true
                break
            }
        }
        if !negative, text.hasPrefix("-") {
            negative = true
            text = String(text.dropFirst())
        }
        var percent = false
        if text.hasSuffix("%") {
            percent = true
            text = String(text.dropLast()).trimmingCharacters(in: .whitespaces)
        }
        guard let plain = plainNumber(text, decimalComma: decimalComma) else {
            if text.contains(where: { $0 == "," }) && !decimalComma {
                return .invalid("\(Excerpt.quoted(raw)) is ambiguous: a comma must separate groups of three digits (1,234); a decimal comma needs decimal_comma in a mapping")
            }
            return refused
        }
        guard let value = Double(plain) else { return refused }
        guard value.isFinite else { return .invalid("\(Excerpt.quoted(raw)) is too large") }
        if value == 0 || value.magnitude < Double.leastNormalMagnitude {
            // Underflow: a non-zero mantissa that became (nearly) zero.
            let mantissa = plain.prefix { $0 != "e" && $0 != "E" }
            if mantissa.contains(where: { $0 >= "1" && $0 <= "9" }) {
                return .invalid("\(Excerpt.quoted(raw)) is too small to represent")
            }
        }
        let signed = negative ? -value : value
        return .value(percent ? signed / 100 : signed, percent: percent, currency: sawSymbol ? currency ?? "?" : nil)
    }

    /// The number in `digits(.digits)(e±digits)` form with its thousands separators removed, or nil when the text is not
    /// one number: separators must group exactly three digits, one kind per number.
    static func plainNumber(_ text: String, decimalComma: Bool) -> String? {
        let decimalPoint: Character = decimalComma ? "," : "."
        let separators: Set<Character> = decimalComma ? [".", " ", "\u{00A0}", "\u{202F}", "'"] : [",", "'", " ", "_", "\u{00A0}", "\u{202F}"]
        var mantissa = Substring(text)
        var exponent = ""
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            var rest = text[text.index(after: e)...]
            var sign = ""
            if rest.first == "+" || rest.first == "-" { sign = rest.first == "-" ? "-" : ""; rest = rest.dropFirst() }
            guard !rest.isEmpty, rest.count <= 5, rest.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            exponent = "e" + sign + rest
        }
        var integer = mantissa
        var fraction = Substring("")
        if let dot = mantissa.firstIndex(of: decimalPoint) {
            integer = mantissa[..<dot]
            fraction = mantissa[mantissa.index(after: dot)...]
            guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        }
        guard !integer.isEmpty || !fraction.isEmpty else { return nil }
        let used = Set(integer.filter { separators.contains($0) })
        guard used.count <= 1 else { return nil }
        var digits = String(integer)
        if let separator = used.first {
            let groups = integer.split(separator: separator, omittingEmptySubsequences: false)
            guard let first = groups.first, (1...3).contains(first.count),
                  groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
            digits = groups.joined()
        }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count <= 40 else { return nil }
        return (digits.isEmpty ? "0" : digits) + (fraction.isEmpty ? "" : "." + fraction) + exponent
    }
}

/// Date formats a mapping can name; `auto` recognises the unambiguous ones.
public enum DateFormat: String, Codable, Sendable, CaseIterable {
    case auto
    case isoDate = "YYYY-MM-DD"
    case compact = "YYYYMMDD"
    case dayMonthYear = "DD/MM/YYYY"
    case monthDayYear = "MM/DD/YYYY"
    case yearSlash = "YYYY/MM/DD"
    case dayMonthYearDash = "DD-MM-YYYY"
}

/// Parses the dates found in exports.
public enum DateCellParser {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The day, or a reason. `auto` accepts ISO dates (with an optional time), `YYYYMMDD`, `YYYY/MM/DD`,
    /// month names (`Nov 25, 2026`, `25 Nov 2026`, `25-Nov-2026`) and slash dates whose order is evident.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, format: DateFormat) -> Result<Day, DateProblem> {
        // Fast path: YYYY-MM-DD.
        if bytes.count == 10, format == .auto || format == .isoDate,
           bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
           let y = digits(bytes, 0, 4), let m = digits(bytes, 5, 2), let d = digits(bytes, 8, 2) {
            return make(y, m, d, bytes)
        }
        let raw = String(decoding: bytes, as: UTF8.self)
        if raw.unicodeScalars.contains(where: { Excerpt.isInvisible($0) && $0 != "\t" }) { return .failure(.invalid(raw)) }
        return parseSlow(raw.trimmingCharacters(in: .whitespaces), format: format)
    }

    /// Why a date cell was refused.
    public enum DateProblem: Error, Equatable, Sendable {
        case invalid(String)
        case ambiguous(String)
        case unsupported(String)

        public var message: Message {
            switch self {
            case .invalid(let s): "\(Excerpt.quoted(s)) is not a date"
            case .ambiguous(let s): "\(Excerpt.quoted(s)) could be day/month or month/day: set date.format in an import mapping or pick a preset"
            case .unsupported(let s): "\(Excerpt.quoted(s)) is outside the supported dates \(Day.firstSupported) to \(Day.lastSupported)"
            }
        }
    }

    /// Parses a date given as text.
    public static func parse(_ text: String, format: DateFormat) -> Result<Day, DateProblem> {
        var copy = text
        return copy.withUTF8 { parse($0, format: format) }
    }

    @inline(__always)
    static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int, _ count: Int) -> Int? {
        var value = 0
        for i in 0..<count {
            let byte = bytes[offset + i]
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    static func make(_ y: Int, _ m: Int, _ d: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Result<Day, DateProblem> {
        guard let day = try? Day(year: y, month: m, day: d) else {
            return .failure(.invalid(String(decoding: bytes, as: UTF8.self)))
        }
        guard Day.supported.contains(day) else { return .failure(.unsupported(String(decoding: bytes, as: UTF8.self))) }
        return .success(day)
    }

    /// Checks a time of day after a date: `H:MM`, `HH:MM:SS(.fff)`, optional ` AM`/` PM`, then `Z`, ` UTC` or `±HH:MM`.
    static func validTime(_ text: Substring) -> Bool {
        var rest = text.trimmingCharacters(in: .whitespaces)
        var twelveHour = false
        for suffix in [" AM", " PM", "AM", "PM", " am", " pm", "am", "pm"] where rest.hasSuffix(suffix) {
            rest = String(rest.dropLast(suffix.count))
            twelveHour = true
            break
        }
        if rest.hasSuffix("Z") { rest.removeLast() }
        else if rest.hasSuffix(" UTC") { rest.removeLast(4) }
        else if let sign = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = rest[rest.index(after: sign)...].split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(zone.count), zone.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  Int(zone[0])! <= 14, zone.count == 1 || Int(zone[1])! <= 59 else { return false }
            rest = String(rest[..<sign])
        }
        let fields = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count) else { return false }
        var seconds = fields.count == 3 ? fields[2] : "0"
        if let dot = seconds.firstIndex(of: ".") {
            let fraction = seconds[seconds.index(after: dot)...]
            guard !fraction.isEmpty, fraction.count <= 9, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            seconds = seconds[..<dot]
        }
        func number(_ s: Substring, _ widths: ClosedRange<Int>) -> Int? {
            guard widths.contains(s.count), s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(s)
        }
        guard let hour = number(fields[0], 1...2), let minute = number(fields[1], 2...2), let second = number(seconds, 1...2),
              minute <= 59, second <= 60 else { return false }
        return twelveHour ? (1...12).contains(hour) : hour <= 23
    }

    static func parseSlow(_ text: String, format: DateFormat) -> Result<Day, DateProblem> {
        func day(_ y: Int, _ m: Int, _ d: Int) -> Result<Day, DateProblem> {
            guard let value = try? Day(year: y < 100 ? 2000 + y : y, month: m, day: d) else { return .failure(.invalid(text)) }
            guard Day.supported.contains(value) else { return .failure(.unsupported(text)) }
            return .success(value)
        }
        guard let first = text.first, first.isLetter || first.isNumber, !text.unicodeScalars.contains(where: Excerpt.isInvisible) else {
            return .failure(.invalid(text))
        }
        var core = text
        // A time part: "2026-11-25T00:00:00Z", "2026-11-25 00:00:00", "11/25/2026 0:00"; it must be a valid time.
        if let t = core.firstIndex(where: { $0 == "T" || $0 == " " }), core[..<t].filter({ $0 == "-" || $0 == "/" }).count == 2,
           core[core.index(after: t)...].contains(":") {
            guard validTime(core[core.index(after: t)...]) else { return .failure(.invalid(text)) }
            core = String(core[..<t])
        }
        let separatorKinds = Set(core.filter { $0 == "-" || $0 == "/" || $0 == "." })
        let numbers = core.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).map(String.init)
        if numbers.count == 3 {
            // One kind of separator, three non-empty ASCII-digit parts.
            guard separatorKinds.count == 1, numbers.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
                if numbers.contains(where: { $0.contains(where: { $0.isLetter }) }) { return parseMonthName(core, original: text) }
                return .failure(.invalid(text))
            }
        }
        // A four-digit first part is a year: YYYY-MM-DD is unambiguous whatever order a preset expects
        // (Chinese seller-centre exports write it so).
        if [.dayMonthYear, .dayMonthYearDash, .monthDayYear].contains(format), numbers.count == 3, numbers[0].count == 4,
           numbers[2].count <= 2, let y = Int(numbers[0]), let m = Int(numbers[1]), let d = Int(numbers[2]) {
            return day(y, m, d)
        }
        switch format {
        case .compact:
            guard core.count == 8, core.allSatisfy({ $0.isASCII && $0.isNumber }), let y = Int(core.prefix(4)), let m = Int(core.dropFirst(4).prefix(2)), let d = Int(core.suffix(2)) else {
                return .failure(.invalid(text))
            }
            return day(y, m, d)
        case .isoDate, .yearSlash:
            guard numbers.count == 3, numbers[0].count == 4, let y = Int(numbers[0]), let m = Int(numbers[1]), let d = Int(numbers[2]) else {
                return .failure(.invalid(text))
            }
            return day(y, m, d)
        case .dayMonthYear, .dayMonthYearDash:
            guard numbers.count == 3, let d = Int(numbers[0]), let m = Int(numbers[1]), let y = Int(numbers[2]) else {
                return parseMonthName(core, original: text)
            }
            return day(y, m, d)
        case .monthDayYear:
            guard numbers.count == 3, let m = Int(numbers[0]), let d = Int(numbers[1]), let y = Int(numbers[2]) else {
                return parseMonthName(core, original: text)
            }
            return day(y, m, d)
        case .auto:
            if core.count == 8, core.allSatisfy({ $0.isASCII && $0.isNumber }), let y = Int(core.prefix(4)), y >= 1900,
               let m = Int(core.dropFirst(4).prefix(2)), let d = Int(core.suffix(2)) {
                return day(y, m, d)
            }
            if numbers.count == 3, let a = Int(numbers[0]), let b = Int(numbers[1]), let c = Int(numbers[2]) {
                if numbers[0].count == 4 { return day(a, b, c) }
                if numbers[2].count == 4 || numbers[2].count == 2 {
                    if a > 12 && b <= 12 { return day(c, b, a) }
                    if b > 12 && a <= 12 { return day(c, a, b) }
                    if a == b { return day(c, a, b) }
                    return .failure(.ambiguous(text))
                }
                return .failure(.invalid(text))
            }
            return parseMonthName(core, original: text)
        }
    }

    /// `Nov 25, 2026`, `25 Nov 2026`, `25-Nov-2026`, `November 25 2026`.
    static func parseMonthName(_ text: String, original: String) -> Result<Day, DateProblem> {
        let tokens = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" || $0 == "/" || $0 == "." })
            .map(String.init)
        guard tokens.count == 3 else { return .failure(.invalid(original)) }
        var month: Int?, numbers: [String] = []
        for token in tokens {
            if let index = months.firstIndex(where: { token.hasPrefix($0) }), token.first!.isLetter { month = index + 1 }
            else { numbers.append(token) }
        }
        guard let month, numbers.count == 2 else { return .failure(.invalid(original)) }
        let (dayText, yearText) = numbers[0].count == 4 ? (numbers[1], numbers[0]) : (numbers[0], numbers[1])
        guard dayText.count <= 2, yearText.count == 2 || yearText.count == 4,
              (dayText + yearText).allSatisfy({ $0.isASCII && $0.isNumber }),
              let d = Int(dayText), let y = Int(yearText), let value = try? Day(year: y < 100 ? 2000 + y : y, month: month, day: d) else {
            return .failure(.invalid(original))
        }
        guard Day.supported.contains(value) else { return .failure(.unsupported(original)) }
        return .success(value)
    }
}

/// Header matching that survives the drift of real exports: case, spaces, dashes, `(USD)` suffixes.
public enum HeaderName {
    /// `"Sessions - Total"` → `"sessions total"`; `"7 Day Total Sales "` → `"7 day total sales"`; `"Revenue (USD)"` → `"revenue"`.
    public static func normalise(_ header: String) -> String {
        var text = header
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // A trailing "(USD)", "($)", "(#)" or "(%)" is a unit, not part of the name.
        text = text.replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
        if text.hasSuffix(")"), let open = text.lastIndex(of: "("), open != text.startIndex {
            let inner = text[text.index(after: open)..<text.index(before: text.endIndex)].trimmingCharacters(in: .whitespaces)
            if currencyCode(inner) != nil || !inner.contains(where: \.isLetter) {
                text = String(text[..<open])
            }
        }
        var out = ""
        var lastWasSpace = true
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "#" {
                out.unicodeScalars.append(scalar)
                lastWasSpace = false
            } else if !lastWasSpace {
                out.append(" ")
                lastWasSpace = true
            }
        }
        return out.trimmingCharacters(in: .whitespaces)
    }

    /// `normalise` of a header or of a name a mapping looks for, kept once computed (at most 4,096 texts): an API write of
    /// one value used to normalise its headers and the preset's few hundred names again.
    public static func normaliseName(_ name: String) -> String {
        namesLock.lock()
        let known = normalisedNames[name]
        namesLock.unlock()
        if let known { return known }
        let normalised = normalise(name)
        namesLock.lock()
        if normalisedNames.count < 4_096 { normalisedNames[name] = normalised }
        namesLock.unlock()
        return normalised
    }

    private static let namesLock = NSLock()
    nonisolated(unsafe) private static var normalisedNames: [String: String] = [:]

    /// The currency code in a `(USD)`, `(RM)`, `(S$)` or full-width `（MYR）` suffix, if any: any three-letter code, or a
    /// symbol that names one currency.
    public static func currencySuffix(_ header: String) -> String? {
        let text = header.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
        guard text.hasSuffix(")"), let open = text.lastIndex(of: "(") else { return nil }
        return currencyCode(String(text[text.index(after: open)..<text.index(before: text.endIndex)]))
    }

    /// A currency named by a code (`MYR`, `rmb`) or an unambiguous symbol (`RM`, `S$`, `€`); nil otherwise.
    static func currencyCode(_ text: String) -> String? {
        let inner = text.trimmingCharacters(in: .whitespaces)
        let upper = inner.uppercased()
        if upper == "RMB" { return "CNY" }
        if NumberCellParser.codes.contains(upper) { return upper }
        if let code = NumberCellParser.symbols.first(where: { $0.0.uppercased() == upper })?.1 { return code }
        return nil
    }
}

/// The currency each market trades in, used when a file does not say.
public enum MarketCurrency {
    public static let byMarket: [String: String] = [
        "US": "USD", "CA": "CAD", "MX": "MXN", "BR": "BRL", "UK": "GBP", "GB": "GBP", "DE": "EUR", "FR": "EUR", "IT": "EUR",
        "ES": "EUR", "NL": "EUR", "IE": "EUR", "PL": "PLN", "SE": "SEK", "JP": "JPY", "CN": "CNY", "KR": "KRW",
        "AU": "AUD", "NZ": "NZD", "SG": "SGD", "MY": "MYR", "TH": "THB", "PH": "PHP", "ID": "IDR", "VN": "VND",
        "TW": "TWD", "HK": "HKD", "IN": "INR", "AE": "AED", "SA": "SAR",
    ]

    /// Dollar-denominated currencies (a bare `$` fits any of them).
    public static let dollars: Set<String> = ["USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "MXN"]
    /// Yen/yuan (a bare `¥` fits either).
    public static let yen: Set<String> = ["JPY", "CNY"]
}
