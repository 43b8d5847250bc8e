/// The unit a metric is measured in.
public enum MetricUnit: String, CaseIterable, Codable, Sendable {
    case count, currency, ratio, seconds
}

/// Which way is good for a metric.
public enum MetricDirection: String, CaseIterable, Codable, Sendable {
    /// Higher is better (sessions, conversion_rate).
    case up
    /// Lower is better (bounce_rate, acos, refund_rate).
    case down
}

/// Where a metric's values come from.
public enum MetricSource: String, CaseIterable, Codable, Sendable {
    /// Imported observations per segment and day.
    case observations
    /// LinkStar's own records (reviews, actions, follow-ups, data freshness), counted per period.
    case workspace
}

/// How a derived metric is computed from base metrics: `numerator / denominator`
/// or `(numerator - subtract) / denominator`, always from summed counts.
public struct MetricFormula: Hashable, Sendable, Codable, CustomStringConvertible {
    public var numerator: String
    public var subtract: String?
    public var denominator: String

    public init(numerator: String, subtract: String? = nil, denominator: String) {
        self.numerator = numerator
        self.subtract = subtract
        self.denominator = denominator
    }

    /// The base metrics the formula reads.
    public var parts: [String] { [numerator] + (subtract.map { [$0] } ?? []) + [denominator] }

    /// The formula's numerator from summed counts: `numerator − subtract` (the one place that arithmetic lives).
    public static func top(numerator: Double, subtract: Double?) -> Double { numerator - (subtract ?? 0) }

    /// The formula's value from summed counts; nil when the denominator is not positive.
    public static func value(numerator: Double, subtract: Double?, denominator: Double) -> Double? {
        denominator > 0 ? top(numerator: numerator, subtract: subtract) / denominator : nil
    }

    public var description: String {
        if let subtract { return "(\(numerator) - \(subtract)) / \(denominator)" }
        return "\(numerator) / \(denominator)"
    }

    /// Parses `a / b` or `(a - b) / c`.
    public init(parsing text: String, field: String = "formula") throws {
        let compact = text.filter { !$0.isWhitespace }
        let halves = compact.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        func bad() -> LinkStarError {
            LinkStarError.invalidField(field, "formula \(Excerpt.quoted(text)) must be 'numerator / denominator' or '(a - b) / denominator' over metric keys")
        }
        guard halves.count == 2, !halves[0].isEmpty, !halves[1].isEmpty else { throw bad() }
        var top = halves[0]
        let denominator = try MetricKey.validate(halves[1], field: field)
        if top.hasPrefix("(") && top.hasSuffix(")") { top = String(top.dropFirst().dropLast()) }
        let terms = top.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        switch terms.count {
        case 1:
            self.init(numerator: try MetricKey.validate(terms[0], field: field), denominator: denominator)
        case 2:
            guard halves[0].hasPrefix("(") else { throw bad() }
            self.init(numerator: try MetricKey.validate(terms[0], field: field),
                      subtract: try MetricKey.validate(terms[1], field: field), denominator: denominator)
        default:
            throw bad()
        }
    }
}

/// How a metric's values over a period become one number.
public enum MetricAggregation: String, Codable, Sendable {
    /// (numerator − subtract) / denominator from sums over the matched cells.
    case rate
    /// The sum over the days with data divided by their number: shown with `/day`.
    case dailyAverage = "daily_average"
    /// The total over the period (loop-health counts).
    case periodTotal = "period_total"

    /// What a reader sees after the number (and its currency): `/day`, ` per period`, or nothing for a rate.
    public var suffix: String {
        switch self {
        case .rate: ""
        case .dailyAverage: "/day"
        case .periodTotal: " per period"
        }
    }

    /// One sentence on what the value is, for `kpi show` and the README.
    public var explanation: String {
        switch self {
        case .rate: "a rate over the cells (segment × day) that report every part of the formula"
        case .dailyAverage: "a daily average: the period's total divided by the days with data"
        case .periodTotal: "a total over the period, counted from LinkStar's own records"
        }
    }
}

/// Metric key validation: `snake_case`, 2–40 characters.
public enum MetricKey {
    /// Returns the key if valid, else throws naming the field.
    public static func validate(_ text: String, field: String = "metric") throws -> String {
        // Already a key (what the database and the catalog hold): returned as is, without Foundation's trimming or a
        // set of allowed characters built per call.
        if isKey(text.utf8) { return text }
        return try validatedByRule(text, field: field)
    }

