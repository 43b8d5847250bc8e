/// A declarative description of an export: which header means which metric, where the date and
/// segment come from, how numbers and dates are written, which rows to skip. Presets and user
/// `--mapping FILE.yml` files have the same shape.
public struct ImportMapping: Sendable, Equatable {
    /// `wide`: one column per metric. `long`: one row per metric with `metric` and `value` columns.
    public enum Layout: String, Sendable, Equatable { case wide, long }

    /// Where a segment part comes from: a column (first header that matches), else a fixed value.
    public struct Source: Sendable, Equatable {
        public var columns: [String]
        public var value: String?
        public init(columns: [String] = [], value: String? = nil) {
            self.columns = columns
            self.value = value
        }
    }

    public var name: String
    public var description: String
    public var layout: Layout
    /// Lines before the header that start with this prefix are skipped (GA4's `#` block).
    public var commentPrefix: String?
    public var delimiter: UInt8?
    public var dateColumns: [String]
    public var dateFormat: DateFormat
    public var channel: Source
    public var market: Source
    public var device: Source
    public var currency: Source
    /// How bare numbers in rate columns are read: `fraction` (0.034) or `percent` (3.4).
    public var percentNumbers: Bool
    /// Sum rows with the same day and segment (campaign- or product-level reports).
    public var aggregate: Bool
    /// First-column (date-column) labels that mark a totals row, normalised.
    public var totalLabels: [String]
    /// Metric key → headers that carry it.
    public var metrics: [(metric: String, headers: [String])]
    /// Rate metric key → headers: recognised, not stored (recomputed from counts).
    public var rates: [(metric: String, headers: [String])]
    /// Headers recognised and deliberately not imported, with the reason.
    public var ignored: [(headers: [String], reason: String)]
    public var decimalComma: Bool
    /// Long layout: the metric-name and value columns.
    public var metricColumns: [String]
    public var valueColumns: [String]

    public static func == (lhs: ImportMapping, rhs: ImportMapping) -> Bool { lhs.name == rhs.name && lhs.description == rhs.description }

    /// Labels that mark a totals row in every mapping.
    public static let defaultTotalLabels = ["total", "totals", "grand total", "summary", "sum", "合计", "总计", "汇总"]

    public init(name: String, description: String, layout: Layout, commentPrefix: String?, delimiter: UInt8?, dateColumns: [String],
                dateFormat: DateFormat, channel: Source, market: Source, device: Source, currency: Source, percentNumbers: Bool,
                aggregate: Bool, totalLabels: [String], metrics: [(metric: String, headers: [String])],
                rates: [(metric: String, headers: [String])], ignored: [(headers: [String], reason: String)], decimalComma: Bool,
                metricColumns: [String], valueColumns: [String]) {
        self.name = name
        self.description = description
        self.layout = layout
        self.commentPrefix = commentPrefix
        self.delimiter = delimiter
        self.dateColumns = dateColumns
        self.dateFormat = dateFormat
        self.channel = channel
        self.market = market
        self.device = device
        self.currency = currency
        self.percentNumbers = percentNumbers
        self.aggregate = aggregate
        self.totalLabels = totalLabels
        self.metrics = metrics
        self.rates = rates
        self.ignored = ignored
        self.decimalComma = decimalComma
        self.metricColumns = metricColumns
        self.valueColumns = valueColumns
    }
}
