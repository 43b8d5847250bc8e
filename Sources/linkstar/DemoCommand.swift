import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore

/// `linkstar demo`: a throw-away workspace with a team, owners, KPIs and playbooks.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a demo workspace (a temporary folder unless --dir) and print the layer/owner/KPI overview.")
    @OptionGroup var output: OutputOptions
    @Option(help: "Folder for the demo workspace (must not already hold one).") var dir: String?

    func run() async throws {
        let folder = dir ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("linkstar-demo-\(UUID().uuidString.prefix(8).lowercased())").path
        let location = WorkspaceLocation.inDirectory(folder)
        let report = try await DemoWorkspace.build(location, logger: CLILogging.logger)
        let database = try Workspace.open(location, logger: CLILogging.logger)
        let layers = try await database.layers()
        let kpis = try await database.kpis()
        if output.json {
            struct Overview: Encodable { var workspace: DemoWorkspace.Report; var layers: [LayerView]; var kpis: [KPIView] }
            return try Output.json(Overview(workspace: report, layers: layers, kpis: kpis))
        }
        Output.line("LinkStar demo workspace: \(report.database)")
        Output.line("Playbooks: \(report.playbookDirectory)")
        Output.line()
        Output.line("Layers")
        Output.table(["LAYER", "名称", "OWNER", "BACKUP", "PLAYBOOK", "REVIEW", "KPIS"], layers.map(LayerCommand.row))
        Output.line()
        Output.line("KPIs (* = owned through the layer owner)")
        Output.table(KPICommand.headers, kpis.map(KPICommand.row))
        let noBaseline = kpis.filter { $0.baseline == nil }
        if !noBaseline.isEmpty {
            Output.line()
            Output.line("Flagged: \(noBaseline.map { "#\($0.id) \($0.metric)" }.joined(separator: ", ")) has no baseline, so it cannot be judged.")
        }
        Output.line()
        Output.line("Explore it:")
        Output.line("  export LINKSTAR_DB=\(report.database)")
        Output.line("  linkstar layer show conversion")
        Output.line("  linkstar playbook show traffic --html > traffic.html")
        Output.line("  linkstar audit --limit 10")
    }
}
