import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarFormats
import LinkStarNotify
import LinkStarStore
import LinkStarText

/// `linkstar notify …`: what goes to the team's chats.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: tr("Messages for the team's chats (DingTalk, Feishu, WeCom, Slack, webhooks)."),
        subcommands: [Run.self, Channel.self, Preview.self, Outbox.self])

    struct Channel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "channel", abstract: tr("The team's chat channels: add, list, remove, test."),
                                                        subcommands: [Add.self, List.self, Remove.self, Test.self])
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", 
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
        static let configuration = CommandConfiguration(commandName: "list", abstract: tr("List the channels (addresses shortened, secrets never shown)."))
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
        static let configuration = CommandConfiguration(commandName: "remove", abstract: tr("Remove a channel (kept in the audit log; its name can be used again)."))
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
        static let configuration = CommandConfiguration(commandName: "preview", abstract: tr("Print a message exactly as it would be sent, without sending it."),
                                                        subcommands: [Digest.self, Alerts.self])
    }

    struct Digest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "digest", 
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
            let notice = Notice(topic: .digest, digest: digest)
            let message = NoticeText.message(notice, reader, identities: try await database.chatIdentities(), publicURL: try await database.publicURL())
            guard let channel else { return Output.raw(DigestText.plain(message)) }
            Output.raw(try Self.body(try await database.channel(named: channel, field: "channel").kind, message, document: try notice.document(), now: database.now()))
        }

        /// The body that channel's vendor receives (unsigned here: a signature is made when it is sent).
        static func body(_ kind: ChannelKind, _ message: ChatMessage, document: Data, now: Date) throws -> String {
            let request = try ChatRequest.build(kind, url: URL(string: "https://example.invalid/")!, secret: nil, message: message, document: document, now: now)
            let pretty = try JSONSerialization.data(withJSONObject: JSONSerialization.jsonObject(with: request.body), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return String(decoding: pretty, as: UTF8.self) + "\n"
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "test", abstract: tr("Send a test message to a channel now, through the outbox, and print what the vendor answered."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Channel name.")) var name: String

        func run() async throws {
            let database = try await global.open()
            let queued = try await database.queueChannelTest(name: name, actor: try await global.actor(.notifyTest))
            let report = try await Delivery.send(database, only: [queued.id], maxWait: 60, timeout: DeliveryPolicy.requestTimeout)
            let message = report.attempts.last ?? queued
            if output.json { try Output.json(message) } else { Delivery.print(report, queued: [queued]) }
            if message.state != .delivered { throw ExitCode(ExitStatus.undelivered) }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", 
            abstract: tr("Decide and deliver (for cron): queue the daily report once its time has come and an alert for each condition that became true, then send everything due. Exit 9 when a message failed or waits for a retry."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: h("Only decide and queue; send nothing.")) var decideOnly = false
        @Option(help: h("Longest wait for the vendors' rate limits, seconds (0 to 600).")) var maxWait: Int = 60
        @Option(help: h("Each request's timeout, seconds (1 to 120).")) var timeout: Int = DeliveryPolicy.requestTimeout

        func validate() throws {
            if !(0...600).contains(maxWait) { throw ValidationError(tr("--max-wait must be 0 to 600")) }
            if !(1...120).contains(timeout) { throw ValidationError(tr("--timeout must be 1 to 120")) }
        }

        struct Result: Encodable {
            var decision: NotifyDecision
            var delivery: DeliveryReport?
        }

        func run() async throws {
            let database = try await global.open()
            let decision = try await database.decideNotifications(actor: try await global.actor(.notifyRun))
            let report = decideOnly ? nil : try await Delivery.send(database, only: nil, maxWait: Double(maxWait), timeout: timeout)
            if output.json {
                try Output.json(Result(decision: decision, delivery: report))
            } else if decision.channels == 0 {
                Output.line("No chat channel: nothing decided. Add one with `linkstar notify channel add`.")
            } else {
                if let day = decision.digestDay {
                    Output.line(decision.queued.contains { $0.topic == .digest } ? "Daily report for \(day) queued" : "Daily report for \(day): already queued")
                }
                for alert in decision.alerts { Output.line("Alert: \(alert.kind) \(alert.condition) (occurrence \(alert.occurrence))") }
                for key in decision.cleared { Output.line("Cleared: \(key)") }
                Output.line("\(decision.queued.count) messages queued")
                if let report { Delivery.print(report, queued: decision.queued) }
            }
            if let report, report.ran, !report.failed.isEmpty || report.nextRetryAt != nil { throw ExitCode(ExitStatus.undelivered) }
        }
    }

    struct Outbox: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "outbox", abstract: tr("The messages decided and their delivery: state, attempts, last error."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: h("pending | sending | delivered | failed")) var state: String?
        @Option(help: h("Show one message and each of its attempts.")) var id: Int64?
        @Option(help: h("At most this many messages (newest first).")) var limit: Int = 50

        func validate() throws {
            try ErrorReport.validating { _ = try state.map { try OutboxState.parse($0) } }
            if limit < 1 { throw ValidationError(tr("--limit must be at least 1")) }
        }

        struct Detail: Encodable {
            var message: OutboxMessageView
            var attempts: [OutboxAttemptView]
        }

        func run() async throws {
            let database = try await global.open()
            if let id {
                let message = try await database.outboxMessage(id: id)
                let attempts = try await database.outboxAttempts(messageId: id)
                if output.json { return try Output.json(Detail(message: message, attempts: attempts)) }
                Delivery.table([message])
                Output.table(["ATTEMPT", "STARTED", "HTTP", "OUTCOME", "DETAIL"], attempts.map {
                    [String($0.number), reader.time($0.startedAt), $0.httpStatus.map(String.init) ?? "-", reader(Message.term($0.outcome)), $0.detail ?? ""]
                })
                return
            }
            let messages = try await database.outbox(state: try state.map { try OutboxState.parse($0) }, limit: limit)
            if output.json { return try Output.json(messages) }
            Delivery.table(messages)
        }
    }

    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "alerts", 
            abstract: tr("The alerts a run now would send: reviews overdue or past the grace period, effects that decayed, data that stopped arriving, KPIs off-track, each once per occurrence."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: h("Print the request bodies this channel's vendor would receive.")) var channel: String?

        func run() async throws {
            let database = try await global.open()
            let alerts = try await database.pendingAlerts()
            if output.json { return try Output.json(alerts) }
            let identities = try await database.chatIdentities()
            let publicURL = try await database.publicURL()
            let notices = alerts.map { Notice(topic: .alert, alert: $0) }
            if notices.isEmpty { return Output.line("No alert would be sent now.") }
            let messages = notices.map { NoticeText.message($0, reader, identities: identities, publicURL: publicURL) }
            guard let channel else { return Output.raw(messages.map(DigestText.plain).joined(separator: "\n")) }
            let kind = try await database.channel(named: channel, field: "channel").kind
            for (notice, message) in zip(notices, messages) { Output.raw(try Digest.body(kind, message, document: try notice.document(), now: database.now())) }
        }
    }
}

