import Foundation
import GRDB
import LinkStarCore
import Testing
@testable import LinkStarStore

/// Fixing mistakes without losing history: every correction is audited with before and after.
@Suite("Corrections that keep history")
struct CorrectionsTests {
    func team() async throws -> WorkspaceDatabase {
        let database = try await Fixture.workspace()
        for (handle, role) in [("chen.jie", PersonRole.editor), ("lin.wei", .admin)] {
            _ = try await database.addPerson(NewPerson(handle: handle, displayName: handle, role: role), actor: "setup")
        }
        for layer in LayerKey.allCases { _ = try await database.assignLayer(layer, owner: "chen.jie", backup: nil, actor: "setup") }
        try await database.configureReviews(funnelOwner: "lin.wei", funnelCadence: nil, funnelDay: nil, graceDays: nil, actor: "setup")
        _ = try Fixture.importText(database, longCSV([(nov(1), "shopee/MY/all", "sessions", 100, ""), (nov(1), "shopee/MY/all", "orders", 3, "")]))
        return database
    }

    @Test("kpi edit changes only the given fields; a retired KPI is no longer judged, stays listed with --all, and cannot be set again")
    func kpis() async throws {
        let database = try await team()
        let kpi = try await database.setKPI(KPISpec(metric: "conversion_rate", baseline: Baseline(value: 0.02, period: try DayRange(parsing: "2026-10")),
                                                    target: 0.04), actor: "lin.wei").kpi
        let edited = try await database.editKPI(id: kpi.id, try KPISpec.parseEdit(owner: nil, baseline: nil, baselinePeriod: nil, target: 0.05,
                                                                                  warn: nil, currency: nil), actor: "lin.wei")
        #expect(edited.outcome == .updated)
        #expect(edited.kpi.target == 0.05)
        #expect(edited.kpi.baseline?.value == 0.02)
        let audit = try await database.auditEntries(entity: "kpi:\(kpi.id)", limit: 1)
        #expect(AuditDiff.changes(before: audit.first?.before, after: audit.first?.after).map(\.field) == ["target"])

        let period = try DayRange(parsing: nov(1))
        #expect(try await database.kpiStatus(period: period).count == 1)
        let retired = try await database.retireKPI(id: kpi.id, reason: "replaced by checkout_to_order_rate", actor: "lin.wei")
        #expect(retired.retired?.reason == "replaced by checkout_to_order_rate")
        #expect(try await database.kpiStatus(period: period).isEmpty)
        #expect(try await database.kpis().isEmpty)
        #expect(try await database.kpis(includeRetired: true).count == 1)
        let again = await #expect(throws: LinkStarError.self) {
            try await database.setKPI(KPISpec(metric: "conversion_rate", target: 0.06), actor: "lin.wei")
        }
        #expect(again?.kind == .conflict)
        await #expect(throws: LinkStarError.self) { try await database.retireKPI(id: 99, reason: "x", actor: "lin.wei") }
        await #expect(throws: LinkStarError.self) { try await database.retireKPI(id: kpi.id, reason: "  ", actor: "lin.wei") }
    }

    @Test("a deleted event no longer shows or confounds; its edit and deletion are in the audit")
    func events() async throws {
        let database = try await team()
        let event = try await database.addEvent(NewEvent(kind: .promo, title: "11.11", period: try DayRange(parsing: nov(11))), actor: "chen.jie")
        let edited = try await database.editEvent(id: event.id, try EventChanges.parse(kind: nil, title: "Double 11", from: nil, to: nov(12), segment: nil),
                                                  actor: "chen.jie")
        #expect(edited.title == "Double 11" && edited.to.description == nov(12))
        await #expect(throws: LinkStarError.self) {
            try await database.editEvent(id: event.id, try EventChanges.parse(kind: nil, title: nil, from: nil, to: nov(1), segment: nil), actor: "chen.jie")
        }
        _ = try await database.deleteEvent(id: event.id, reason: "logged twice", actor: "chen.jie")
        #expect(try await database.events().isEmpty)
        await #expect(throws: LinkStarError.self) { try await database.deleteEvent(id: event.id, reason: nil, actor: "chen.jie") }
        let history = try await database.auditEntries(entity: "event:\(event.id)", limit: 10).map(\.action)
        #expect(history == ["event.delete", "event.edit", "event.add"])
        let reason = try await database.auditEntries(entity: "event:\(event.id)", limit: 1).first?.reason
        #expect(reason == "logged twice")
    }

    @Test("a closed review gets dated addenda and does not otherwise change; a deactivated owner is flagged by check")
    func reviewsAndOwners() async throws {
        let database = try await team()
        let today = try Day(parsing: "2026-11-25")
        let review = try await database.startReview(.layer(.traffic), today: today, actor: "chen.jie")
        for item in review.items where !item.optional {
            _ = try await database.setReviewItem(review.id, item: item.position, checked: true, note: "done", actor: "chen.jie")
        }
        await #expect(throws: LinkStarError.self) { try await database.amendReview(review.id, note: "too early", actor: "chen.jie") }
        let closed = try await database.closeReview(review.id, actor: "chen.jie")
        let amended = try await database.amendReview(review.id, note: "The CTR dip was a tracking outage, not the image", actor: "chen.jie")
        #expect(amended.addenda.map(\.text) == ["The CTR dip was a tracking outage, not the image"])
        var unchanged = amended
        unchanged.addenda = []
        #expect(unchanged == closed)

        _ = try await database.setPersonActive("chen.jie", active: false, actor: "lin.wei")
        let check = try await database.complianceCheck(today: today)
        #expect(check.inactiveOwners.contains(InactiveOwner(person: "chen.jie", owns: "layer:traffic")))
        #expect(!check.clean)
    }

    @Test("a proposed action's plan can be edited; any action before evaluation can be cancelled with a reason, not after")
    func actions() async throws {
        let database = try await team()
        let backfill = GateOverride(reason: "test")
        let id = try await database.logAction(NewAction(title: "Banner", layer: .traffic, metric: "ctr", kind: .ads, hypothesis: "h"),
                                              override: backfill, actor: "chen.jie").action.id
        let edited = try await database.editAction(id: id, try ActionChanges.parse(title: "Bigger banner", hypothesis: nil, expected: "+0.2pp",
                                                                                    ice: "7,5,9", owner: nil), actor: "chen.jie")
        #expect(edited.action.title == "Bigger banner" && edited.action.ice?.ease == 9)
        _ = try await database.startAction(id: id, on: try Day(parsing: nov(1)), override: backfill, actor: "chen.jie")
        let late = await #expect(throws: LinkStarError.self) {
            try await database.editAction(id: id, ActionChanges(title: "x"), actor: "chen.jie")
        }
        #expect(late?.kind == .conflict)
        let cancelled = try await database.cancelAction(id: id, reason: "overtaken by the redesign", actor: "chen.jie")
        #expect(cancelled.action.status == .cancelled)
        #expect(cancelled.action.cancelReason == "overtaken by the redesign")
        let again = await #expect(throws: LinkStarError.self) { try await database.cancelAction(id: id, reason: "r", actor: "chen.jie") }
        #expect(again?.kind == .conflict)
        let history = try await database.auditEntries(entity: "action:\(id)", limit: 10).map(\.action)
        #expect(history == ["action.cancel", "action.start", "action.edit", "action.log"])
    }
}
