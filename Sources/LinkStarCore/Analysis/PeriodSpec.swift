/// A reporting period named the way people say it: `last-7d`, `last-30d`, `2026-10`, `2026-W44`,
/// `2026-10-01..2026-10-31`, or a single day. Relative periods end yesterday (today is incomplete).
public enum PeriodSpec {
    /// The days the text names, relative to `today`.
    public static func parse(_ text: String, today: Day, field: String = "period") throws -> DayRange {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.hasPrefix("last-"), trimmed.hasSuffix("d"), let days = Int(trimmed.dropFirst(5).dropLast()), (1...3660).contains(days) {
            return try DayRange(from: today.adding(days: -days), to: today.adding(days: -1), field: field)
        }
        if trimmed == "yesterday" { let day = today.adding(days: -1); return try DayRange(from: day, to: day) }
        if trimmed == "today" { return try DayRange(from: today, to: today) }
        if let w = trimmed.firstIndex(of: "w"), w != trimmed.startIndex, trimmed[trimmed.index(before: w)] == "-",
           trimmed[..<trimmed.index(before: w)].count == 4, trimmed[..<trimmed.index(before: w)].allSatisfy({ $0.isASCII && $0.isNumber }),
           trimmed[trimmed.index(after: w)...].count <= 2, trimmed[trimmed.index(after: w)...].allSatisfy({ $0.isASCII && $0.isNumber }),
           let year = Int(trimmed[..<trimmed.index(before: w)]), let week = Int(trimmed[trimmed.index(after: w)...]) {
            let range = try isoWeek(year: year, week: week, field: field)
            try Day.checkSupported(range.from, field: field)
            try Day.checkSupported(range.to, field: field)
            return range
        }
        do {
            return try DayRange(parsing: trimmed, field: field)
        } catch {
            if let error = error as? LinkStarError, error.message.contains("supported dates") { throw error }
            throw LinkStarError.invalidField(field, "\(Excerpt.quoted(text)) is not a period: use last-7d, last-30d, 2026-10, 2026-W44 or 2026-10-01..2026-10-31")
        }
    }

    /// The window a report asks for: `from` and `to` together, or a named `period` (default `last-7d`), not both.
    public static func resolve(period: String?, from: String?, to: String?, today: Day) throws -> DayRange {
        if period != nil && (from != nil || to != nil) {
            throw LinkStarError.invalidField("period", "give period or from/to, not both")
        }
        if let from, let to {
            return try DayRange(from: try Day(parsing: from, field: "from"), to: try Day(parsing: to, field: "to"))
        }
        if from != nil || to != nil { throw LinkStarError.invalidField(from == nil ? "from" : "to", "from and to go together") }
        return try parse(period ?? "last-7d", today: today)
    }

    /// ISO 8601 week `week` of `year` (Monday to Sunday).
    public static func isoWeek(year: Int, week: Int, field: String = "period") throws -> DayRange {
        let jan4 = try Day(year: year, month: 1, day: 4)
        // 1970-01-01 was a Thursday: weekday 0 = Monday.
        let weekday = ((jan4.ordinal % 7) + 10) % 7
        let week1Monday = jan4.adding(days: -weekday)
        let weeksInYear = try isoWeeksIn(year: year)
        guard (1...weeksInYear).contains(week) else {
            throw LinkStarError.invalidField(field, "\(year) has weeks 1 to \(weeksInYear), not \(week)")
        }
        let start = week1Monday.adding(days: (week - 1) * 7)
        return try DayRange(from: start, to: start.adding(days: 6))
    }

    static func isoWeeksIn(year: Int) throws -> Int {
        let dec28 = try Day(year: year, month: 12, day: 28)
        let jan4 = try Day(year: year, month: 1, day: 4)
        let mondayOfDec28 = dec28.adding(days: -(((dec28.ordinal % 7) + 10) % 7))
        let mondayOfJan4 = jan4.adding(days: -(((jan4.ordinal % 7) + 10) % 7))
        return (mondayOfDec28.ordinal - mondayOfJan4.ordinal) / 7 + 1
    }

    /// Weekday of a day, 0 = Monday … 6 = Sunday.
    public static func weekday(_ day: Day) -> Int { ((day.ordinal % 7) + 10) % 7 }
}

/// What a period is compared with.
public enum Comparison: String, CaseIterable, Codable, Sendable {
    /// The same number of days right before.
    case previous
    /// The KPI baselines recorded for the steps' rate metrics.
    case baseline
    /// The same days 52 weeks earlier (364 days: weekdays line up).
    case yoy

    /// The comparison window for `previous` and `yoy`.
    public func window(for period: DayRange) -> DayRange? {
        switch self {
        case .previous:
            return try? DayRange(from: period.from.adding(days: -period.dayCount), to: period.from.adding(days: -1))
        case .yoy:
            return try? DayRange(from: period.from.adding(days: -364), to: period.to.adding(days: -364))
        case .baseline:
            return nil
        }
    }
}
