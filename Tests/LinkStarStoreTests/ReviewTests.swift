import Foundation
import LinkStarCore
import Testing
@testable import LinkStarStore

@Suite("Reviews")
struct ReviewTests {
    let today = try! Day(parsing: "2026-11-25")

    /// A team: chen.jie owns conversion (backup wang.fang), lin.wei is admin, sun.li a viewer.
    func team() async throws -> WorkspaceDatabase {
        let database = try await Fixture.workspace()
        for (handle, role) in [("chen.jie", PersonRole.editor), ("wang.fang", .editor), ("lin.wei", .admin), ("sun.li", .viewer)] {
            _ = try await database.addPerson(NewPerson(handle: handle, displayName: handle, role: role), actor: "setup")
        }
        for layer in LayerKey.allCases {
            _ = try await database.assignLayer(layer, owner: "chen.jie", backup: layer == .conversion ? "wang.fang" : nil, actor: "setup")
        }
        try await database.configureReviews(funnelOwner: "lin.wei", funnelCadence: nil, funnelDay: nil, graceDays: nil, actor: "setup")
        return database
    }

    @Test("start → check → refusals → close → immutable")
    func walk() async throws {
        let database = try await team()
        // An off-track KPI in the period adds an item.
        _ = try Fixture.importText(database, longCSV((16...22).flatMap { d in
            [(nov(d), "shopee/MY/mobile", "checkouts", 100.0, ""), (nov(d), "shopee/MY/mobile", "orders", 40.0, "")] }))
        _ = try await database.setKPI(KPISpec(metric: "checkout_to_order_rate", baseline: Baseline(value: 0.7, period: try DayRange(parsing: "2026-10")),
                                              target: 0.72, warningBand: .absolute(0.02)), actor: "setup")
        let review = try await database.startReview(.layer(.conversion), today: today, actor: "chen.jie")
        #expect(review.period == "2026-W47")
        #expect(review.playbookVersion == 1)
        let playbookItems = review.items.filter { $0.source.rawValue == "playbook" }
        #expect(playbookItems.count == 8)
        let kpiItem = try #require(review.items.first { $0.source.rawValue == "kpi" })
        #expect(kpiItem.text.contains("off-track"))
        #expect(kpiItem.optional == false)
        let again = await #expect(throws: LinkStarError.self) { try await database.startReview(.layer(.conversion), today: today, actor: "chen.jie") }
        #expect(again?.kind == .conflict)

        // Refused while required items are unchecked: the refusal lists them.
        let unchecked = await #expect(throws: LinkStarError.self) { try await database.closeReview(review.id, actor: "chen.jie") }
        #expect(unchecked?.kind == .conflict)
        #expect(unchecked?.details.count == review.items.filter { !$0.optional }.count)

        // The cause of an off-track KPI must be written down to check its item.
        let noCause = await #expect(throws: LinkStarError.self) {
            try await database.setReviewItem(review.id, item: kpiItem.position, checked: true, actor: "chen.jie")
        }
        #expect(noCause?.details.first?.field == "note")
        for item in review.items where !item.optional {
            _ = try await database.setReviewItem(review.id, item: item.position, checked: true, note: "ok", actor: "wang.fang")
        }
        _ = try await database.setReviewItem(review.id, item: 1, checked: false, actor: "chen.jie")
        #expect(try await database.reviewPack(review.id).review.requiredOpen == 1)
        _ = try await database.setReviewItem(review.id, item: 1, checked: true, actor: "chen.jie")
        let checked = try await database.reviewPack(review.id).review.items[0]
        #expect(checked.checkedBy == "chen.jie")
        #expect(checked.checkedAt != nil)
        _ = try await database.addReviewNote(review.id, kind: "finding", text: "COD times out on mobile", actor: "chen.jie")
        _ = try await database.addReviewNote(review.id, kind: "decision", text: "Roll back the payment SDK", actor: "chen.jie")
        let fromReview = try await database.addReviewAction(review.id, NewAction(title: "Roll back SDK", layer: .conversion, metric: "checkout_to_order_rate",
                                                                                 kind: .page, hypothesis: "The SDK broke COD"), today: today, actor: "chen.jie")
        #expect(fromReview.action.reviewId == review.id)

