import Foundation
import LinkStarCore
import Testing
@testable import LinkStarStore

/// Days from 2026-09-01 on.
func sep(_ offset: Int) -> String { try! Day(parsing: "2026-09-01").adding(days: offset).description }

/// Daily checkouts and orders for a segment: `rate(day)` of 1000 checkouts convert.
func checkoutRows(_ segment: String, days: Range<Int>, rate: (Int) -> Double) -> [(String, String, String, Double, String)] {
    days.flatMap { d -> [(String, String, String, Double, String)] in
        [(sep(d), segment, "checkouts", 1000, ""), (sep(d), segment, "orders", (1000 * rate(d)).rounded(), "")]
    }
}

@Suite("Actions")
struct ActionTests {
    func workspace() async throws -> WorkspaceDatabase {
        let database = try await Fixture.workspace()
        _ = try await database.addPerson(NewPerson(handle: "chen.jie", displayName: "Chen Jie", role: .editor), actor: "a")
        _ = try await database.assignLayer(.conversion, owner: "chen.jie", backup: nil, actor: "a")
        return database
    }

    func log(_ database: WorkspaceDatabase, segment: String = "*/MY/mobile", control: String? = nil,
             metric: String = "checkout_to_order_rate", kind: ActionKind = .page) async throws -> Int64 {
        try await database.logAction(NewAction(title: "One-page checkout", layer: .conversion, metric: metric,
                                               segment: try Segment(parsing: segment), kind: kind, hypothesis: "Fewer steps",
                                               ice: ICEScore(impact: 8, confidence: 6, ease: 7),
                                               controlSegment: try control.map { try Segment(parsing: $0) }), actor: "chen.jie").action.id
    }

    @Test("the lifecycle moves forward; invalid transitions are refused with the allowed steps and write nothing")
    func lifecycle() async throws {
        let database = try await workspace()
        let id = try await log(database)
        let audits = try await database.auditEntryCount()
        let early = await #expect(throws: LinkStarError.self) { try await database.stopAction(id: id, on: try Day(parsing: sep(3)), actor: "a") }
        #expect(early?.kind == .conflict)
        #expect(early?.message.contains("allowed: start") == true)
        let evaluate = await #expect(throws: LinkStarError.self) { try await database.evaluateAction(id: id, actor: "a") }
        #expect(evaluate?.kind == .conflict)
        #expect(try await database.auditEntryCount() == audits)

        _ = try await database.startAction(id: id, on: try Day(parsing: sep(14)), actor: "a")
        let backwards = await #expect(throws: LinkStarError.self) { try await database.stopAction(id: id, on: try Day(parsing: sep(10)), actor: "a") }
        #expect(backwards?.kind == .invalid)
        let stopped = try await database.stopAction(id: id, on: try Day(parsing: sep(27)), actor: "a")
        #expect(stopped.action.status == .measuring)
        let detail = try await database.action(id: id)
        #expect(detail.history.map(\.action) == ["action.log", "action.start", "action.stop"])
        #expect(detail.action.owner == "chen.jie")
        let missing = await #expect(throws: LinkStarError.self) { try await database.action(id: 404) }
        #expect(missing?.kind == .notFound)
    }

    @Test("a window without data is refused and nothing is written")
    func noData() async throws {
        let database = try await workspace()
        let id = try await log(database)
        _ = try await database.startAction(id: id, on: try Day(parsing: sep(14)), actor: "a")
        _ = try await database.stopAction(id: id, on: try Day(parsing: sep(27)), actor: "a")
        let before = try await Fixture.dump(database)
        let error = await #expect(throws: LinkStarError.self) { try await database.evaluateAction(id: id, actor: "a") }
        #expect(error?.message.contains("no checkout_to_order_rate data") == true)
        #expect(try await Fixture.dump(database) == before)
    }

