import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarFormats
import LinkStarStore
import LinkStarText

/// `linkstar notify …`: what goes to the team's chats.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: tr("Messages for the team's chats (DingTalk, Feishu, WeCom, Slack, webhooks)."),
        subcommands: [Channel.self, Preview.self])

    struct Channel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: tr("The team's chat channels: add, list, remove."),
                                                        subcommands: [Add.self, List.self, Remove.self])
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr("Add a channel: a DingTalk, Feishu, WeCom or Slack robot's webhook URL, or any HTTPS endpoint. The URL and the secret are stored sealed and never printed."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Channel name, e.g. ops-daily.")) var name: String
        @Option(help: h("dingtalk | feishu | wecom | slack | webhook")) var kind: String
        @Option(help: h("The webhook URL the vendor shows for the robot.")) var url: String
        @Option(help: h("The signing secret (DingTalk 加签, Feishu 签名校验, or the webhook's HMAC key).")) var secret: String?

        func makeChannel() throws -> NewChannel { try NewChannel.parse(name: name, kind: kind, url: url, secret: secret) }
        func validate() throws { try ErrorReport.validating { _ = try makeChannel() } }

        func run() async throws {
            let database = try await global.open()
            let channel = try await database.addChannel(try makeChannel(), actor: try await global.actor(.notifyChannelAdd))
            if output.json { return try Output.json(channel) }
            Output.line(channel.signed ? "Added channel \(channel.name) (\(channel.kind.rawValue), \(channel.url), signed)"
                                       : "Added channel \(channel.name) (\(channel.kind.rawValue), \(channel.url))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: tr("List the channels (addresses shortened, secrets never shown)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let channels = try await global.open().channels()
            if output.json { return try Output.json(channels) }
            Output.table(["NAME", "KIND", "URL", "SIGNED", "ADDED BY"],
                         channels.map { [$0.name, $0.kind.rawValue, $0.url, reader($0.signed ? "yes" : "no"), $0.createdBy] })
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: tr("Remove a channel (kept in the audit log; its name can be used again)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Channel name.")) var name: String

        func run() async throws {
            let database = try await global.open()
            let channel = try await database.removeChannel(name: name, actor: try await global.actor(.notifyChannelRemove))
            if output.json { return try Output.json(channel) }
            Output.line("Removed channel \(channel.name)")
        }
    }

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: tr("Print a message exactly as it would be sent, without sending it."),
                                                        subcommands: [Digest.self])
    }

    struct Digest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr("The daily report (日报): yesterday's funnel, the last 7 days against the 7 before, the bottleneck and its owner, KPIs off-track or at risk by owner, reviews due and overdue, actions awaiting evaluation, follow-ups due, decays, stale data."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: h("Treat this day as today.")) var today: String?
        @Option(help: h("Print the request body this channel's vendor would receive.")) var channel: String?

        func validate() throws { try ErrorReport.validating { _ = try ReviewCommand.day(today) } }

        func run() async throws {
            let database = try await global.open()
            let digest = try await database.digest(today: database.today(try ReviewCommand.day(today)))
            if output.json { return try Output.json(digest) }
            let message = DigestText.message(digest, reader, identities: try await database.chatIdentities())
            guard let channel else { return Output.raw(DigestText.plain(message)) }
            // The body that channel's vendor receives (unsigned here: a signature is made when it is sent).
            guard let kind = try await database.channels().first(where: { $0.name == channel.lowercased() })?.kind else {
                throw LinkStarError(.notFound, "no channel named \(channel)", details: [.init(field: "channel", message: "no channel named \(channel)")])
            }
            let request = try ChatRequest.build(kind, url: URL(string: "https://example.invalid/")!, secret: nil, message: message, now: database.now())
            let pretty = try JSONSerialization.data(withJSONObject: JSONSerialization.jsonObject(with: request.body), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            Output.raw(String(decoding: pretty, as: UTF8.self) + "\n")
        }
    }
}
