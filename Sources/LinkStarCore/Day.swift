import Foundation

/// A calendar day (no time zone), written `YYYY-MM-DD`.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int
    /// Days since 1970-01-01 (proleptic Gregorian): computed once, when the day is made (reports compare and subtract
    /// days in their inner loops).
    public let ordinal: Int

    /// The first day any input may name (see `supported`).
    public static let firstSupported = Day(unchecked: 2000, 1, 1)
    /// The last day any input may name (see `supported`).
    public static let lastSupported = Day(unchecked: 2099, 12, 31)
    /// Every date a person or a file may give: 2000-01-01 … 2099-12-31. Days computed from these
    /// (a previous period, a review due date) may fall just outside; arithmetic on them stays total.
    public static let supported = firstSupported...lastSupported

    init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
        ordinal = Day.ordinal(year: year, month: month, day: day)
    }

    /// Builds a day, refusing impossible dates such as 2026-02-30 (years 1…9999: computed days;
    /// inputs are checked against `supported` by `Day(parsing:)` and `checkSupported`).
    public init(year: Int, month: Int, day: Int) throws {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Day.daysIn(month: month, year: year)).contains(day) else {
            throw LinkStarError(.invalid, "\(year)-\(month)-\(day) is not a calendar date")
        }
        self.year = year
        self.month = month
        self.day = day
        ordinal = Day.ordinal(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD` (ASCII digits only) within `supported`.
    public init(parsing text: String, field: String = "date") throws {
        // Foundation's trimming only when an end could be whitespace (a space, a tab, or any non-ASCII character).
        func mayBeWhitespace(_ byte: UInt8?) -> Bool { byte.map { $0 == 0x20 || $0 == 0x09 || $0 >= 0x80 } ?? false }
        let mayNeedTrim = mayBeWhitespace(text.utf8.first) || mayBeWhitespace(text.utf8.last)
        let bytes = Array((mayNeedTrim ? text.trimmingCharacters(in: .whitespaces) : text).utf8)
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard bytes[i] >= 48 && bytes[i] <= 57 else { return nil }
                value = value * 10 + Int(bytes[i] - 48)
            }
            return value
        }
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else {
            throw LinkStarError.invalidField(field, "\(Excerpt.quoted(text)) is not a date in YYYY-MM-DD form")
        }
        do { try self.init(year: y, month: m, day: d) } catch {
            throw LinkStarError.invalidField(field, "\(Excerpt.quoted(text)) is not a calendar date")
        }
        try Day.checkSupported(self, field: field)
    }

    /// Refuses a day outside `supported`, naming the field.
    public static func checkSupported(_ day: Day, field: String) throws {
        guard supported.contains(day) else {
            throw LinkStarError.invalidField(field, "\(day) is outside the supported dates \(firstSupported) to \(lastSupported)")
        }
    }

    /// The UTC calendar day of an instant (days counted from 1970-01-01, no calendar object; clamped to
    /// 0001-01-01 … 9999-12-31 like all day arithmetic).
    public init(_ date: Date) {
        let days = (date.timeIntervalSince1970 / 86_400).rounded(.down)
        let bound = Double(Day.maxOrdinal + 1)
        self.init(ordinal: days.isNaN ? 0 : Int(min(max(days, -bound), bound)))
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian) of a calendar date.
    static func ordinal(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The day with the given ordinal (days since 1970-01-01).
    public init(ordinal: Int) {
        let clamped = min(max(ordinal, Day.minOrdinal), Day.maxOrdinal)
        let z = clamped + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
        self.ordinal = clamped
    }

    /// This day moved by `days`.
    /// Clamped to 0001-01-01 … 9999-12-31, so no arithmetic on days can trap.
    public func adding(days: Int) -> Day {
        let (sum, overflow) = ordinal.addingReportingOverflow(days)
        return Day(ordinal: overflow ? (days > 0 ? Day.maxOrdinal : Day.minOrdinal) : sum)
    }

    static let minOrdinal = -719_162     // 0001-01-01
    static let maxOrdinal = 2_932_896    // 9999-12-31

    public var description: String {
        if (0...9999).contains(year), (1...12).contains(month), (1...31).contains(day) {
            // YYYY-MM-DD written digit by digit (every day the reports and JSON print goes through here).
            return String(unsafeUninitializedCapacity: 10) { text in
                let zero = UInt8(ascii: "0")
                text[0] = zero + UInt8(year / 1000); text[1] = zero + UInt8(year / 100 % 10)
                text[2] = zero + UInt8(year / 10 % 10); text[3] = zero + UInt8(year % 10)
                text[4] = UInt8(ascii: "-"); text[5] = zero + UInt8(month / 10); text[6] = zero + UInt8(month % 10)
                text[7] = UInt8(ascii: "-"); text[8] = zero + UInt8(day / 10); text[9] = zero + UInt8(day % 10)
                return 10
            }
        }
        func pad(_ n: Int, _ width: Int) -> String {
            let digits = String(n.magnitude)
            return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Calendar order: the ordinals' (every `Day` is a calendar date, so the same as year, then month, then day).
    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    /// The same day: the same ordinal (year, month and day follow from it).
    public static func == (lhs: Day, rhs: Day) -> Bool { lhs.ordinal == rhs.ordinal }

    /// Hashed by its ordinal, as it is compared.
    public func hash(into hasher: inout Hasher) { hasher.combine(ordinal) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }
}

/// An inclusive range of days, e.g. a baseline period.
public struct DayRange: Hashable, Sendable, Codable, CustomStringConvertible {
    public let from: Day
    public let to: Day

    /// Builds a range; `from` must not be after `to`.
    public init(from: Day, to: Day, field: String = "period") throws {
        guard from <= to else { throw LinkStarError.invalidField(field, "period starts (\(from)) after it ends (\(to))") }
        self.from = from
        self.to = to
    }

    init(unchecked from: Day, _ to: Day) {
        self.from = from
        self.to = to
    }

    /// The calendar month `year-month` (for computed months; no input check).
    static func month(year: Int, month: Int) -> DayRange {
        DayRange(unchecked: Day(unchecked: year, month, 1), Day(unchecked: year, month, Day.daysIn(month: month, year: year)))
    }

    /// Number of days in the range.
    public var dayCount: Int { to.ordinal - from.ordinal + 1 }

    /// Parses `YYYY-MM-DD..YYYY-MM-DD`, a month `YYYY-MM`, or a single day.
    public init(parsing text: String, field: String = "period") throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let range = trimmed.range(of: "..") {
            let from = try Day(parsing: String(trimmed[..<range.lowerBound]), field: field)
            let to = try Day(parsing: String(trimmed[range.upperBound...]), field: field)
            try self.init(from: from, to: to, field: field)
            return
        }
        let parts = trimmed.split(separator: "-")
        if parts.count == 2, parts[0].count == 4, parts[1].count == 2, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
           let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) {
            let first = try Day(year: y, month: m, day: 1)
            let last = try Day(year: y, month: m, day: Day.daysIn(month: m, year: y))
            try Day.checkSupported(first, field: field)
            try Day.checkSupported(last, field: field)
            try self.init(from: first, to: last, field: field)
            return
        }
        if parts.count == 3 {
            let day = try Day(parsing: trimmed, field: field)
            try self.init(from: day, to: day, field: field)
            return
        }
        throw LinkStarError.invalidField(field, "\(Excerpt.quoted(text)) is not a period: use YYYY-MM-DD..YYYY-MM-DD or a month YYYY-MM")
    }

    public var description: String { "\(from)..\(to)" }

    private enum CodingKeys: String, CodingKey { case from, to }
}