        // Refused for a non-owner who is not an admin.
        let stranger = await #expect(throws: LinkStarError.self) { try await database.closeReview(review.id, actor: "sun.li") }
        #expect(stranger?.kind == .forbidden)
        let closed = try await database.closeReview(review.id, actor: "wang.fang")
        #expect(closed.status.rawValue == "closed")
        #expect(closed.closedBy == "wang.fang")

        // A closed review can no longer change.
        let audits = try await database.auditEntryCount()
        for attempt in [
            { _ = try await database.setReviewItem(review.id, item: 1, checked: false, actor: "chen.jie") },
            { _ = try await database.addReviewNote(review.id, kind: "finding", text: "late", actor: "chen.jie") },
            { _ = try await database.closeReview(review.id, actor: "lin.wei") },
            { _ = try await database.addReviewAction(review.id, NewAction(title: "x", layer: .conversion, metric: "orders", kind: .other, hypothesis: "h"),
                                                     today: self.today, actor: "chen.jie") },
        ] as [() async throws -> Void] {
            let error = await #expect(throws: LinkStarError.self) { try await attempt() }
            #expect(error?.message.contains("closed") == true)
        }
        #expect(try await database.auditEntryCount() == audits)
        let pack = try await database.reviewPack(review.id)
        #expect(pack.kpis.first?.status == .offTrack)
        #expect(pack.review.findings.count == 1)
        #expect(pack.actions.fromThisReview.map(\.title) == ["Roll back SDK"])
        // The stored snapshot does not move when the data does.
        _ = try Fixture.importText(database, longCSV([(nov(20), "shopee/MY/mobile", "orders", 90, "")]))
        #expect(try await database.reviewPack(review.id).kpis.first?.current == pack.kpis.first?.current)
        let due = try await database.reviewsDue(today: today).first { $0.scope == .layer(.conversion) }
        #expect(due?.status == .done)
        #expect(due?.lastReviewId == review.id)
    }

    @Test("an admin may close any review; the funnel review belongs to its named owner")
    func adminAndFunnel() async throws {
        let database = try await team()
        let funnel = try await database.startReview(.funnel, today: today, actor: "lin.wei")
        #expect(funnel.period == "2026-10")
        #expect(funnel.owner == "lin.wei")
        for item in funnel.items where !item.optional {
            _ = try await database.setReviewItem(funnel.id, item: item.position, checked: true, actor: "lin.wei")
        }
        await #expect(throws: LinkStarError.self) { try await database.closeReview(funnel.id, actor: "chen.jie") }
        #expect(try await database.closeReview(funnel.id, actor: "lin.wei").status.rawValue == "closed")
    }

    @Test("gating refuses new actions on an overdue layer and accepts them with --force and a reason, audited")
    func gating() async throws {
        let database = try await team()
        // feedback reviews monthly on the 5th: October's review is 20 days overdue on 2026-11-25.
        let input = NewAction(title: "Attribution window fix", layer: .feedback, metric: "orders", kind: .other, hypothesis: "h")
        let refused = await #expect(throws: LinkStarError.self) { try await database.logAction(input, today: today, actor: "chen.jie") }
        #expect(refused?.kind == .forbidden)
        #expect(refused?.message.contains("feedback review for 2026-10") == true)
        #expect(try await database.actions().isEmpty)
        let forced = try await database.logAction(input, today: today, override: GateOverride(reason: "data outage fix cannot wait"), actor: "chen.jie")
        let entry = try #require(try await database.auditEntries(entity: "layer", entityId: "feedback").first)
        #expect(entry.action == "gate.override")
        #expect(entry.reason == "data outage fix cannot wait")
        await #expect(throws: LinkStarError.self) {
            try await database.startAction(id: forced.action.id, on: self.today, today: self.today, actor: "chen.jie")
        }
        // Within the grace period (landing: 1 day overdue) nothing is refused.
        _ = try await database.logAction(NewAction(title: "Hero", layer: .landing, metric: "sessions", kind: .page, hypothesis: "h"), today: today, actor: "chen.jie")
        try await database.configureReviews(funnelOwner: nil, funnelCadence: nil, funnelDay: nil, graceDays: 30, actor: "lin.wei")
        _ = try await database.logAction(input, today: today, actor: "chen.jie")
    }

    @Test("the compliance check finds problems, and is clean when everything is done")
    func compliance() async throws {
        let database = try await team()
        _ = try await database.setKPI(KPISpec(metric: "orders", target: 10), actor: "setup")
        var report = try await database.complianceCheck(today: today)
        #expect(!report.clean)
        #expect(report.kpisWithoutBaseline.count == 1)
        #expect(report.overdueReviews.map(\.scope.description).contains("feedback"))

        // Make everything right: a baseline, and every review due now closed.
        _ = try await database.setKPI(KPISpec(metric: "orders", baseline: Baseline(value: 8, period: try DayRange(parsing: "2026-10"))), actor: "setup")
        for scope in WorkspaceDatabase.allScopes {
            let review = try await database.startReview(scope, today: today, actor: "lin.wei")
            for item in review.items where !item.optional {
                _ = try await database.setReviewItem(review.id, item: item.position, checked: true, actor: "lin.wei")
            }
            _ = try await database.closeReview(review.id, actor: "lin.wei")
        }
        report = try await database.complianceCheck(today: today)
        #expect(report.clean, "\(report)")
    }
}