/// The sending half of `notify run` and `notify channel test`, and how its outcome is printed.
enum Delivery {
    static func send(_ database: WorkspaceDatabase, only: Set<Int64>?, maxWait: Double, timeout: Int) async throws -> DeliveryReport {
        let transport = HTTPChatTransport()
        do {
            let report = try await NotifySender(database: database, transport: transport, timeoutSeconds: timeout).deliver(only: only, maxWait: maxWait)
            try await transport.shutdown()
            return report
        } catch {
            try? await transport.shutdown()
            throw error
        }
    }

    static func table(_ messages: [OutboxMessageView]) {
        Output.table(["ID", "CHANNEL", "MESSAGE", "STATE", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR"], messages.map { m in
            [String(m.id), m.channel, m.dedupeKey, reader(m.state), String(m.attempts), m.nextAttemptAt.map(reader.time) ?? "-", m.lastError ?? ""]
        })
    }

    static func print(_ report: DeliveryReport, queued: [OutboxMessageView]) {
        guard report.ran else { return Output.line("Another sender is running; it will send what is queued.") }
        if report.recovered > 0 { Output.line("\(report.recovered) messages left mid-request by a stopped sender are sent again") }
        if !report.attempts.isEmpty { table(report.attempts) }
        Output.line("Delivered \(report.delivered.count), waiting to retry \(report.retrying.count), failed \(report.failed.count)")
        if let next = report.nextRetryAt { Output.line("Next attempt due at \(reader.time(next))") }
    }
}
