import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore
import Logging

/// Flags every command shares: where the workspace is and who is acting.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: h("Workspace database (default: $LINKSTAR_DB, else ./linkstar.sqlite)."))
    var db: String?

    @Option(name: .customLong("as"), help: h("Who is acting, recorded in the audit log (default: $LINKSTAR_USER, else the OS user)."))
    var actor: String?

    @OptionGroup var language: LanguageOptions

    /// The resolved workspace location.
    var location: WorkspaceLocation {
        WorkspaceLocation.resolve(db: db, environment: ProcessInfo.processInfo.environment)
    }

    /// Who is acting: `--as`, else `LINKSTAR_USER`, else the OS account (mapped to a person with `person add --os-user`).
    var identity: ActingIdentity {
        ActingIdentity.resolve(flag: actor, environment: ProcessInfo.processInfo.environment, osUser: ProcessInfo.processInfo.userName)
    }

    /// The OS account running the command.
    var osUser: String {
        let environment = ProcessInfo.processInfo.environment
        return environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.userName
    }

    /// The acting person's handle for a write: an active person whose role allows `operation`, else exit 6
    /// (`PermissionRule`, the same table the API enforces).
    func actor(_ operation: WriteOperation) async throws -> String {
        try await open().authorize(identity, for: operation)
    }

    /// Opens the existing workspace and reads its language and time zone for this run's output.
    func open() async throws -> WorkspaceDatabase {
        let database = try Workspace.open(location, logger: CLILogging.logger)
        try await CLILanguage.apply(database)
        return database
    }
}

/// The `--json` flag of read commands.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: h("Print one JSON document (snake_case, ISO 8601 dates) instead of a table."))
    var json = false
}

/// The logger handed to the store; quiet unless LINKSTAR_LOG_LEVEL says otherwise.
enum CLILogging {
    static let logger: Logger = {
        var logger = Logger(label: "linkstar")
        let level = ProcessInfo.processInfo.environment["LINKSTAR_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        logger.logLevel = level ?? .warning
        return logger
    }()
}

/// Parsing helpers shared by commands' `validate()`.
enum Parse {
    static func layer(_ text: String?, field: String = "layer") throws -> LayerKey? {
        try text.map { try LayerKey.parse($0, field: field) }
    }

    static func segment(_ text: String?, field: String = "segment") throws -> Segment {
        try text.map { try Segment(parsing: $0, field: field) } ?? .all
    }
}

/// `--period` / `--from --to` and `--today`, shared by the reporting commands.
struct PeriodOptions: ParsableArguments {
    @Option(help: h("last-7d | last-30d | YYYY-MM | YYYY-Www | FROM..TO (default last-7d, ending yesterday)."))
    var period: String?
    @Option(help: h("First day (with --to).")) var from: String?
    @Option(help: h("Last day (with --from).")) var to: String?
    @Option(help: h("Treat this day as today (YYYY-MM-DD), for repeatable reports.")) var today: String?

    /// The `--today` override, if given.
    func todayOverride() throws -> Day? { try today.map { try Day(parsing: $0, field: "today") } }

    /// Checks the options without a workspace (for `validate()`).
    func check() throws { _ = try PeriodSpec.resolve(period: period, from: from, to: to, today: try todayOverride() ?? Day.lastSupported) }

    /// The window, with "today" from the workspace's clock unless `--today` overrides it.
    func range(_ database: WorkspaceDatabase) throws -> DayRange {
        try PeriodSpec.resolve(period: period, from: from, to: to, today: database.today(try todayOverride()))
    }
}
