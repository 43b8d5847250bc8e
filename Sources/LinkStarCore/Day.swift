import Foundation

/// A calendar day (no time zone), written `YYYY-MM-DD`.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Builds a day, refusing impossible dates such as 2026-02-30.
    public init(year: Int, month: Int, day: Int) throws {
        guard (1900...9999).contains(year), (1...12).contains(month),
              (1...Day.daysIn(month: month, year: year)).contains(day) else {
            throw LinkStarError(.invalid, String(format: "%04d-%02d-%02d is not a calendar date", year, month, day))
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init(parsing text: String, field: String = "date") throws {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else {
            throw LinkStarError.invalidField(field, "'\(text)' is not a date in YYYY-MM-DD form")
        }
        do { try self.init(year: y, month: m, day: d) } catch {
            throw LinkStarError.invalidField(field, "'\(text)' is not a calendar date")
        }
    }

    /// The UTC calendar day of an instant.
    public init(_ date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        self.year = c.year!
        self.month = c.month!
        self.day = c.day!
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    public var ordinal: Int {
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
        let z = ordinal + 719468
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
    }

    /// This day moved by `days`.
    public func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

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
        if parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]),
           (1...12).contains(m), (1900...9999).contains(y) {
            let first = try Day(year: y, month: m, day: 1)
            let last = try Day(year: y, month: m, day: Day.daysIn(month: m, year: y))
            try self.init(from: first, to: last, field: field)
            return
        }
        if parts.count == 3 {
            let day = try Day(parsing: trimmed, field: field)
            try self.init(from: day, to: day, field: field)
            return
        }
        throw LinkStarError.invalidField(field, "'\(text)' is not a period: use YYYY-MM-DD..YYYY-MM-DD or a month YYYY-MM")
    }

    public var description: String { "\(from)..\(to)" }

    private enum CodingKeys: String, CodingKey { case from, to }
}
