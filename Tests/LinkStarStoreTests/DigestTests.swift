import Foundation
import LinkStarCore
import Testing
@testable import LinkStarStore

/// The daily report on the mixed workspace of `LikeForLikeTests` (numbers worked by hand below), on 2026-11-07:
/// yesterday is Nov 6; the week is Oct 31 … Nov 6 against Oct 24 … 30.
@Suite("Daily report (日报)")
struct DigestTests {
    @Test("yesterday, the week against the week before, the bottleneck's owner, KPIs by owner, overdue reviews: the hand-computed ones")
    func digestOnTheMixedWorkspace() async throws {
        let database = try await LikeForLikeTests.mixed()
        for (handle, name) in [("chen.jie", "Chen Jie"), ("li.na", "Li Na")] {
            _ = try await database.addPerson(NewPerson(handle: handle, displayName: name, role: .editor), actor: "setup")
        }
        _ = try await database.assignLayer(.conversion, owner: "chen.jie", backup: nil, actor: "setup")
        // checkout → order over the week: 195 / 360 = 54.17 %, below 70 % and its 10 % band (63 %): off-track.
        let checkout = try await database.setKPI(KPISpec(metric: "checkout_to_order_rate", ownerHandle: "chen.jie",
                                                                         baseline: Baseline(value: 0.75, period: try DayRange(parsing: "2026-10")), target: 0.7), actor: "setup").kpi.id
        // conversion over the week: orders 675 / sessions 21,500 = 3.14 %: short of 3.4 % but within 10 % (3.06 %): at risk.
        let conversion = try await database.setKPI(KPISpec(metric: "conversion_rate", ownerHandle: "li.na",
                                                                          baseline: Baseline(value: 0.033, period: try DayRange(parsing: "2026-10")), target: 0.034), actor: "setup").kpi.id
        // sessions: 22,500 over 7 days = 3,214.3 a day against 3,000: on track, so not in the report.
        _ = try await database.setKPI(KPISpec(metric: "sessions", ownerHandle: "li.na",
                                                          baseline: Baseline(value: 2_900, period: try DayRange(parsing: "2026-10")), target: 3_000), actor: "setup")

        let digest = try await database.digest(today: try Day(parsing: "2026-11-07"))

        // Yesterday (Nov 6): shopify 1000 → 100 carts, shopee 500 → 80: 180 / 1,500 = 12 %, coverage 1,500 / 3,500.
        let visit = try #require(digest.yesterday.steps.first { $0.fromMetric == "sessions" && $0.toMetric == "add_to_cart" })
        #expect(visit.rate == 180.0 / 1_500 && visit.coverage == 1_500.0 / 3_500)
        // checkouts → orders yesterday: shopify only, 60 → 30.
        #expect(digest.yesterday.steps.first { $0.fromMetric == "checkouts" }?.rate == 0.5)
        #expect(digest.yesterday.from.description == "2026-11-06" && digest.yesterday.compareFrom?.description == "2026-11-05")

        // The week: shopify's checkout cells except Nov 2 (its orders are missing): 360 → 45 + 5 × 30 = 195.
        #expect(digest.week.from.description == "2026-10-31" && digest.week.to.description == "2026-11-06")
        let order = try #require(digest.week.steps.first { $0.fromMetric == "checkouts" })
        #expect(order.rate == 195.0 / 360 && order.compareRate == 225.0 / 300)
        let bottleneck = try #require(digest.week.bottleneck)
        #expect(bottleneck.fromMetric == "checkouts" && bottleneck.owner == "chen.jie")

        // KPIs needing someone: by owner, off-track first; the on-track one is not there.
        #expect(digest.kpis.map(\.id) == [checkout, conversion])
        #expect(digest.kpis.map(\.status) == [.offTrack, .atRisk])
        #expect(digest.kpis[0].current == 195.0 / 360 && digest.kpis[1].current == 675.0 / 21_500)

        // The workspace started 2026-01-01 with weekly/biweekly/monthly playbooks and no review closed: each layer's is overdue.
        #expect(!digest.reviews.isEmpty && digest.reviews.allSatisfy { $0.status == .overdue })
        #expect(digest.staleSeries.isEmpty, "every series reported Nov 6, one day before")
        #expect(digest.actionsAwaitingEvaluation.isEmpty && digest.followupsDue.isEmpty && digest.decays.isEmpty)
    }
}