    @Test("A/B: z-test, interval, verdict won, and a sample-ratio mismatch warning")
    func abTest() async throws {
        let database = try await workspace()
        let id = try await log(database, kind: .abTest)
        _ = try await database.startAction(id: id, on: try Day(parsing: sep(0)), actor: "a")
        _ = try await database.recordVariant(id: id, variant: "control", exposures: 10_000, conversions: 400, actor: "a")
        _ = try await database.recordVariant(id: id, variant: "treatment", exposures: 10_050, conversions: 520, actor: "a")
        _ = try await database.stopAction(id: id, on: try Day(parsing: sep(13)), actor: "a")
        let evaluation = try await database.evaluateAction(id: id, actor: "a")
        let reference = try #require(HypothesisTests.twoProportion(k1: 400, n1: 10_000, k2: 520, n2: 10_050))
        #expect(evaluation.method == "ab-test")
        #expect(evaluation.estimate == reference.estimate)
        #expect(evaluation.pValue == reference.pValue)
        #expect(evaluation.verdict == .won)
        #expect(evaluation.srm?.mismatch == false)
        #expect(try await database.action(id: id).action.verdict == .won)

        let skewed = try await log(database, kind: .abTest)
        _ = try await database.startAction(id: skewed, on: try Day(parsing: sep(0)), actor: "a")
        _ = try await database.recordVariant(id: skewed, variant: "control", exposures: 10_400, conversions: 420, actor: "a")
        _ = try await database.recordVariant(id: skewed, variant: "treatment", exposures: 9_600, conversions: 380, actor: "a")
        _ = try await database.stopAction(id: skewed, on: try Day(parsing: sep(13)), actor: "a")
        let mismatch = try await database.evaluateAction(id: skewed, actor: "a")
        #expect(mismatch.srm?.mismatch == true)
        #expect(mismatch.warnings.contains { $0.description.hasPrefix("sample ratio mismatch") })
        #expect(mismatch.verdict == .inconclusive)
    }

    @Test("a seasonal lift in both test and control: naive before/after says won, difference-in-differences says inconclusive")
    func seasonalLift() async throws {
        let database = try await workspace()
        // Both segments go from 70% to 76% on day 14: a season, not the action.
        let season: (Int) -> Double = { $0 < 14 ? 0.70 + 0.004 * Double($0 % 3) : 0.76 + 0.004 * Double($0 % 3) }
        _ = try Fixture.importText(database, longCSV(checkoutRows("shopee/MY/mobile", days: 0..<28, rate: season)
                                                     + checkoutRows("shopee/SG/mobile", days: 0..<28, rate: season)))
        let naive = try await log(database)
        _ = try await database.startAction(id: naive, on: try Day(parsing: sep(14)), actor: "a")
        _ = try await database.stopAction(id: naive, on: try Day(parsing: sep(27)), actor: "a")
        let naiveResult = try await database.evaluateAction(id: naive, actor: "a")
        #expect(naiveResult.method == "before-after-proportion")
        #expect(naiveResult.verdict == .won)

        let controlled = try await log(database, control: "*/SG/mobile")
        _ = try await database.startAction(id: controlled, on: try Day(parsing: sep(14)), actor: "a")
        _ = try await database.stopAction(id: controlled, on: try Day(parsing: sep(27)), actor: "a")
        let did = try await database.evaluateAction(id: controlled, actor: "a")
        #expect(did.method == "diff-in-diff-proportion")
        #expect(abs(did.estimate) < 1e-12)
        #expect(did.verdict == .inconclusive)
        #expect(did.naiveVerdict == .won)
        #expect(did.warnings.contains { $0.description.contains("naive before/after would say won") })
    }

    @Test("means use Welch's t-test on daily values; an overlapping event is named; a running action on the same KPI collides")
    func welchEventsCollisions() async throws {
        let database = try await workspace()
        var rows: [(String, String, String, Double, String)] = []
        for d in 0..<28 {
            rows.append((sep(d), "shopee/MY/all", "revenue", (d < 14 ? 8000 : 9000) + Double(d % 4) * 150, "MYR"))
            rows.append((sep(d), "shopee/MY/all", "orders", 100, ""))
        }
        _ = try Fixture.importText(database, longCSV(rows))
        _ = try await database.addEvent(NewEvent(kind: .promo, title: "Payday sale", period: try DayRange(parsing: "\(sep(20))..\(sep(21))"),
                                                 segment: try Segment(parsing: "shopee/*/*")), actor: "a")
        _ = try await database.addEvent(NewEvent(kind: .holiday, title: "Songkran", period: try DayRange(parsing: "\(sep(20))..\(sep(21))"),
                                                 segment: try Segment(parsing: "*/TH/*")), actor: "a")
        let id = try await log(database, segment: "shopee/MY/*", metric: "aov", kind: .pricing)
        _ = try await database.startAction(id: id, on: try Day(parsing: sep(14)), actor: "a")
        let other = try await log(database, segment: "*/MY/*", metric: "aov", kind: .promotion)
        let collision = try await database.startAction(id: other, on: try Day(parsing: sep(15)), actor: "a")
        #expect(collision.warnings.first?.description.contains("#\(id)") == true)
        _ = try await database.stopAction(id: id, on: try Day(parsing: sep(27)), actor: "a")
        let result = try await database.evaluateAction(id: id, actor: "a")
        #expect(result.method == "before-after-welch")
        #expect(result.degreesOfFreedom != nil)
        #expect(abs(result.estimate - (10 + 6.0 / 14)) < 1e-9)   // daily AOV 80 + 1.5·(d mod 4) → 90 + …
        #expect(result.verdict == .won)
        #expect(result.confoundedBy.count == 1)
        #expect(result.confoundedBy.first?.description.hasPrefix("Payday sale") == true)
    }

