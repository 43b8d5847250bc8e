import ArgumentParser
import LinkStarCore
import LinkStarStore

/// `linkstar layer list|show|assign`.
struct LayerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layer", abstract: "The five funnel layers: owners, playbooks, KPIs.",
        subcommands: [List.self, Show.self, Assign.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List layers with owners and playbook versions.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let layers = try await global.open().layers()
            if output.json { return try Output.json(layers) }
            Output.table(["LAYER", "名称", "OWNER", "BACKUP", "PLAYBOOK", "REVIEW", "KPIS"], layers.map(LayerCommand.row))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a layer: owners, playbook, KPIs, review checklist.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "traffic | landing | conversion | retention | feedback (or 流量层 …)") var layer: String

        func validate() throws { try ErrorReport.validating { _ = try LayerKey.parse(layer) } }

        func run() async throws {
            let detail = try await global.open().layer(try LayerKey.parse(layer))
            if output.json { return try Output.json(detail) }
            let l = detail.layer
            Output.line("\(l.key.rawValue) · \(l.nameEn) · \(l.nameZh)")
            Output.line("covers:   \(l.covers)")
            Output.line("owner:    \(l.owner ?? "(unowned)")   backup: \(l.backupOwner ?? "-")")
            if let p = l.playbook {
                Output.line("playbook: v\(p.version) \(p.title) · review \(p.cadence.rawValue)\(p.reviewDay.map { " (\($0))" } ?? "") · \(p.contentHash.prefix(12))")
            } else {
                Output.line("playbook: (none) run `linkstar playbook sync`")
            }
            Output.line()
            Output.line("KPIs")
            Output.table(KPICommand.headers, detail.kpis.map(KPICommand.row))
            Output.line()
            Output.line("Review checklist")
            for item in detail.checklist {
                Output.line(" \(item.position). [ ] \(item.text)\(item.optional ? " (optional)" : "")")
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a layer's owner and backup owner.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The layer.") var layer: String
        @Option(help: "Owner handle.") var owner: String
        @Option(help: "Backup owner handle (kept as is when omitted).") var backup: String?

        func validate() throws { try ErrorReport.validating { _ = try LayerKey.parse(layer) } }

        func run() async throws {
            let result = try await global.open().assignLayer(
                try LayerKey.parse(layer), owner: owner, backup: backup, actor: try await global.actor(.layerAssign))
            if output.json { return try Output.json(result) }
            let l = result.layer
            Output.line(result.outcome == .unchanged
                ? "Unchanged: \(l.key.rawValue) is already owned by \(l.owner ?? "-") (backup \(l.backupOwner ?? "-"))."
                : "\(l.key.rawValue): owner \(l.owner ?? "-"), backup \(l.backupOwner ?? "-")")
        }
    }

    static func row(_ l: LayerView) -> [String] {
        [l.key.rawValue, l.nameZh, l.owner ?? "(unowned)", l.backupOwner ?? "-",
         l.playbook.map { "v\($0.version) \($0.contentHash.prefix(8))" } ?? "-",
         l.playbook?.cadence.rawValue ?? "-", String(l.kpiCount)]
    }
}
