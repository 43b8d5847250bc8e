import ArgumentParser
import Foundation
import Hummingbird
import LinkStarCore
import LinkStarHTTP
import LinkStarStore
import Logging

/// `linkstar serve`: the JSON API over the same use cases as the CLI.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the JSON API (/api/v1, bearer tokens) on loopback unless told otherwise.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port.") var port: Int = 8080
    @Option(help: "Largest request body in bytes.") var maxBody: Int = 10 * 1024 * 1024

    func validate() throws {
        if !(1...65535).contains(port) { throw ValidationError("--port must be 1 to 65535") }
        if maxBody < 1024 { throw ValidationError("--max-body must be at least 1024 bytes") }
    }

    func run() async throws {
        var logger = Logger(label: "linkstar.http")
        logger.logLevel = ProcessInfo.processInfo.environment["LINKSTAR_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let location = global.location
        guard FileManager.default.fileExists(atPath: location.databasePath) else {
            throw LinkStarError(.notFound, "no workspace at \(location.databasePath); create one with `linkstar init`")
        }
        let database = try WorkspaceDatabase.openFile(at: location.databasePath, access: .pool, logger: logger)
        let app = buildApplication(database: database, configuration: APIConfiguration(host: host, port: port, maxBodySize: maxBody), logger: logger)
        logger.info("linkstar API on http://\(host):\(port) for \(location.databasePath)")
        try await app.runService()
    }
}

/// `linkstar token create|list|revoke`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "API tokens: created once (only the SHA-256 is stored), listed, revoked.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token for a person; prints it once.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The person the token acts as.") var person: String
        @Option(help: "viewer | editor | admin") var role: String
        @Option(help: "What it is for (e.g. feishu-bot).") var label: String?

        func validate() throws { try ErrorReport.validating { _ = try PersonRole.parse(role) } }

        func run() async throws {
            let created = try await global.open().createToken(person: person, role: try PersonRole.parse(role), label: label,
                                                              actor: try global.actingHandle())
            if output.json { return try Output.json(created) }
            Output.line(created.token)
            Output.error("token #\(created.info.id) for \(created.info.person) (\(created.info.role.rawValue)); it is shown only now")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never the tokens themselves).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let tokens = try await global.open().tokens()
            if output.json { return try Output.json(tokens) }
            Output.table(["ID", "PERSON", "ROLE", "PREFIX", "LABEL", "CREATED", "REVOKED"], tokens.map {
                [String($0.id), $0.person, $0.role.rawValue, $0.prefix + "…", $0.label ?? "-", LinkStarJSON.timestamp($0.createdAt),
                 $0.revokedAt.map(LinkStarJSON.timestamp) ?? "-"]
            })
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Token id.") var id: Int64

        func run() async throws {
            let token = try await global.open().revokeToken(id: id, actor: try global.actingHandle())
            if output.json { return try Output.json(token) }
            Output.line("token #\(id) revoked")
        }
    }
}
