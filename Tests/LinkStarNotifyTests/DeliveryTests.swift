import Foundation
import LinkStarCore
import LinkStarFormats
import LinkStarNotify
import LinkStarStore
import Logging
import Testing

/// Delivery over real HTTP to a local receiver that impersonates each vendor (nothing leaves the machine).
@Suite("Delivery to the vendors (local receiver)", .serialized)
struct DeliveryTests {
    func sender(_ database: WorkspaceDatabase, _ clock: TestClock, _ transport: any ChatTransport, timeout: Int = DeliveryPolicy.requestTimeout) -> NotifySender {
        NotifySender(database: database, transport: transport, timeoutSeconds: timeout, sleep: { clock.advance(seconds: $0) })
    }

    func withTransport<T>(_ body: (HTTPChatTransport) async throws -> T) async throws -> T {
        let transport = HTTPChatTransport()
        do {
            let result = try await body(transport)
            try await transport.shutdown()
            return result
        } catch {
            try? await transport.shutdown()
            throw error
        }
    }

    @Test("each kind receives the daily report and the alert, signed and shaped as its vendor documents, mentioning the owner its way")
    func everyKindSigned() async throws {
        let clock = TestClock()
        let receiver = VendorReceiver(now: clock.function)
        try await receiver.serve { base in
            let database = try await NotifyFixture.workspace(clock: clock.function)
            for kind in ChannelKind.allCases.map(\.rawValue) {
                try await NotifyFixture.channel(database, kind, base: base, secret: kind == "wecom" || kind == "slack" ? nil : VendorReceiver.secret)
            }
            let decision = try await database.decideNotifications(actor: "tester")
            #expect(decision.digestDay?.description == "2026-11-15")
            // The funnel's monthly review (October, due Nov 1) is 14 days overdue, past the 3-day grace period.
            #expect(decision.alerts.map(\.kind) == [.reviewOverdue, .reviewPastGrace, .kpiOffTrack])
            #expect(decision.queued.count == 20, "the report and three alerts for each of 5 channels")

            let report = try await withTransport { try await sender(database, clock, $0).deliver() }
            #expect(report.delivered.count == 20 && report.failed.isEmpty && report.retrying.isEmpty)
            #expect(report.attempts.allSatisfy { $0.attempts == 1 })
            #expect(receiver.received.count == 20)
            for kind in ChannelKind.allCases.map(\.rawValue) {
                let got = receiver.received(kind)
                #expect(got.count == 4, "\(kind)")
                #expect(got.allSatisfy { $0.shaped }, "\(kind): \(got.map { $0.text })")
                if kind != "wecom" && kind != "slack" { #expect(got.allSatisfy { $0.signed }, "\(kind)") }
            }
            // The owner, mentioned each vendor's way in the alert.
            let ding = try #require(receiver.received("dingtalk").last?.json)
            #expect((ding["at"] as? [String: Any])?["atMobiles"] as? [String] == ["13800138000"])
            #expect(((ding["markdown"] as? [String: Any])?["text"] as? String)?.contains("@13800138000") == true)
            #expect(receiver.received("feishu").last?.text.contains("\"user_id\":\"ou_7d8a6e6df7621556ce0d21922b676706\"") == true)
            #expect(receiver.received("wecom").last?.text.contains("<@chenjie>") == true)
            #expect(receiver.received("slack").last?.text.contains("<@U024BE7LH>") == true)
            // The generic webhook gets the data itself, with a delivery id.
            let hook = try #require(receiver.received("webhook").first)
            #expect(hook.json?["topic"] as? String == "digest")
            #expect(((hook.json?["digest"] as? [String: Any])?["today"] as? String) == "2026-11-15")
            #expect(hook.headers["x-linkstar-delivery"] != nil)
            // Nothing is queued twice.
            #expect(try await database.decideNotifications(actor: "tester").queued.isEmpty)
            #expect(try await database.outbox(state: .delivered).count == 20)
        }
    }

    @Test("a 19021 (bad signature) from Feishu is retried with backoff 30, 60, 120, 240, 480 s, then reported failed after 6 attempts")
    func feishuBadSignature() async throws {
        let clock = TestClock()
        let receiver = VendorReceiver(now: clock.function)
        try await receiver.serve { base in
            let database = try await NotifyFixture.workspace(clock: clock.function)
            try await NotifyFixture.channel(database, "feishu", base: base, secret: "SECwrong-secret")
            let test = try await database.queueChannelTest(name: "feishu", actor: "tester")
            try await withTransport { transport in
                for _ in 1...6 {
                    let report = try await sender(database, clock, transport).deliver(only: [test.id])
                    #expect(report.attempts.count == 1)
                    if let next = report.nextRetryAt { clock.set(next) }
                }
                // Nothing more is tried.
                clock.advance(seconds: 86_400)
                #expect(try await sender(database, clock, transport).deliver(only: [test.id]).attempts.isEmpty)
            }
            let message = try await database.outboxMessage(id: test.id)
            #expect(message.state == .failed && message.attempts == 6)
            #expect(message.lastError?.hasPrefix("gave up after 6 attempts: code 19021") == true, "\(message.lastError ?? "")")
            let attempts = try await database.outboxAttempts(messageId: test.id)
            #expect(attempts.map(\.httpStatus) == Array(repeating: 200, count: 6))
            #expect(attempts.map(\.outcome) == Array(repeating: "retry", count: 6))
            let gaps = zip(attempts.dropFirst(), attempts).map { Int($0.startedAt.timeIntervalSince($1.startedAt)) }
            #expect(gaps == [30, 60, 120, 240, 480])
            #expect(receiver.received("feishu").count == 6 && receiver.received("feishu").allSatisfy { !$0.signed })
            let audit = try await database.auditEntries(entity: "outbox")
            #expect(audit.contains { $0.action == "notify.failed" })
        }
    }

    @Test("429 waits the vendor's Retry-After, 503 backs off, then it is delivered; a timeout is retried; a refused payload fails at once")
    func statusesAndTimeouts() async throws {
        let clock = TestClock()
        let receiver = VendorReceiver(now: clock.function)
        try await receiver.serve { base in
            let database = try await NotifyFixture.workspace(clock: clock.function)
            try await NotifyFixture.channel(database, "dingtalk", base: base)
            try await NotifyFixture.channel(database, "webhook", base: base)
            try await NotifyFixture.channel(database, "slack", base: base, secret: nil)
            receiver.script("dingtalk", [.status(429, retryAfter: "120"), .status(503, retryAfter: nil)])
            receiver.script("webhook", [.stall(3)])
            receiver.script("slack", [.status(404, retryAfter: nil)])
            let ding = try await database.queueChannelTest(name: "dingtalk", actor: "tester")
            let hook = try await database.queueChannelTest(name: "webhook", actor: "tester")
            let slack = try await database.queueChannelTest(name: "slack", actor: "tester")
            try await withTransport { transport in
                let start = clock.now
                var report = try await sender(database, clock, transport, timeout: 1).deliver()
                #expect(report.attempts.count == 3)
                #expect(try await database.outboxMessage(id: slack.id).state == .failed, "404: the robot is gone, no retry")
                let afterRateLimit = try #require(try await database.outboxMessage(id: ding.id).nextAttemptAt)
                #expect(afterRateLimit.timeIntervalSince(start) >= 120)
                let timedOut = try await database.outboxAttempts(messageId: hook.id)
                #expect(timedOut.first?.outcome == "retry" && timedOut.first?.httpStatus == nil)
                #expect(timedOut.first?.detail?.hasPrefix("no answer") == true)
                for _ in 0..<3 {
                    if let next = report.nextRetryAt { clock.set(next) }
                    report = try await sender(database, clock, transport, timeout: 1).deliver()
                }
            }
            #expect(try await database.outboxAttempts(messageId: ding.id).map(\.httpStatus) == [429, 503, 200])
            #expect(try await database.outboxMessage(id: ding.id).state == .delivered)
            #expect(try await database.outboxMessage(id: hook.id).state == .delivered)
        }
    }

    @Test("the vendors' rate limits hold: Feishu never gets more than 5 requests in any second")
    func rateLimit() async throws {
        let receiver = VendorReceiver()
        try await receiver.serve { base in
            let database = try await NotifyFixture.workspace(clock: { Date() })
            try await NotifyFixture.channel(database, "feishu", base: base)
            for _ in 0..<12 {
                _ = try await database.queueChannelTest(name: "feishu", actor: "tester")
                try await Task.sleep(nanoseconds: 2_000_000)  // distinct dedupe keys (milliseconds)
            }
            let report = try await withTransport { try await NotifySender(database: database, transport: $0).deliver() }
            #expect(report.delivered.count == 12)
            let times = receiver.received("feishu").map(\.at).sorted()
            #expect(times.count == 12)
            for i in 0..<(times.count - 5) {
                #expect(times[i + 5].timeIntervalSince(times[i]) >= 0.95, "6 requests within a second at \(i)")
            }
        }
    }

    @Test("a crash after deciding, after claiming, or after the vendor answered loses nothing; only the last can repeat, with the same delivery id")
    func crashes() async throws {
        let clock = TestClock()
        let receiver = VendorReceiver(now: clock.function)
        try await receiver.serve { base in
            let database = try await NotifyFixture.workspace(clock: clock.function)
            try await NotifyFixture.channel(database, "webhook", base: base)
            // 1. Decided and queued, then the process died: the next run sends each once.
            let decision = try await database.decideNotifications(actor: "tester")
            #expect(decision.queued.count == 4)
            // 2. A message claimed (its attempt recorded) and the process died before sending.
            guard case .claimed(let claim) = try await database.claimNextMessage() else { Issue.record("nothing to claim"); return }
            #expect(try await database.outboxMessage(id: claim.messageId).state == .sending)
            try await withTransport { transport in
                let report = try await sender(database, clock, transport).deliver()
                #expect(report.recovered == 1 && report.delivered.count == 4)
            }
            #expect(receiver.received("webhook").count == 4)
            #expect(Set(receiver.received("webhook").compactMap { $0.headers["x-linkstar-delivery"] }).count == 4)
            #expect(try await database.outboxAttempts(messageId: claim.messageId).map(\.outcome) == ["interrupted", "delivered"])

            // 3. The vendor got it and the sender died before recording the answer: sent again with the same delivery id.
            let test = try await database.queueChannelTest(name: "webhook", actor: "tester")
            try await withTransport { transport in
                await #expect(throws: CancellationError.self) {
                    _ = try await sender(database, clock, DiesAfterSending(inner: transport)).deliver()
                }
                clock.advance(seconds: 1)
                let ids = try await sender(database, clock, transport).deliver().delivered.map { $0.id }
                #expect(ids == [test.id])
            }
            let repeats = receiver.received("webhook").suffix(2).compactMap { $0.headers["x-linkstar-delivery"] }
            #expect(repeats.count == 2 && repeats[0] == repeats[1] && repeats[0] == String(test.id))
            #expect(try await database.outbox().allSatisfy { $0.state == .delivered })
        }
    }