    /// The rule itself, for any text (`validate` returns a text that is already a key before coming here).
    static func validatedByRule(_ text: String, field: String) throws -> String {
        try Segment.refuseInvisible(text, field: field)
        let key = text.trimmingCharacters(in: .whitespaces)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_")
        guard (2...40).contains(key.count), key.first!.isLetter, key.allSatisfy({ allowed.contains($0) }) else {
            throw LinkStarError.invalidField(field, "metric key \(Excerpt.quoted(text)) must be 2-40 characters of a-z, 0-9 and '_', starting with a letter")
        }
        return key
    }

    /// 2–40 bytes of a-z, 0-9 and '_', the first a letter: exactly the texts `validate` accepts unchanged.
    static func isKey(_ utf8: String.UTF8View) -> Bool {
        guard (2...40).contains(utf8.count), let first = utf8.first, (0x61...0x7A).contains(first) else { return false }
        return utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }
}

/// A catalog entry: what a metric means exactly, its unit, good direction and default layer.
public struct MetricDefinition: Hashable, Sendable, Codable {
    public var key: String
    public var name: String
    public var definition: String
    public var unit: MetricUnit
    public var direction: MetricDirection
    public var layer: LayerKey
    /// Set for derived metrics; nil for base metrics, which are observed directly.
    public var formula: MetricFormula?
    /// The largest value the metric can take (1 for rates that are parts of a whole), nil when unbounded.
    public var upperBound: Double?
    public var builtin: Bool
    /// Observations, or LinkStar's own records (loop-health metrics).
    public var source: MetricSource

    /// The name in `language`: a built-in metric still carrying its English name reads in Chinese; a team's own name stays.
    public func name(_ language: Language) -> String {
        guard language == .zh, builtin, name == MetricCatalog.englishNames[key], let zh = Catalog.metricsZH[key] else { return name }
        return zh.name
    }

    /// The definition in `language`, on the same rule as `name(_:)`.
    public func definition(_ language: Language) -> String {
        guard language == .zh, builtin, definition == MetricCatalog.englishDefinitions[key], let zh = Catalog.metricsZH[key] else { return definition }
        return zh.definition
    }

    public init(key: String, name: String, definition: String, unit: MetricUnit, direction: MetricDirection,
                layer: LayerKey, formula: MetricFormula? = nil, upperBound: Double? = nil, builtin: Bool = false,
                source: MetricSource = .observations) {
        self.source = source
        self.key = key
        self.name = name
        self.definition = definition
        self.unit = unit
        self.direction = direction
        self.layer = layer
        self.formula = formula
        self.upperBound = upperBound
        self.builtin = builtin
    }

    /// True for metrics computed from others (never stored as observations).
    public var isDerived: Bool { formula != nil }

    /// True for the metrics a funnel is made of (see `FunnelDefinition`).
    public var isFunnelStage: Bool { FunnelDefinition.isStage(key) }

    /// How a KPI on this metric aggregates a period: rates from summed counts over matched cells; observed counts
    /// and amounts as a daily average over the days with data; loop-health counts as a period total.
    public var aggregation: MetricAggregation {
        if formula != nil { return .rate }
        return source == .workspace ? .periodTotal : .dailyAverage
    }

    /// Checks that a target or baseline value is one this metric can take.
    public func validateValue(_ value: Double, field: String) throws {
        guard value.isFinite else { throw LinkStarError.invalidField(field, "\(value) is not a finite number") }
        guard value >= 0 else {
            throw LinkStarError.invalidField(field, "\(key) cannot be negative (got \(value))")
        }
        // A count KPI's target is a daily average, so it may have a fraction; its size is bounded all the same.
        if value.magnitude > InputLimits.maximum(of: unit) {
            throw LinkStarError.invalidField(field, "\(MetricDefinition.format(value)) is beyond the largest \(unit.rawValue) LinkStar accepts (\(MetricDefinition.format(InputLimits.maximum(of: unit))))")
        }
        if let upperBound, value > upperBound {
            let message: Message = "\(key) is a \(unit) between 0 and \(MetricDefinition.format(upperBound)); got \(MetricDefinition.format(value))"
            if unit == .ratio && value > 1 && value <= 100 { throw LinkStarError.invalidField(field, "\(message) (write 3.5% as 0.035)") }
            throw LinkStarError.invalidField(field, message)
        }
    }

    /// A number for a message: integers without a fraction, others as Swift prints them (total for any Double).
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// The input for `metric define`: a custom base metric or a derived one over existing base metrics.
public struct NewMetric: Sendable, Equatable {
    public var key: String
    public var name: String?
    public var definition: String
    public var unit: MetricUnit?
    public var direction: MetricDirection
    public var layer: LayerKey
    public var formula: MetricFormula?
    /// For derived ratios: allow values above 1 (e.g. ROAS-like ratios).
    public var unbounded: Bool

