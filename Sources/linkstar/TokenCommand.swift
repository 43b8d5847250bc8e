import ArgumentParser
import Foundation
import Hummingbird
import LinkStarCore
import LinkStarHTTP
import LinkStarStore
import Logging

/// `linkstar token create|list|revoke`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: tr("API tokens: created once (only the SHA-256 is stored), listed, revoked."),
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: tr("Create a token for a person; prints it once."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: h("The person the token acts as.")) var person: String
        @Option(help: h("viewer | editor | admin")) var role: String
        @Option(help: h("What it is for (e.g. feishu-bot).")) var label: String?

        func validate() throws { try ErrorReport.validating { _ = try PersonRole.parse(role) } }

        func run() async throws {
            let created = try await global.open().createToken(person: person, role: try PersonRole.parse(role), label: label,
                                                              actor: try await global.actor(.tokenCreate))
            if output.json { return try Output.json(created) }
            Output.raw(created.token)
            Output.error("token #\(created.info.id) for \(created.info.person) (\(created.info.role)); it is shown only now")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: tr("List tokens (never the tokens themselves)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let tokens = try await global.open().tokens()
            if output.json { return try Output.json(tokens) }
            Output.table(["ID", "PERSON", "ROLE", "PREFIX", "LABEL", "CREATED", "REVOKED"], tokens.map {
                [String($0.id), $0.person, tr($0.role), $0.prefix + "…", $0.label ?? "-", CLILanguage.time($0.createdAt),
                 $0.revokedAt.map(CLILanguage.time) ?? "-"]
            })
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: tr("Revoke a token."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Token id.")) var id: Int64

        func run() async throws {
            let token = try await global.open().revokeToken(id: id, actor: try await global.actor(.tokenRevoke))
            if output.json { return try Output.json(token) }
            Output.line("token #\(id) revoked")
        }
    }
}