    @Test("messages are rendered in the workspace's language: a Chinese 日报 and alert with the owner @-mentioned")
    func chinese() async throws {
        let clock = TestClock()
        let receiver = VendorReceiver(now: clock.function)
        try await receiver.serve { base in
            let database = try await NotifyFixture.workspace(clock: clock.function)
            _ = try await database.setConfig(.lang, value: "zh", actor: "setup")
            _ = try await database.setConfig(.publicURL, value: "https://linkstar.example.com/", actor: "setup")
            try await NotifyFixture.channel(database, "dingtalk", base: base)
            _ = try await database.decideNotifications(actor: "tester")
            _ = try await withTransport { try await sender(database, clock, $0).deliver() }
            let texts = receiver.received("dingtalk").compactMap { ($0.json?["markdown"] as? [String: Any])?["text"] as? String }
            #expect(texts.count == 4)
            #expect(texts[0].hasPrefix("### LinkStar 日报 2026-11-14"), "\(texts[0])")
            #expect(texts[0].contains("[https://linkstar.example.com/](https://linkstar.example.com/)"))
            #expect(texts[1].hasPrefix("### LinkStar 提醒：复盘逾期\n\n全漏斗 2026-10 应于 2026-11-01 完成，已逾期 14 天，负责人 （无负责人）"), "\(texts[1])")
            #expect(texts[2].hasPrefix("### LinkStar 提醒：复盘超过宽限期"), "\(texts[2])")
            #expect(texts[3].hasPrefix("### LinkStar 提醒：KPI 未达标"), "\(texts[3])")
            #expect(texts[3].contains("@13800138000") && texts[3].contains("https://linkstar.example.com/kpis/1"))
            #expect(texts.allSatisfy { !$0.contains("LinkStar alert") && !$0.contains("overdue") }, "\(texts)")
        }
    }

