import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore

/// `linkstar check`: the compliance check for cron.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: tr("Compliance check: unowned layers and KPIs, KPIs without baseline or target, overdue reviews, actions awaiting evaluation, follow-ups due, stale data, layers and KPIs owned by deactivated people. Exits 7 when anything is found."))
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(help: h("Treat this day as today.")) var today: String?

    func validate() throws { try ErrorReport.validating { _ = try ReviewCommand.day(today) } }

    func run() async throws {
        let database = try await global.open()
        let report = try await database.complianceCheck(today: database.today(try ReviewCommand.day(today)))
        if output.json {
            try Output.json(report)
        } else {
            let found: Message = report.clean ? "clean" : report.problemCount == 1 ? "1 problem" : "\(report.problemCount) problems"
            Output.line("Compliance check \(report.today): \(found)")
            func section(_ title: Message, _ lines: [Message]) {
                guard !lines.isEmpty else { return }
                Output.line()
                Output.line("\(title) (\(lines.count))")
                lines.prefix(30).forEach { Output.line("  \($0)") }
            }
            section("Unowned layers", report.unownedLayers.map { $0.label }
                    + (report.unownedFunnelReview ? ["funnel review (linkstar review configure --funnel-owner H)"] : []))
            section("Unowned KPIs", report.unownedKpis.map { "#\($0.id) \(metricName($0.metric)) \($0.segment) (\($0.layer))" })
            section("KPIs without a baseline", report.kpisWithoutBaseline.map { "#\($0.id) \(metricName($0.metric)) \($0.segment)" })
            section("KPIs without a target", report.kpisWithoutTarget.map { "#\($0.id) \(metricName($0.metric)) \($0.segment)" })
            section("Overdue reviews", report.overdueReviews.map {
                "\(reader.scope($0.scope)) \($0.duePeriod ?? "") due \($0.dueOn.map { "\($0)" } ?? "") · \($0.daysOverdue) days overdue · owner \($0.owner ?? "-")"
            })
            section("Actions awaiting evaluation", report.actionsAwaitingEvaluation.map { "#\($0.id) \($0.title) (\($0.detail), owner \($0.owner ?? "-"))" })
            section("Follow-ups due", report.followupsDue.map { "#\($0.id) \($0.title) (\($0.detail))" })
            section("Owned by a deactivated person", report.inactiveOwners.map { "\($0.owns) → \($0.person) (reassign it)" })
            section("Stale data", report.staleSeries.map { "\(metricName($0.metric)) \($0.segment): newest \($0.lastDay), \($0.daysBehind) days behind" })
        }
        if !report.clean { throw ExitCode(ExitStatus.checkFailed) }
    }
}