    @Test("a won action gets follow-ups; decay is flagged when the effect fades; replicate links a new action")
    func followupsAndReplication() async throws {
        let database = try await workspace()
        // 70% before day 14, 78% during the test, then back to 72% from day 40 on.
        let rate: (Int) -> Double = { d in d < 14 ? 0.70 : (d < 40 ? 0.78 : 0.72) }
        _ = try Fixture.importText(database, longCSV(checkoutRows("shopee/MY/mobile", days: 0..<140, rate: rate)))
        let id = try await log(database)
        _ = try await database.startAction(id: id, on: try Day(parsing: sep(14)), actor: "a")
        _ = try await database.stopAction(id: id, on: try Day(parsing: sep(27)), actor: "a")
        #expect(try await database.evaluateAction(id: id, actor: "a").verdict == .won)
        let refused = await #expect(throws: LinkStarError.self) {
            try await database.concludeAction(id: id, decision: .archive, reason: " ", actor: "a")
        }
        #expect(refused?.details.first?.field == "reason")
        // "replicate" is not a promise: the action is replicated when replicateAction creates the copy.
        let promise = await #expect(throws: LinkStarError.self) {
            try await database.concludeAction(id: id, decision: .replicate, reason: "won", actor: "a")
        }
        #expect(promise?.kind == .conflict)
        #expect(try await database.action(id: id).action.status == .evaluated)
        _ = try await database.concludeAction(id: id, decision: .archive, reason: "kept as the new default", actor: "a")
        var detail = try await database.action(id: id)
        #expect(detail.followups.map(\.offsetDays) == [7, 30, 90])
        #expect(detail.followups.map(\.dueOn.description) == [sep(34), sep(57), sep(117)])

        // On day 60 the +7 and +30 checkpoints are due.
        let results = try await database.followUpAction(id: id, today: try Day(parsing: sep(60)), actor: "a")
        #expect(results.map(\.checkpointDays) == [7, 30])
        #expect(results[0].decayed == false)          // window days 21..34 still mostly 78%
        #expect(results[1].decayed == true)           // window days 44..57 at 72%: most of the effect is gone
        #expect(results[1].warnings.contains { $0.description.hasPrefix("decay") })
        #expect(try await database.followUpAction(id: id, today: try Day(parsing: sep(60)), actor: "a").isEmpty)
        detail = try await database.action(id: id)
        #expect(detail.followups.filter(\.done).count == 2)

        // Replication needs a won, evaluated action; the archived one is refused.
        await #expect(throws: LinkStarError.self) {
            try await database.replicateAction(id: id, segment: try Segment(parsing: "*/SG/mobile"), actor: "a")
        }
        let second = try await log(database)
        _ = try await database.startAction(id: second, on: try Day(parsing: sep(14)), actor: "a")
        _ = try await database.stopAction(id: second, on: try Day(parsing: sep(27)), actor: "a")
        _ = try await database.evaluateAction(id: second, actor: "a")
        let copy = try await database.replicateAction(id: second, segment: try Segment(parsing: "*/SG/mobile"), actor: "a")
        #expect(copy.action.replicatedFrom == second)
        #expect(copy.action.status == .proposed)
        #expect(copy.action.hypothesis == "Fewer steps")
        #expect(try await database.action(id: second).action.status == .replicated)
        #expect(try await database.action(id: second).replications == [copy.action.id])
    }

    @Test("proposed actions are ranked by ICE")
    func ranking() async throws {
        let database = try await workspace()
        for (title, ice) in [("low", "2,2,2"), ("high", "9,8,9"), ("mid", "5,5,5")] {
            _ = try await database.logAction(NewAction(title: title, layer: .conversion, metric: "orders", kind: .other, hypothesis: "h",
                                                       ice: try ICEScore(parsing: ice)), actor: "a")
        }
        #expect(try await database.actions(status: .proposed).map(\.title) == ["high", "mid", "low"])
        #expect(throws: LinkStarError.self) { try ICEScore(parsing: "11,2,3") }
    }
}
