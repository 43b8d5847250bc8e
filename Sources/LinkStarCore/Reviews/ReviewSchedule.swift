/// What a review covers: one layer, or the whole funnel.
public enum ReviewScope: Hashable, Sendable, Codable, CustomStringConvertible {
    case layer(LayerKey)
    case funnel

    /// Parses a layer name or `funnel`.
    public init(parsing text: String, field: String = "scope") throws {
        if text.lowercased() == "funnel" { self = .funnel; return }
        do { self = .layer(try LayerKey.parse(text, field: field)) } catch {
            throw LinkStarError.unknown("review scope", text, field: field, among: LayerKey.allCases.map(\.rawValue) + ["funnel"])
        }
    }

    public var description: String {
        switch self {
        case .layer(let key): key.rawValue
        case .funnel: "funnel"
        }
    }

    public var layer: LayerKey? { if case .layer(let key) = self { key } else { nil } }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public init(from decoder: any Decoder) throws { try self.init(parsing: try decoder.singleValueContainer().decode(String.self)) }
}

/// One review period and the day its review is due.
public struct ReviewPeriod: Hashable, Sendable, Codable {
    public var label: String
    public var range: DayRange
    public var dueOn: Day
}

/// Review periods and due dates for a cadence: weekly and biweekly periods are ISO weeks (Monday–Sunday),
/// monthly and quarterly ones calendar months and quarters. A review is due on the first `day`
/// (a weekday, or a day of the month) after its period ends; by default the day after for weekly
/// cadences, the 1st of the next month otherwise.
public struct ReviewSchedule: Sendable, Equatable {
    public var cadence: ReviewCadence
    public var day: String?

    public init(cadence: ReviewCadence, day: String? = nil) {
        self.cadence = cadence
        self.day = day
    }

    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    /// A Monday that anchors biweekly periods.
    static let biweeklyAnchor = Day(ordinal: 19723)   // 2024-01-01

    /// The period containing `day`.
    public func period(containing day: Day) -> ReviewPeriod {
        switch cadence {
        case .weekly:
            let monday = day.adding(days: -PeriodSpec.weekday(day))
            return make(DayRange(unchecked: monday, monday.adding(days: 6)))
        case .biweekly:
            let offset = day.ordinal - Self.biweeklyAnchor.ordinal
            let block = offset >= 0 ? offset / 14 : (offset - 13) / 14
            let start = Self.biweeklyAnchor.adding(days: block * 14)
            return make(DayRange(unchecked: start, start.adding(days: 13)))
        case .monthly:
            return make(DayRange.month(year: day.year, month: day.month))
        case .quarterly:
            let firstMonth = (day.month - 1) / 3 * 3 + 1
            let from = Day(unchecked: day.year, firstMonth, 1)
            return make(DayRange(unchecked: from, DayRange.month(year: day.year, month: firstMonth + 2).to))
        }
    }

    /// The period before `period`.
    public func previous(_ period: ReviewPeriod) -> ReviewPeriod { self.period(containing: period.range.from.adding(days: -1)) }

    /// The period after `period`.
    public func next(_ period: ReviewPeriod) -> ReviewPeriod { self.period(containing: period.range.to.adding(days: 1)) }

    /// The latest period whose review is due by `today` (it must be closed by now).
    public func duePeriod(today: Day) -> ReviewPeriod {
        var candidate = previous(period(containing: today))
        while candidate.dueOn > today { candidate = previous(candidate) }
        return candidate
    }

    /// The period a label names (`2026-W47`, `2026-11`, `2026-Q4`), or the period containing a day.
    public func period(named text: String, field: String = "period") throws -> ReviewPeriod {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        if let q = trimmed.range(of: "-Q"), trimmed[..<q.lowerBound].count == 4, trimmed[..<q.lowerBound].allSatisfy({ $0.isASCII && $0.isNumber }),
           let year = Int(trimmed[..<q.lowerBound]), let quarter = Int(trimmed[q.upperBound...]), (1...4).contains(quarter) {
            let first = try Day(year: year, month: (quarter - 1) * 3 + 1, day: 1)
            try Day.checkSupported(first, field: field)
            return period(containing: first)
        }
        let range = try PeriodSpec.parse(text, today: Day.firstSupported, field: field)
        let found = period(containing: range.from)
        guard found.range.to >= range.to else {
            throw LinkStarError.invalidField(field, "\(Excerpt.quoted(text)) spans more than one \(cadence.rawValue) review period")
        }
        return found
    }

    func make(_ range: DayRange) -> ReviewPeriod {
        ReviewPeriod(label: label(range), range: range, dueOn: due(after: range))
    }

    func label(_ range: DayRange) -> String {
        switch cadence {
        case .weekly: return isoWeekLabel(range.from)
        case .biweekly: return "\(isoWeekLabel(range.from))+\(isoWeekLabel(range.from.adding(days: 7)).suffix(3))"
        case .monthly: return String(range.from.description.prefix(7))
        case .quarterly: return "\(range.from.year)-Q\((range.from.month - 1) / 3 + 1)"
        }
    }

    func isoWeekLabel(_ monday: Day) -> String {
        // The ISO year is the year of the week's Thursday.
        let thursday = monday.adding(days: 3)
        let jan4 = Day(unchecked: thursday.year, 1, 4)
        let week1 = jan4.adding(days: -PeriodSpec.weekday(jan4))
        let week = (monday.ordinal - week1.ordinal) / 7 + 1
        return "\(thursday.description.prefix(4))-W\(week < 10 ? "0" : "")\(week)"
    }

    func due(after range: DayRange) -> Day {
        switch cadence {
        case .weekly, .biweekly:
            let target = day.flatMap { Self.weekdays.firstIndex(of: $0) } ?? 0
            let next = range.to.adding(days: 1)
            return next.adding(days: (target - PeriodSpec.weekday(next) + 7) % 7)
        case .monthly, .quarterly:
            let next = range.to.adding(days: 1)
            let dayOfMonth = day.flatMap(Int.init) ?? 1
            return Day(unchecked: next.year, next.month, min(28, max(1, dayOfMonth)))
        }
    }
}
