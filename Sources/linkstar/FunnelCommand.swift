import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore
import LinkStarText

/// `linkstar funnel`: stage volumes, step rates from summed counts, the change, and the bottleneck.
struct FunnelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "funnel",
        abstract: tr("Show the funnel for a period: stage volumes, step rates, change vs a comparison, and the bottleneck."),
        discussion: tr("The bottleneck is the step whose rate worsened most against the comparison (direction-aware), with its layer, owner and the segments where it worsened most."))
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var periodOptions: PeriodOptions
    @Option(help: h("Only this channel.")) var channel: String?
    @Option(help: h("Only this market.")) var market: String?
    @Option(help: h("Only this device.")) var device: String?
    @Option(help: h("previous | baseline | yoy")) var compare: String = "previous"

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
        let database = try await global.open()
        let report = try await database.funnel(period: try periodOptions.range(database), segment: try cut(),
                                                    compare: try Comparison.parse(compare, field: "compare"))
        if output.json { return try Output.json(report) }
        let r = reader
        let window: Message = report.compareFrom.map { "\(report.from)..\(report.to) · \(report.segment) · vs \(report.compare) \($0)..\(report.compareTo!)" }
            ?? "\(report.from)..\(report.to) · \(report.segment) · vs \(report.compare)"
        Output.line("Funnel \(window)")
        Output.line()
        Output.table(Rows.funnelStageHeaders, report.stages.map { Rows.funnelStage($0, r) })
        Output.line()
        Output.table(Rows.funnelStepHeaders + ["P"], (report.steps + report.retention).map { s in
            Rows.funnelStep(s, r) + [s.pValue.map { String(format: "%.3f", $0) } ?? "-"]
        })
        for revenue in report.revenue {
            let amount = ValueFormat.format(revenue.revenue, unit: .currency)
            var parts: [Message] = ["revenue \(revenue.currency): \(amount)"]
            if let before = revenue.compareRevenue { parts.append("before \(ValueFormat.format(before, unit: .currency))") }
            if let aov = revenue.aov { parts.append("aov \(ValueFormat.format(aov, unit: .currency))") }
            Output.line(Message.joined(parts, separator: " · "))
        }
        if let total = report.revenueTotal {
            let amount = ValueFormat.format(total.revenue, unit: .currency)
            Output.line(total.compareRevenue.map { "revenue total \(total.currency) at each day's rate: \(amount) (before \(ValueFormat.format($0, unit: .currency)))" }
                        ?? "revenue total \(total.currency) at each day's rate: \(amount)")
        }
        Output.line()
        if let b = report.bottleneck {
            Output.line("Bottleneck: \(Rows.bottleneck(b, r))")
            for s in b.segments {
                Output.line("  \(s.segment): \(Rows.rate(s.compareRate)) → \(Rows.rate(s.rate)) (\(Rows.relative(s.relativeChange)), \(ValueFormat.format(s.fromVolume, unit: .count)) \(metricName(b.fromMetric)))")
            }
        } else {
            Output.line("Bottleneck: none (no step with enough coverage worsened against the comparison)")
        }
        for note in report.notes { Output.line("note: \(note)") }
    }
}
