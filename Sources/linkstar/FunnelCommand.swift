import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore

/// `linkstar funnel`: stage volumes, step rates from summed counts, the change, and the bottleneck.
struct FunnelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "funnel",
        abstract: "Show the funnel for a period: stage volumes, step rates, change vs a comparison, and the bottleneck.",
        discussion: "The bottleneck is the step whose rate worsened most against the comparison (direction-aware), with its layer, owner and the segments where it worsened most.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var periodOptions: PeriodOptions
    @Option(help: "Only this channel.") var channel: String?
    @Option(help: "Only this market.") var market: String?
    @Option(help: "Only this device.") var device: String?
    @Option(help: "previous | baseline | yoy") var compare: String = "previous"

    func validate() throws {
        try ErrorReport.validating {
            try periodOptions.check()
            _ = try cut()
            _ = try Comparison.parse(compare, field: "compare")
        }
    }

    func cut() throws -> Segment {
        try Segment(channel: channel ?? "*", market: market ?? "*", device: device ?? "*")
    }

    func run() async throws {
        let database = try global.open()
        let report = try await database.funnel(period: try periodOptions.range(database), segment: try cut(),
                                                    compare: try Comparison.parse(compare, field: "compare"))
        if output.json { return try Output.json(report) }
        Output.line("Funnel \(report.from)..\(report.to) · \(report.segment) · vs \(report.compare.rawValue)"
                    + (report.compareFrom.map { " \($0)..\(report.compareTo!)" } ?? ""))
        Output.line()
        Output.table(["STAGE", "VOLUME", "BEFORE"], report.stages.map {
            [$0.metric, ValueFormat.format($0.volume, unit: .count), ValueFormat.format($0.compareVolume, unit: .count)]
        })
        Output.line()
        Output.table(Self.stepHeaders + ["P"], (report.steps + report.retention).map { s in
            Self.stepRow(s) + [s.pValue.map { String(format: "%.3f", $0) } ?? "-"]
        })
        for revenue in report.revenue {
            Output.line("revenue \(revenue.currency): \(ValueFormat.format(revenue.revenue, unit: .currency))"
                        + (revenue.compareRevenue.map { " (before \(ValueFormat.format($0, unit: .currency)))" } ?? "")
                        + (revenue.aov.map { " · aov \(ValueFormat.format($0, unit: .currency))" } ?? ""))
        }
        if let total = report.revenueTotal {
            Output.line("revenue total \(total.currency) at each day's rate: \(ValueFormat.format(total.revenue, unit: .currency))"
                        + (total.compareRevenue.map { " (before \(ValueFormat.format($0, unit: .currency)))" } ?? ""))
        }
        Output.line()
        if let b = report.bottleneck {
            Output.line("Bottleneck: \(b.fromMetric) → \(b.toMetric) (\(b.layer.rawValue), owner \(b.owner ?? "nobody")): "
                        + "\(FunnelCommand.rate(b.compareRate)) → \(FunnelCommand.rate(b.rate)), \(FunnelCommand.relative(b.relativeChange, .up))")
            for s in b.segments {
                Output.line("  \(s.segment): \(FunnelCommand.rate(s.compareRate)) → \(FunnelCommand.rate(s.rate)) (\(FunnelCommand.relative(s.relativeChange, .up)), \(ValueFormat.format(s.fromVolume, unit: .count)) \(b.fromMetric))")
            }
        } else {
            Output.line("Bottleneck: none (no step with enough coverage worsened against the comparison)")
        }
        for note in report.notes { Output.line("note: \(note)") }
    }

    static let stepHeaders = ["STEP", "LAYER", "OWNER", "RATE", "COVERAGE", "LIKE-FOR-LIKE", "BEFORE", "CHANGE"]

    /// One funnel step as a table row (the funnel command and review packs).
    static func stepRow(_ s: FunnelStep, unowned: String = "(unowned)") -> [String] {
        [s.fromMetric + " → " + s.toMetric, s.layer.rawValue, s.owner ?? unowned, s.problem != nil ? "problem" : rate(s.rate),
         coverage(s.coverage, partial: s.partial), rate(s.comparableRate), rate(s.compareRate), relative(s.relativeChange, s.direction)]
    }

    /// A coverage share, with `partial` when it is below the workspace threshold.
    static func coverage(_ value: Double?, partial: Bool) -> String {
        (value.map { String(format: "%.0f%%", $0 * 100) } ?? "-") + (partial ? " partial" : "")
    }

    static func rate(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value <= 1 ? String(format: "%.2f%%", value * 100) : String(format: "%.2f", value)
    }

    static func relative(_ value: Double?, _ direction: MetricDirection) -> String {
        guard let value else { return "-" }
        return String(format: "%+.1f%%", value * 100)
    }
}
