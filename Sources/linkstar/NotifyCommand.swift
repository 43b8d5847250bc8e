import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore
import LinkStarText

/// `linkstar notify …`: what goes to the team's chats.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: tr("Messages for the team's chats (DingTalk, Feishu, WeCom, Slack, webhooks)."),
        subcommands: [Preview.self])

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

        func validate() throws { try ErrorReport.validating { _ = try ReviewCommand.day(today) } }

        func run() async throws {
            let database = try await global.open()
            let digest = try await database.digest(today: database.today(try ReviewCommand.day(today)))
            if output.json { return try Output.json(digest) }
            Output.raw(DigestText.plain(DigestText.message(digest, reader)))
        }
    }
}
