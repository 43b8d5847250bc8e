import Foundation
import GRDB
import LinkStarCore
import Testing
@testable import LinkStarStore

/// Deciding what to send, on the mixed workspace of `LikeForLikeTests` (data Oct 26 – Nov 6): the daily report once
/// per day and channel at its time in the workspace's zone, each alert once per occurrence, and nothing twice.
@Suite("Outbox: deciding once per occurrence")
struct OutboxTests {
    func at(_ clock: TestClock, _ text: String) { clock.advance(seconds: LinkStarJSON.parseTimestamp(text)!.timeIntervalSince(clock.now)) }

    func conditionCount(_ database: WorkspaceDatabase) async throws -> Int {
        try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM notify_condition") ?? -1 }
    }

    @Test("no channel, nothing decided; then alerts once, the report at 09:00 once per channel, stale data as one message, a cleared KPI raising again as occurrence 2")
    func decideOnce() async throws {
        let clock = TestClock("2026-11-07T08:30:00Z")
        let database = try await LikeForLikeTests.mixed(clock: clock)
        _ = try await database.addPerson(NewPerson(handle: "chen.jie", displayName: "Chen Jie", role: .editor), actor: "setup")
        // checkout → order over Oct 31 – Nov 6: 195 / 360 = 54.2 % against 70 %: off-track (see DigestTests).
        let spec = KPISpec(metric: "checkout_to_order_rate", ownerHandle: "chen.jie",
                           baseline: Baseline(value: 0.75, period: try DayRange(parsing: "2026-10")), target: 0.7)
        let kpi = try await database.setKPI(spec, actor: "setup").kpi.id

        // No channel: nothing is recorded, so the first channel hears about everything true then.
        let none = try await database.decideNotifications(actor: "tester")
        #expect(none.channels == 0 && none.queued.isEmpty && none.alerts.isEmpty)
        #expect(try await conditionCount(database) == 0)

        _ = try await database.addChannel(try NewChannel.parse(name: "ops", kind: "feishu", url: "https://open.feishu.cn/open-apis/bot/v2/hook/x",
                                                               secret: "s1"), actor: "setup")
        _ = try await database.addChannel(try NewChannel.parse(name: "hook", kind: "webhook", url: "https://example.com/in", secret: nil), actor: "setup")

        // 08:30: before the report's time. Alerts: the six overdue reviews (five layers and the funnel, none ever
        // closed since Jan 1), those past the 3-day grace, and the off-track KPI. Nothing is stale (Nov 6 is 1 day behind).
        let first = try await database.decideNotifications(actor: "tester")
        #expect(first.digestDay == nil && first.today.description == "2026-11-07")
        #expect(first.alerts.filter { $0.kind == .reviewOverdue }.count == 6)
        let pastGrace = first.alerts.filter { $0.kind == .reviewPastGrace }
        #expect(pastGrace.map { $0.review?.scope } == first.alerts.filter { $0.kind == .reviewOverdue && ($0.review?.daysOverdue ?? 0) > 3 }.map { $0.review?.scope })
        #expect(first.alerts.filter { $0.kind == .kpiOffTrack }.map { $0.kpi?.id } == [kpi])
        #expect(first.alerts.filter { $0.kind == .kpiOffTrack }.first?.owner == "chen.jie")
        #expect(!first.alerts.contains { $0.kind == .stale || $0.kind == .decay })
        #expect(first.queued.count == 2 * first.alerts.count)
        #expect(first.queued.contains { $0.channel == "ops" && $0.dedupeKey == "alert:kpi.off_track:\(kpi)#1" })
        #expect(try await database.pendingAlerts().isEmpty, "decided: nothing is pending")

        // Deciding again changes nothing.
        at(clock, "2026-11-07T08:45:00Z")
        let again = try await database.decideNotifications(actor: "tester")
        #expect(again.queued.isEmpty && again.alerts.isEmpty && again.cleared.isEmpty)

        // 09:00: the report, once per channel; at 09:10 not again.
        at(clock, "2026-11-07T09:00:00Z")
        let nine = try await database.decideNotifications(actor: "tester")
        #expect(nine.digestDay?.description == "2026-11-07")
        #expect(nine.queued.map(\.dedupeKey) == ["digest:2026-11-07", "digest:2026-11-07"] && nine.queued.allSatisfy { $0.topic == .digest })
        at(clock, "2026-11-07T09:10:00Z")
        #expect(try await database.decideNotifications(actor: "tester").queued.isEmpty)

        // In Asia/Shanghai, 2026-11-07T16:30Z is Nov 8 00:30: not yet time; 01:00Z is 09:00 there.
        _ = try await database.setConfig(.timezone, value: "Asia/Shanghai", actor: "setup")
        at(clock, "2026-11-07T16:30:00Z")
        let midnight = try await database.decideNotifications(actor: "tester")
        #expect(midnight.today.description == "2026-11-08" && midnight.digestDay == nil && !midnight.queued.contains { $0.topic == .digest })
        at(clock, "2026-11-08T01:00:00Z")
        #expect(try await database.decideNotifications(actor: "tester").queued.filter { $0.topic == .digest }.map(\.dedupeKey)
                == ["digest:2026-11-08", "digest:2026-11-08"])

