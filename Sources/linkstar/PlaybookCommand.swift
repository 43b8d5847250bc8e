import ArgumentParser
import LinkStarCore
import LinkStarFormats
import LinkStarStore

/// `linkstar playbook sync|list|show`.
struct PlaybookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playbook", abstract: tr("SOP playbooks: Markdown files with front matter and a review checklist."),
        subcommands: [Sync.self, List.self, Show.self])

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sync", 
            abstract: tr("Store a new version of every playbook whose content changed (all files valid, or nothing is stored)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: h("Playbook folder (default: Playbooks/ beside the database).")) var dir: String?

        func run() async throws {
            let database = try await global.open()
            let sources = try Workspace.readPlaybooks(in: dir ?? global.location.playbookDirectory)
            let report = try await database.syncPlaybooks(sources, actor: try await global.actor(.playbookSync))
            if output.json { return try Output.json(report) }
            Output.table(["FILE", "LAYER", "OUTCOME", "VERSION", "HASH"], report.entries.map {
                [$0.file, tr($0.layer), tr($0.outcome), "v\($0.version)", String($0.contentHash.prefix(12))]
            })
            if !report.missingLayers.isEmpty {
                Output.line("No playbook file for: \(Message.joined(report.missingLayers.map(\.label), separator: ", "))")
            }
            if !report.changed { Output.line("Nothing changed.") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: tr("List each layer's current playbook."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let playbooks = try await global.open().playbooks()
            if output.json { return try Output.json(playbooks) }
            Output.table(["LAYER", "VERSION", "REVIEW", "CHECKLIST", "TITLE", "HASH", "SYNCED BY"], playbooks.map {
                [tr($0.layer), $0.version.map { "v\($0)" } ?? "-", $0.cadence.map { tr($0) } ?? "-",
                 tr("\($0.requiredItems) required / \($0.checklistItems)"), $0.title ?? tr("(no playbook)"),
                 $0.contentHash.map { String($0.prefix(12)) } ?? "-", $0.syncedBy ?? "-"]
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: tr("Print a layer's playbook (Markdown, --html or --json)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("The layer.")) var layer: String
        @Option(help: h("An earlier version number (default: current).")) var version: Int?
        @Flag(help: h("Render the Markdown body as a standalone HTML page.")) var html = false

        func validate() throws {
            try ErrorReport.validating { _ = try LayerKey.parse(layer) }
            if html && output.json { throw ValidationError(tr("--html and --json cannot be combined")) }
        }

        func run() async throws {
            let detail = try await global.open().playbook(try LayerKey.parse(layer), version: version)
            if output.json { return try Output.json(detail) }
            if html {
                let document = try PlaybookParser.parse(detail.content, file: detail.sourceFile)
                FileOutput.write(document.html())
                return
            }
            FileOutput.write(detail.content.hasSuffix("\n") ? detail.content : detail.content + "\n")
        }
    }
}

/// Raw text to stdout, without an added newline.
enum FileOutput {
    static func write(_ text: String) {
        Output.raw(String(text.dropLast(text.hasSuffix("\n") ? 1 : 0)))
    }
}
