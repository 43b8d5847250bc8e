import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore

/// `linkstar demo`: a throw-away workspace with a team, owners, KPIs, playbooks and 180 days of data.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a demo workspace (a temporary folder unless --dir) and print the overview and the funnel.")
    @OptionGroup var output: OutputOptions
    @Option(help: "Folder for the demo workspace (must not already hold one).") var dir: String?

    func run() async throws {
        let folder = dir ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("linkstar-demo-\(UUID().uuidString.prefix(8).lowercased())").path
        let location = WorkspaceLocation.inDirectory(folder)
        let report = try await DemoWorkspace.build(location, logger: CLILogging.logger)
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
        Output.line("LinkStar demo workspace: \(report.database)")
        Output.line("Playbooks: \(report.playbookDirectory)")
        Output.line("Data: \(report.importSummary.valuesRead) values imported from \(report.dataFile) (\(report.importSummary.firstDay!)…\(report.importSummary.lastDay!))")
        Output.line()
        Output.line("Layers")
        Output.table(["LAYER", "名称", "OWNER", "BACKUP", "PLAYBOOK", "REVIEW", "KPIS"], layers.map(LayerCommand.row))
        Output.line()
        Output.line("KPI status, \(period)")
        Output.table(KPIStatusCommand.headers, statuses.map(KPIStatusCommand.row))
        Output.line()
        if let b = funnel.bottleneck {
            Output.line("Funnel bottleneck, \(period) vs the 7 days before: \(b.fromMetric) → \(b.toMetric) (\(b.layer.rawValue), owner \(b.owner ?? "nobody")) "
                        + "\(FunnelCommand.rate(b.compareRate)) → \(FunnelCommand.rate(b.rate)) (\(FunnelCommand.relative(b.relativeChange, .up)))")
            for s in b.segments.prefix(3) {
                Output.line("  worst in \(s.segment): \(FunnelCommand.rate(s.compareRate)) → \(FunnelCommand.rate(s.rate))")
            }
        }
        Output.line()
        Output.line("Actions")
        Output.table(["ID", "STATUS", "VERDICT", "KPI", "SEGMENT", "TITLE"], actions.map {
            [String($0.id), $0.status.rawValue, $0.verdict?.rawValue ?? "-", $0.metric, $0.segment.description, $0.title]
        })
        Output.line()
        Output.line("Explore it:")
        Output.line("  export LINKSTAR_DB=\(report.database)")
        Output.line("  linkstar funnel --period last-7d --market MY --device mobile")
        Output.line("  linkstar scorecard")
        Output.line("  linkstar data check")
        Output.line("  linkstar action show 4     # a win whose follow-ups show decay")
        Output.line("  linkstar playbook show traffic --html > traffic.html")
    }
}
