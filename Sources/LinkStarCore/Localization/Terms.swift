/// Enum values a person reads (statuses, verdicts, roles …): their raw value is the English term and the catalog key.
public protocol LocalizableTerm: Localizable, RawRepresentable, CaseIterable where RawValue == String {}

extension LocalizableTerm {
    /// The value's name in every language; the raw value (what JSON and commands use) never changes.
    public var label: Message { .term(rawValue) }
}

extension KPIStatus: LocalizableTerm {}
extension Verdict: LocalizableTerm {}
extension ActionStatus: LocalizableTerm {}
extension ActionDecision: LocalizableTerm {}
extension ActionKind: LocalizableTerm {}
extension EventKind: LocalizableTerm {}
extension MetricUnit: LocalizableTerm {}
extension MetricDirection: LocalizableTerm {}
extension MetricSource: LocalizableTerm {}
extension ReviewCadence: LocalizableTerm {}
extension ReviewDueStatus: LocalizableTerm {}
extension ReviewState: LocalizableTerm {}
extension PersonRole: LocalizableTerm {}
extension Comparison: LocalizableTerm {}
extension EvaluationPurpose: LocalizableTerm {}
extension WriteOutcome: LocalizableTerm {}
extension ImportOutcome: LocalizableTerm {}
extension ReviewItemSource: LocalizableTerm {}
extension OwnerSource: LocalizableTerm {}
extension OutboxState: LocalizableTerm {}
extension AlertKind: LocalizableTerm {}
extension NoticeTopic: LocalizableTerm {}

extension LayerKey: Localizable {
    /// In English the key (`traffic`), in Chinese the layer's name (`流量层`).
    public var label: Message { .term(rawValue) }
}

extension MetricAggregation: Localizable {
    /// How a KPI on the metric aggregates, in words.
    public var label: Message { .term(rawValue) }

    /// The unit suffix shown after values (`/day`, ` per period`), in every language.
    public var suffixLabel: Message {
        switch self {
        case .rate: Message(verbatim: "")
        case .dailyAverage: "/day"
        case .periodTotal: " per period"
        }
    }

    /// What the value means, in every language.
    public var explanationLabel: Message {
        switch self {
        case .rate: "a rate over the cells (segment × day) that report every part of the formula"
        case .dailyAverage: "a daily average: the period's total divided by the days with data"
        case .periodTotal: "a total over the period, counted from LinkStar's own records"
        }
    }
}
