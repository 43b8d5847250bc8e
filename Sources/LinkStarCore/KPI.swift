/// A KPI's health, decided by `KPIStatusRule`.
public enum KPIStatus: String, CaseIterable, Codable, Sendable {
    case onTrack = "on-track"
    case atRisk = "at-risk"
    case offTrack = "off-track"
    case noData = "no-data"
    case noBaseline = "no-baseline"
}

/// How far short of target a KPI may be and still count as at-risk rather than off-track.
public enum WarningBand: Hashable, Sendable, Codable, CustomStringConvertible {
    /// In the metric's own unit (e.g. 0.005 for half a percentage point).
    case absolute(Double)
    /// A fraction of the target (0.1 = within 10% of target).
    case relative(Double)

    /// The band used when none is given: within 10% of the target.
    public static let `default` = WarningBand.relative(0.10)

    /// Parses `0.005` (absolute) or `10%` (relative to target).
    public init(parsing text: String, field: String = "warn") throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            guard let percent = Double(trimmed.dropLast().trimmingCharacters(in: .whitespaces)), percent.isFinite,
                  percent >= 0, percent < 100 else {
                throw LinkStarError.invalidField(field, "warning band \(Excerpt.quoted(text)) must be a percentage from 0% to below 100%")
            }
            self = .relative(percent / 100)
        } else {
            guard let value = Double(trimmed), value.isFinite, value >= 0 else {
                throw LinkStarError.invalidField(field, "warning band \(Excerpt.quoted(text)) must be a non-negative number or a percentage like 10%")
            }
            self = .absolute(value)
        }
    }

    /// The kind stored in the database (`absolute` or `relative`).
    public var kind: String {
        switch self {
        case .absolute: "absolute"
        case .relative: "relative"
        }
    }

    /// The stored number.
    public var value: Double {
        switch self {
        case .absolute(let v), .relative(let v): v
        }
    }

    /// Rebuilds a band from its stored kind and value.
    public init?(kind: String?, value: Double?) {
        guard let kind, let value else { return nil }
        switch kind {
        case "absolute": self = .absolute(value)
        case "relative": self = .relative(value)
        default: return nil
        }
    }

    /// The band's width around a given target, in the metric's unit.
    public func width(around target: Double) -> Double {
        switch self {
        case .absolute(let v): v
        case .relative(let f): abs(target) * f
        }
    }

    public var description: String {
        switch self {
        case .absolute(let v): String(v)
        case .relative(let f): "\(MetricDefinition.format((f * 100 * 1e6).rounded() / 1e6))%"
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(value, forKey: .value)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let band = WarningBand(kind: try c.decode(String.self, forKey: .kind), value: try c.decode(Double.self, forKey: .value)) else {
            throw LinkStarError.invalidField("warning_band.kind", "must be absolute or relative")
        }
        self = band
    }

    private enum CodingKeys: String, CodingKey { case kind, value }
}

/// A baseline: the value a KPI had, and the period it was measured over.
public struct Baseline: Hashable, Sendable, Codable {
    public var value: Double
    public var period: DayRange

    public init(value: Double, period: DayRange) {
        self.value = value
        self.period = period
    }
}

/// The input for `kpi set`: a KPI's scope, owner, baseline, target and band.
public struct KPISpec: Sendable, Equatable {
    public var layer: LayerKey?
    public var metric: String
    public var segment: Segment
    public var ownerHandle: String?
    public var baseline: Baseline?
    public var target: Double?
    public var warningBand: WarningBand?
    /// The currency a money KPI's baseline and target are in (else the data's one currency, else the reporting currency).
    public var currency: String?

    public init(layer: LayerKey? = nil, metric: String, segment: Segment = .all, ownerHandle: String? = nil,
                baseline: Baseline? = nil, target: Double? = nil, warningBand: WarningBand? = nil, currency: String? = nil) {
        self.currency = currency
        self.layer = layer
        self.metric = metric
        self.segment = segment
        self.ownerHandle = ownerHandle
        self.baseline = baseline
        self.target = target
        self.warningBand = warningBand
    }