    public init(key: String, name: String? = nil, definition: String, unit: MetricUnit? = nil,
                direction: MetricDirection, layer: LayerKey, formula: MetricFormula? = nil, unbounded: Bool = false) {
        self.key = key
        self.name = name
        self.definition = definition
        self.unit = unit
        self.direction = direction
        self.layer = layer
        self.formula = formula
        self.unbounded = unbounded
    }

    /// Validates against the existing catalog and returns the full definition.
    public func resolve(in catalog: [String: MetricDefinition]) throws -> MetricDefinition {
        let key = try MetricKey.validate(self.key, field: "key")
        if catalog[key] != nil {
            throw LinkStarError(.conflict, "metric \(Excerpt.quoted(key)) already exists", details: [.init(field: "key", message: "already exists")])
        }
        let definition = self.definition.trimmingCharacters(in: .whitespaces)
        if definition.isEmpty {
            throw LinkStarError.invalidField("definition", "a metric needs an exact definition (what is counted, from which source)")
        }
        let name = (self.name?.trimmingCharacters(in: .whitespaces)).flatMap { $0.isEmpty ? nil : $0 } ?? key
        guard let formula else {
            guard let unit else { throw LinkStarError.invalidField("unit", "a base metric needs --unit count|currency|seconds") }
            if unit == .ratio {
                throw LinkStarError.invalidField(
                    "unit", "a ratio is never observed directly: define it with a formula of two count metrics, e.g. orders / sessions")
            }
            return MetricDefinition(key: key, name: name, definition: definition, unit: unit, direction: direction, layer: layer)
        }
        var units: [MetricUnit] = []
        var sources: Set<MetricSource> = []
        for part in formula.parts {
            guard let metric = catalog[part] else {
                throw LinkStarError.unknown("metric", part, field: "formula", among: catalog.keys.sorted())
            }
            if metric.isDerived {
                throw LinkStarError.invalidField("formula", "\(Excerpt.quoted(part)) is itself derived; a formula may only use base metrics")
            }
            units.append(metric.unit)
            sources.insert(metric.source)
        }
        if sources.count > 1 {
            throw LinkStarError.invalidField("formula", "a formula cannot mix observed metrics with LinkStar's own loop-health counts")
        }
        if formula.parts.contains(key) { throw LinkStarError.invalidField("formula", "a metric cannot refer to itself") }
        let numeratorUnit = units[0], denominatorUnit = units.last!
        if let subtract = formula.subtract, units[1] != numeratorUnit {
            throw LinkStarError.invalidField("formula", "'\(formula.numerator)' and '\(subtract)' have different units and cannot be subtracted")
        }
        let resultUnit: MetricUnit
        switch (numeratorUnit, denominatorUnit) {
        case (.count, .count), (.currency, .currency), (.seconds, .seconds): resultUnit = .ratio
        case (.currency, .count): resultUnit = .currency
        case (.seconds, .count): resultUnit = .seconds
        default:
            throw LinkStarError.invalidField(
                "formula", "\(numeratorUnit.rawValue) / \(denominatorUnit.rawValue) is not a supported combination")
        }
        if let unit, unit != resultUnit {
            throw LinkStarError.invalidField("unit", "\(formula) is a \(resultUnit.rawValue), not a \(unit.rawValue)")
        }
        let bounded = resultUnit == .ratio && numeratorUnit == .count && !unbounded
        return MetricDefinition(key: key, name: name, definition: definition, unit: resultUnit, direction: direction,
                                layer: layer, formula: formula, upperBound: bounded ? 1 : nil, source: sources.first ?? .observations)
    }
}

extension NewMetric {
    /// A new metric from the text people type or send; the CLI and the API both use it.
    public static func parse(key: String, name: String?, definition: String, unit: String?, direction: String, layer: String,
                             formula: String?, unbounded: Bool) throws -> NewMetric {
        if unit == nil && formula == nil {
            throw LinkStarError.invalidField("unit", "a base metric needs a unit, a derived one a formula")
        }
        return NewMetric(key: key, name: name, definition: definition, unit: try unit.map { try MetricUnit.parse($0, field: "unit") },
                         direction: try MetricDirection.parse(direction, field: "direction"), layer: try LayerKey.parse(layer),
                         formula: try formula.map { try MetricFormula(parsing: $0) }, unbounded: unbounded)
    }
}