@Suite("Review snapshots from earlier versions")
struct ReviewSnapshotUpgradeTests {
    @Test("a snapshot stored before the like-for-like fields still decodes (never recomputed), with nothing partial")
    func oldSnapshot() async throws {
        let database = try await Fixture.workspace()
        _ = try Fixture.importText(database, longCSV([(nov(1), "shopee/MY/all", "sessions", 100, ""), (nov(1), "shopee/MY/all", "orders", 3, "")]))
        _ = try await database.setKPI(KPISpec(metric: "conversion_rate", target: 0.05), actor: "a")
        let period = try DayRange(parsing: nov(1))
        let current = ReviewSnapshot(kpis: try await database.kpiStatus(period: period), funnel: try await database.funnel(period: period))
        var root = try #require(try JSONSerialization.jsonObject(with: LinkStarJSON.encoder(pretty: false).encode(current)) as? [String: Any])
        // Remove what earlier versions did not write.
        var kpis = try #require(root["kpis"] as? [[String: Any]])
        for i in kpis.indices { kpis[i]["aggregation"] = nil; kpis[i]["partial"] = nil; kpis[i]["coverage"] = nil }
        root["kpis"] = kpis
        var funnel = try #require(root["funnel"] as? [String: Any])
        for key in ["coverage_threshold", "new_segments", "gone_segments", "revenue_total"] { funnel[key] = nil }
        funnel["steps"] = (funnel["steps"] as? [[String: Any]])?.map { step in
            var step = step
            for key in ["partial", "left_out", "coverage", "problem", "comparable_rate"] { step[key] = nil }
            return step
        }
        root["funnel"] = funnel
        let old = String(decoding: try JSONSerialization.data(withJSONObject: root), as: UTF8.self)
        let decoded = try #require(ReviewSnapshot.decode(old))
        #expect(decoded.kpis.first?.current == 0.03)
        #expect(decoded.kpis.first?.aggregation == .rate)
        #expect(decoded.kpis.first?.partial == false)
        #expect(decoded.funnel.steps.first?.rate == 0.03)
        #expect(decoded.funnel.steps.first?.partial == false)
    }
}
