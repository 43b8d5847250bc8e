import ArgumentParser
import LinkStarCore
import LinkStarStore

/// `linkstar init`: create a workspace (database and playbooks); never overwrites anything.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: tr("Create a workspace: the database, Playbooks/*.md, the five layers and the metric catalog."),
        discussion: tr("Never overwrites an existing file or row: running it again changes nothing and says so."))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Option(help: h("Create the workspace in this folder (DIR/linkstar.sqlite and DIR/Playbooks)."))
    var dir: String?

    @Option(help: h("The day the team started (YYYY-MM-DD, default today): no review period before it is ever due."))
    var since: String?

    @Option(help: h("Share a new database file read-only with this group (mode 0640 instead of 0600)."))
    var group: String?

    func validate() throws { try ErrorReport.validating { _ = try since.map { try Day(parsing: $0, field: "since") } } }

    func run() async throws {
        let location = dir.map(WorkspaceLocation.inDirectory) ?? global.location
        // Whoever runs init becomes the first admin of a workspace without people, mapped to their OS account.
        let handle = try global.identity.claimedHandle()
        let report = try await Workspace.initialize(location, actor: handle,
                                                    firstAdmin: NewPerson(handle: handle, displayName: handle, role: .admin, osUser: global.osUser),
                                                    since: try since.map { try Day(parsing: $0, field: "since") }, group: group,
                                                    playbookLanguage: CLILanguage.current, defaultLanguage: CLILanguage.chosen,
                                                    logger: CLILogging.logger)
        if output.json { return try Output.json(report) }
        if !report.changed {
            Output.line("Nothing changed: the workspace at \(report.database) is already initialised.")
            return
        }
        Output.line(report.databaseCreated ? "Created \(report.database)" : "Using \(report.database)")
        if !report.playbookFilesWritten.isEmpty {
            Output.line("Wrote \(report.playbookDirectory)/: \(report.playbookFilesWritten.joined(separator: ", "))")
        }
        if !report.playbookFilesKept.isEmpty {
            Output.line("Kept existing: \(report.playbookFilesKept.joined(separator: ", "))")
        }
        if report.seed.changed {
            Output.line("Seeded \(report.seed.layersAdded.count) layers and \(report.seed.metricsAdded.count) metrics.")
        }
        for entry in report.playbooks.entries where entry.outcome != .unchanged {
            Output.line("Playbook \(entry.layer): version \(entry.version) from \(entry.file)")
        }
        if !report.playbooks.missingLayers.isEmpty {
            Output.line("No playbook for: \(Message.joined(report.playbooks.missingLayers.map(\.label), separator: ", "))")
        }
        if let admin = report.firstAdmin { Output.line("First admin: \(admin) (OS user \(global.osUser))") }
        Output.line("Next: linkstar person add HANDLE --name NAME [--role admin|editor|viewer] [--os-user NAME]; linkstar layer assign LAYER --owner HANDLE")
    }
}