    /// A KPI spec from what people type or send; the CLI and the API both use it. A baseline and the period it was
    /// measured over go together (`2026-09` or `2026-09-01..2026-09-30`): either alone is refused.
    public static func parse(metric: String, layer: String?, segment: String?, owner: String?, baseline: Double?,
                             baselinePeriod: String?, target: Double?, warn: String?, currency: String? = nil) throws -> KPISpec {
        var baselineValue: Baseline?
        switch (baseline, baselinePeriod) {
        case let (value?, period?):
            baselineValue = Baseline(value: value, period: try DayRange(parsing: period, field: "baseline_period"))
        case (_?, nil):
            throw LinkStarError.invalidField("baseline_period", "a baseline needs the period it was measured over (2026-09 or 2026-09-01..2026-09-30)")
        case (nil, _?):
            throw LinkStarError.invalidField("baseline", "a baseline period needs a baseline value")
        case (nil, nil):
            break
        }
        for (field, value) in [("baseline", baseline), ("target", target)] {
            if let value, !value.isFinite { throw LinkStarError.invalidField(field, "\(value) is not a finite number") }
        }
        return KPISpec(layer: try layer.map { try LayerKey.parse($0) }, metric: try MetricKey.validate(metric.lowercased()),
                       segment: try segment.map { try Segment(parsing: $0) } ?? .all, ownerHandle: owner, baseline: baselineValue,
                       target: target, warningBand: try warn.map { try WarningBand(parsing: $0, field: "warning_band") },
                       currency: try currency.map { try CurrencyCode.parse($0, field: "currency") })
    }

    /// The changes of `kpi edit ID` (the KPI's layer, metric and segment are kept by the use case); at least one field.
    public static func parseEdit(owner: String?, baseline: Double?, baselinePeriod: String?, target: Double?, warn: String?,
                                 currency: String?) throws -> KPISpec {
        if owner == nil && baseline == nil && baselinePeriod == nil && target == nil && warn == nil && currency == nil {
            throw LinkStarError.invalidField("target", "say what to change: owner, baseline with its period, target, warning band or currency")
        }
        // The scope fields are placeholders: the use case replaces them with the edited KPI's own.
        return try parse(metric: "kpi", layer: nil, segment: nil, owner: owner, baseline: baseline, baselinePeriod: baselinePeriod,
                         target: target, warn: warn, currency: currency)
    }

    /// Checks values against what the metric allows.
    public func validate(against metric: MetricDefinition) throws {
        if metric.source == .workspace && segment != .all {
            throw LinkStarError.invalidField("segment", "\(metric.key) counts LinkStar's own records for the whole workspace: its KPI's segment is */*/*")
        }
        if let baseline { try metric.validateValue(baseline.value, field: "baseline") }
        if let target { try metric.validateValue(target, field: "target") }
        if case .absolute(let width)? = warningBand, let upper = metric.upperBound, width > upper {
            throw LinkStarError.invalidField("warn", "a band of \(width) is wider than \(metric.key)'s whole range (0 to \(MetricDefinition.format(upper)))")
        }
    }
}

/// The status rule, direction-aware.
///
/// - no baseline → `no-baseline` (a KPI without a baseline cannot be judged honestly);
/// - no current value → `no-data`;
/// - the reference is the target (or the baseline when no target is set);
/// - at or beyond the reference in the good direction → `on-track`;
/// - short of it by no more than the warning band → `at-risk`;
/// - short by more → `off-track`.
public enum KPIStatusRule {
    /// Decides a KPI's status from its current value.
    public static func status(current: Double?, baseline: Baseline?, target: Double?, band: WarningBand?,
                              direction: MetricDirection) -> KPIStatus {
        guard let baseline else { return .noBaseline }
        guard let current, current.isFinite else { return .noData }
        let reference = target ?? baseline.value
        let shortfall = direction == .up ? reference - current : current - reference
        if shortfall <= 0 { return .onTrack }
        let width = (band ?? .default).width(around: reference)
        // Tolerate floating-point noise at the band's edge.
        return shortfall <= width + 1e-12 * max(1, abs(reference)) ? .atRisk : .offTrack
    }

    /// The value beyond which a KPI is off-track: the reference short by the warning band (charts draw the band to it).
    public static func offTrackEdge(reference: Double, band: WarningBand?, direction: MetricDirection) -> Double {
        let width = (band ?? .default).width(around: reference)
        return direction == .up ? reference - width : reference + width
    }
}

/// ISO 4217-style currency codes: three letters, upper-cased.
public enum CurrencyCode {
    /// The code, upper-cased, or an error naming the field.
    public static func parse(_ text: String, field: String) throws -> String {
        try Segment.refuseInvisible(text, field: field)
        let code = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw LinkStarError.invalidField(field, "\(Excerpt.quoted(text)) is not a 3-letter currency code")
        }
        return code
    }
}
