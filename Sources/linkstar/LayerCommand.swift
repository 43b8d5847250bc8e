import ArgumentParser
import LinkStarCore
import LinkStarStore
import LinkStarText

/// `linkstar layer list|show|assign`.
struct LayerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layer", abstract: tr("The five funnel layers: owners, playbooks, KPIs."),
        subcommands: [List.self, Show.self, Assign.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: tr("List layers with owners and playbook versions."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let layers = try await global.open().layers()
            if output.json { return try Output.json(layers) }
            Output.table(Rows.layerHeaders, layers.map { Rows.layer($0, reader) })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: tr("Show a layer: owners, playbook, KPIs, review checklist."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("traffic | landing | conversion | retention | feedback (or 流量层 …)")) var layer: String

        func validate() throws { try ErrorReport.validating { _ = try LayerKey.parse(layer) } }

        func run() async throws {
            let detail = try await global.open().layer(try LayerKey.parse(layer))
            if output.json { return try Output.json(detail) }
            let l = detail.layer
            Output.line("\(l.key.rawValue) · \(l.nameEn) · \(l.nameZh)")
            Output.line("covers:   \(Message(stored: l.covers))")
            Output.line("owner:    \(l.owner ?? reader.unowned)   backup: \(l.backupOwner ?? "-")")
            if let p = l.playbook {
                let cadence: Message = p.reviewDay.map { "\(p.cadence) (\($0))" } ?? p.cadence.label
                Output.line("playbook: v\(p.version) \(p.title) · review \(cadence) · \(p.contentHash.prefix(12))")
            } else {
                Output.line("playbook: (none) run `linkstar playbook sync`")
            }
            Output.line()
            Output.line("KPIs")
            Output.table(Rows.kpiHeaders, detail.kpis.map { Rows.kpi($0, reader) })
            Output.line()
            Output.line("Review checklist")
            for item in detail.checklist {
                Output.line(item.optional ? " \(item.position). [ ] \(item.text) (optional)" : " \(item.position). [ ] \(item.text)")
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "assign", abstract: tr("Set a layer's owner and backup owner."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("The layer.")) var layer: String
        @Option(help: h("Owner handle.")) var owner: String
        @Option(help: h("Backup owner handle (kept as is when omitted).")) var backup: String?

        func validate() throws { try ErrorReport.validating { _ = try LayerKey.parse(layer) } }

        func run() async throws {
            let result = try await global.open().assignLayer(
                try LayerKey.parse(layer), owner: owner, backup: backup, actor: try await global.actor(.layerAssign))
            if output.json { return try Output.json(result) }
            let l = result.layer
            Output.line(result.outcome == .unchanged
                ? "Unchanged: \(l.key) is already owned by \(l.owner ?? "-") (backup \(l.backupOwner ?? "-"))."
                : "\(l.key): owner \(l.owner ?? "-"), backup \(l.backupOwner ?? "-")")
        }
    }
}