        // Nov 10 (Shanghai): every series' newest day is Nov 6, 4 days behind (> 2): the 9 series (shopify 4,
        // amazon 2, shopee 3) are one stale-data message per channel, besides the day's report.
        at(clock, "2026-11-10T02:00:00Z")
        let stale = try await database.decideNotifications(actor: "tester")
        let staleAlerts = stale.alerts.filter { $0.kind == .stale }
        #expect(staleAlerts.count == 1 && staleAlerts.first?.stale.count == 9)
        #expect(staleAlerts.first?.stale.allSatisfy { $0.lastDay.description == "2026-11-06" && $0.daysBehind == 4 } == true)
        #expect(stale.queued.filter { $0.dedupeKey.hasPrefix("alert:stale:") }.count == 2 && stale.queued.filter { $0.topic == .digest }.count == 2)

        // The KPI back on track (Nov 3 – 9: shopify 120 / 240 = 50 % against 45 %) clears; off-track again is occurrence 2.
        var eased = spec
        eased.target = 0.45
        _ = try await database.setKPI(eased, actor: "setup")
        at(clock, "2026-11-10T02:10:00Z")
        let cleared = try await database.decideNotifications(actor: "tester")
        #expect(cleared.cleared == ["kpi.off_track:\(kpi)"] && cleared.queued.isEmpty)
        _ = try await database.setKPI(spec, actor: "setup")
        at(clock, "2026-11-10T02:20:00Z")
        let raised = try await database.decideNotifications(actor: "tester")
        #expect(raised.alerts.map(\.condition) == ["kpi.off_track:\(kpi)"] && raised.alerts.first?.occurrence == 2)
        #expect(raised.queued.map(\.dedupeKey) == ["alert:kpi.off_track:\(kpi)#2", "alert:kpi.off_track:\(kpi)#2"])

        // `off`: no report at all.
        _ = try await database.setConfig(.digestTime, value: "off", actor: "setup")
        at(clock, "2026-11-11T04:00:00Z")
        let off = try await database.decideNotifications(actor: "tester")
        #expect(off.digestDay == nil && !off.queued.contains { $0.topic == .digest })

        // Every decision that changed something is in the audit log, by who ran it; no secret or URL is in it.
        let audit = try await database.auditEntries(entity: "outbox", limit: 1000)
        #expect(audit.filter { $0.action == "notify.decide" }.count >= 7)
        #expect(audit.filter { $0.action == "notify.decide" }.allSatisfy { $0.actor == "tester" })
        let everything = try await database.writer.read { db in try String.fetchAll(db, sql: "SELECT coalesce(before_json, '') || coalesce(after_json, '') FROM audit_entry") }
        #expect(!everything.contains { $0.contains("open.feishu.cn/open-apis/bot/v2/hook/x") || $0.contains("s1\"") })
    }

    @Test("the stored message is the decided data: the outbox payload decodes to the same digest document")
    func payloadRoundTrip() async throws {
        let clock = TestClock("2026-11-07T09:30:00Z")
        let database = try await LikeForLikeTests.mixed(clock: clock)
        _ = try await database.addChannel(try NewChannel.parse(name: "hook", kind: "webhook", url: "https://example.com/in", secret: nil), actor: "setup")
        let decision = try await database.decideNotifications(actor: "tester")
        let id = try #require(decision.queued.first { $0.topic == .digest }?.id)
        guard case .claimed(let claim) = try await database.claimNextMessage(only: [id]) else { Issue.record("not claimed"); return }
        let digest = try await database.digest(today: try Day(parsing: "2026-11-07"))
        // The same document byte for byte (notes come back as text, translated when shown, as stored text always is).
        let encoder = LinkStarJSON.encoder()
        #expect(String(decoding: try encoder.encode(claim.notice.digest), as: UTF8.self) == String(decoding: try encoder.encode(digest), as: UTF8.self))
        #expect(claim.url.absoluteString == "https://example.com/in" && claim.attempt == 1)
    }
}
