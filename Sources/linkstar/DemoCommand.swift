import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore
import LinkStarText

/// `linkstar demo`: a throw-away workspace with a team, owners, KPIs, playbooks and 180 days of data.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: tr("Build a demo workspace (a temporary folder unless --dir) and print the overview and the funnel."))
    @OptionGroup var output: OutputOptions
    @OptionGroup var language: LanguageOptions
    @Option(help: h("Folder for the demo workspace (must not already hold one).")) var dir: String?

    func run() async throws {
        let folder = dir ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("linkstar-demo-\(UUID().uuidString.prefix(8).lowercased())").path
        let location = WorkspaceLocation.inDirectory(folder)
        let report = try await DemoWorkspace.build(location, language: CLILanguage.current, logger: CLILogging.logger)
        let database = try Workspace.open(location, logger: CLILogging.logger)
        let today = database.today()
        let period = try PeriodSpec.parse("last-7d", today: today)
        let layers = try await database.layers()
        let statuses = try await database.kpiStatus(period: period)
        let funnel = try await database.funnel(period: period, segment: .all, compare: .previous)
        let actions = try await database.actions()
        if output.json {
            struct Overview: Encodable {
                var workspace: DemoWorkspace.Report
                var layers: [LayerView]
                var kpiStatus: [KPIStatusView]
                var funnel: FunnelReport
                var actions: [ActionView]
            }
            return try Output.json(Overview(workspace: report, layers: layers, kpiStatus: statuses, funnel: funnel, actions: actions))
        }
        let r = reader
        Output.line("LinkStar demo workspace: \(report.database)")
        Output.line("Playbooks: \(report.playbookDirectory)")
        Output.line("Data: \(ValueFormat.format(Double(report.importSummary.valuesRead), unit: .count)) values imported from \(report.dataFile) (\(report.importSummary.firstDay!)…\(report.importSummary.lastDay!))")
        Output.line()
        Output.line("Layers")
        Output.table(Rows.layerHeaders, layers.map { Rows.layer($0, r) })
        Output.line()
        Output.line("KPI status, \(period)")
        Output.table(Rows.kpiStatusHeaders, statuses.map { Rows.kpiStatus($0, r) })
        Output.line()
        if let b = funnel.bottleneck {
            Output.line("Funnel bottleneck, \(period) vs the 7 days before: \(Rows.bottleneck(b, r))")
            for s in b.segments.prefix(3) {
                Output.line("  worst in \(s.segment): \(Rows.rate(s.compareRate)) → \(Rows.rate(s.rate))")
            }
        }
        Output.line()
        Output.line("Actions")
        Output.table(Rows.actionHeaders, actions.map { Rows.action($0, r) })
        Output.line()
        Output.line("Explore it:")
        Output.raw("  export LINKSTAR_DB=\(report.database)")
        Output.raw("  linkstar funnel --period last-7d --market MY --device mobile")
        Output.raw("  linkstar scorecard")
        Output.raw("  linkstar data check")
        Output.line("  linkstar action show 4     # a win whose follow-ups show decay")
        Output.raw("  linkstar playbook show traffic --html > traffic.html")
    }
}
