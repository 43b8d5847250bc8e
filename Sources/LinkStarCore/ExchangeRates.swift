import Foundation

/// Dated exchange rates into one reporting currency: a rate applies from its day until the next rate of
/// the same currency. Every conversion uses the rate in force on the observation's day.
public struct ExchangeRates: Sendable, Equatable {
    /// One rate: 1 `currency` = `rate` units of the reporting currency from `from` on.
    public struct Rate: Sendable, Equatable {
        public var currency: String
        public var from: Day
        public var rate: Double
        public init(currency: String, from: Day, rate: Double) {
            self.currency = currency
            self.from = from
            self.rate = rate
        }
    }

    /// The currency amounts are converted into; nil when none is set (nothing converts).
    public let reportingCurrency: String?
    /// currency → rates sorted by day.
    private let schedule: [String: [Rate]]

    public init(reportingCurrency: String?, rates: [Rate]) {
        self.reportingCurrency = reportingCurrency
        self.schedule = Dictionary(grouping: rates, by: \.currency).mapValues { $0.sorted { $0.from < $1.from } }
    }

    /// No reporting currency, no rates.
    public static let none = ExchangeRates(reportingCurrency: nil, rates: [])

    /// Units of the reporting currency per unit of `currency` on `day`; 1 for the reporting currency itself,
    /// nil when no rate is in force that day (or there is no reporting currency).
    public func rate(_ currency: String, on day: Day) -> Double? {
        guard let reportingCurrency else { return nil }
        if currency == reportingCurrency { return 1 }
        guard let rates = schedule[currency], !rates.isEmpty else { return nil }
        // The last rate whose day is on or before `day`.
        var low = 0, high = rates.count
        while low < high {
            let middle = (low + high) / 2
            if rates[middle].from <= day { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : rates[low - 1].rate
    }
}

/// A running total of one base metric over some cells, kept per currency ("" for non-currency metrics),
/// with its conversion into the reporting currency at each day's rate.
public struct AmountTotal: Sendable, Equatable {
    /// The sum of the values without a currency, and whether there was one (kept apart: no hashing per value).
    private var plain: Double = 0
    private var hasPlain = false
    /// currency → sum, for money.
    private var money: [String: Double] = [:]
    /// currency ("" when the metric is not money) → sum.
    public var byCurrency: [String: Double] {
        var all = money
        if hasPlain { all[""] = plain }
        return all
    }
    /// The sum converted at each day's rate (meaningful only when `daysWithoutRate` is empty).
    public private(set) var converted: Double = 0
    /// Days whose amount had no rate in force.
    public private(set) var daysWithoutRate: Set<Day> = []

    public init() {}

    /// Adds one cell's value.
    public mutating func add(_ value: Double, currency: String?, day: Day, rates: ExchangeRates) {
        add(value, currency: currency, dayOrdinal: day.ordinal, rates: rates)
    }

    /// Adds one cell's value, its day as an ordinal (a `Day` is built only for money, which needs its rate).
    public mutating func add(_ value: Double, currency: String?, dayOrdinal: Int, rates: ExchangeRates) {
        guard let code = currency else {
            plain += value
            hasPlain = true
            converted += value
            return
        }
        money[code, default: 0] += value
        let day = Day(ordinal: dayOrdinal)
        if let rate = rates.rate(code, on: day) { converted += value * rate } else { daysWithoutRate.insert(day) }
    }

    /// Adds another total (for sums over disjoint sets of cells).
    public mutating func merge(_ other: AmountTotal) {
        if other.hasPlain {
            plain += other.plain
            hasPlain = true
        }
        for (currency, value) in other.money { money[currency, default: 0] += value }
        converted += other.converted
        daysWithoutRate.formUnion(other.daysWithoutRate)
    }

    /// The plain sum of a non-money metric (for money, the sum of every currency: only meaningful for one currency).
    public var sum: Double { money.isEmpty ? plain : byCurrency.values.reduce(0, +) }

    /// True when nothing was added.
    public var isEmpty: Bool { !hasPlain && money.isEmpty }

    /// True when the amounts are in more than one currency.
    public var isMixed: Bool { money.count + (hasPlain ? 1 : 0) > 1 }

    /// The total in its one currency (nil currency for non-money), or converted into the reporting currency
    /// when several currencies meet or `convert` is set; fails when a day lacks a rate.
    public func resolved(rates: ExchangeRates, convert: Bool = false) -> Result<(value: Double, currency: String?), AmountProblem> {
        if byCurrency.isEmpty { return .success((0, nil)) }
        if byCurrency.keys.first == "" && byCurrency.count == 1 { return .success((byCurrency[""]!, nil)) }
        if !convert, byCurrency.count == 1, let (currency, value) = byCurrency.first { return .success((value, currency)) }
        guard let reporting = rates.reportingCurrency else { return .failure(.noReportingCurrency(currencies: byCurrency.keys.sorted())) }
        if !daysWithoutRate.isEmpty { return .failure(.missingRates(currencies: byCurrency.keys.sorted(), days: daysWithoutRate.sorted())) }
        return .success((converted, reporting))
    }
}

/// Why an amount could not be given in one currency.
public enum AmountProblem: Error, Sendable, Equatable {
    /// Several currencies and no reporting currency to convert into.
    case noReportingCurrency(currencies: [String])
    /// Several currencies and these days have no rate in force.
    case missingRates(currencies: [String], days: [Day])

    /// The days without a rate (empty when there is no reporting currency at all).
    public var days: [Day] {
        if case .missingRates(_, let days) = self { return days }
        return []
    }

    /// A sentence for people, naming the metric.
    public func message(metric: String) -> Message {
        switch self {
        case .noReportingCurrency(let currencies):
            return "\(metric: metric) is in \(currencies.joined(separator: ", ")): amounts in different currencies are not added; set a reporting currency and exchange rates (fx), or cut by market"
        case .missingRates(let currencies, let days):
            if days.count == 1 {
                return "\(metric: metric) is in \(currencies.joined(separator: ", ")) and 1 day lacks an exchange rate (\(DayRange.describe(days))): set one with fx set CUR RATE --from DATE"
            }
            return "\(metric: metric) is in \(currencies.joined(separator: ", ")) and \(days.count) days lack an exchange rate (\(DayRange.describe(days))): set one with fx set CUR RATE --from DATE"
        }
    }
}

extension DayRange {
    /// Days as compact ranges, e.g. `2026-10-01..2026-10-03, 2026-10-07` (at most 5 ranges, then `…`).
    public static func describe(_ days: [Day]) -> String {
        let sorted = days.sorted()
        var ranges: [(Day, Day)] = []
        for day in sorted {
            if let last = ranges.last, last.1.ordinal + 1 == day.ordinal { ranges[ranges.count - 1].1 = day } else { ranges.append((day, day)) }
        }
        let shown = ranges.prefix(5).map { $0.0 == $0.1 ? "\($0.0)" : "\($0.0)..\($0.1)" }
        return shown.joined(separator: ", ") + (ranges.count > 5 ? ", …" : "")
    }
}
