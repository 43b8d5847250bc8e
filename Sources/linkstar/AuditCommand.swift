import ArgumentParser
import LinkStarCore
import LinkStarStore
import LinkStarText

/// `linkstar audit`: who changed what, when, with before and after values.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: tr("Show the audit log, newest first."))
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(help: h("Entity type, optionally with an id: person, layer, metric, kpi, playbook, workspace; e.g. kpi:3."))
    var entity: String?
    @Option(help: h("Only changes made by this handle.")) var person: String?
    @Option(help: h("At most this many entries.")) var limit: Int = 50

    func validate() throws {
        if limit < 1 { throw ValidationError(tr("--limit must be at least 1")) }
    }

    func run() async throws {
        let entries = try await global.open().auditEntries(entity: entity, actor: person, limit: limit)
        if output.json { return try Output.json(entries) }
        Output.table(Rows.auditHeaders, entries.map { Rows.audit($0, reader) })
    }
}