    @Test("a message for a removed channel is failed, never sent")
    func removedChannel() async throws {
        let clock = TestClock()
        let receiver = VendorReceiver(now: clock.function)
        try await receiver.serve { base in
            let database = try await NotifyFixture.workspace(clock: clock.function)
            try await NotifyFixture.channel(database, "slack", base: base, secret: nil)
            let test = try await database.queueChannelTest(name: "slack", actor: "tester")
            _ = try await database.removeChannel(name: "slack", actor: "setup")
            _ = try await withTransport { try await sender(database, clock, $0).deliver() }
            let message = try await database.outboxMessage(id: test.id)
            #expect(message.state == .failed && message.lastError == "the channel was removed")
            #expect(receiver.received.isEmpty)
        }
    }
}

@Suite("serve --notify")
struct NotifyServiceTests {
    @Test("one turn of the server's scheduler decides and delivers, as notify run does; a second turn sends nothing new")
    func tick() async throws {
        let clock = TestClock()
        let receiver = VendorReceiver(now: clock.function)
        try await receiver.serve { base in
            let database = try await NotifyFixture.workspace(clock: clock.function)
            try await NotifyFixture.channel(database, "wecom", base: base, secret: nil)
            let transport = HTTPChatTransport()
            let service = NotifyService(database: database, transport: transport, interval: 1, logger: .init(label: "test"))
            await service.tick()
            #expect(receiver.received("wecom").count == 4)
            await service.tick()
            #expect(receiver.received("wecom").count == 4)
            #expect(try await database.outbox().allSatisfy { $0.state == .delivered })
            try await transport.shutdown()
        }
    }
}
