import Foundation
import LinkStarCore
import Testing
@testable import LinkStarStore

/// Builds a long CSV from (day, segment, metric, value[, currency]) tuples.
func longCSV(_ rows: [(String, String, String, Double, String)]) -> String {
    var lines = ["date,channel,market,device,metric,value,currency"]
    for (day, segment, metric, value, currency) in rows {
        let parts = segment.split(separator: "/")
        lines.append("\(day),\(parts[0]),\(parts[1]),\(parts[2]),\(metric),\(value),\(currency)")
    }
    return lines.joined(separator: "\n") + "\n"
}

/// Days of November 2026.
func nov(_ d: Int) -> String { String(format: "2026-11-%02d", d) }

@Suite("Funnel")
struct FunnelTests {
    /// Two weeks of a two-segment shop; in week 2 checkout → order drops on MY mobile only.
    func shop() async throws -> WorkspaceDatabase {
        let database = try await Fixture.workspace()
        _ = try await database.addPerson(NewPerson(handle: "chen.jie", displayName: "Chen Jie", role: .editor), actor: "a")
        _ = try await database.assignLayer(.conversion, owner: "chen.jie", backup: nil, actor: "a")
        var rows: [(String, String, String, Double, String)] = []
        for d in 1...14 {
            for segment in ["shopee/MY/mobile", "shopee/SG/desktop"] {
                let drop = segment == "shopee/MY/mobile" && d > 7
                rows += [
                    (nov(d), segment, "sessions", 1000, ""), (nov(d), segment, "add_to_cart", 100, ""),
                    (nov(d), segment, "checkouts", 50, ""), (nov(d), segment, "orders", drop ? 20 : 40, ""),
                    (nov(d), segment, "revenue", drop ? 2000 : 4000, segment.contains("MY") ? "MYR" : "SGD"),
                ]
            }
        }
        _ = try Fixture.importText(database, longCSV(rows))
        return database
    }

    @Test("rates come from summed counts; the bottleneck is the step that worsened most, with its owner and segments")
    func bottleneck() async throws {
        let database = try await shop()
        let period = try DayRange(parsing: "\(nov(8))..\(nov(14))")
        let report = try await database.funnel(period: period, compare: .previous)
        #expect(report.compareFrom?.description == nov(1))
        #expect(report.stages.map(\.metric) == ["sessions", "add_to_cart", "checkouts", "orders"])
        #expect(report.notes.contains { $0.description.contains("impressions") })
        let step = try #require(report.steps.first { $0.toMetric == "orders" })
        #expect(step.fromMetric == "checkouts")
        #expect(step.rateMetric == "checkout_to_order_rate")
        #expect(step.rate == 420.0 / 700.0)        // (140 + 280) / (350 + 350)
        #expect(step.compareRate == 560.0 / 700.0)
        #expect(abs(step.relativeChange! - (-0.25)) < 1e-12)
        let bottleneck = try #require(report.bottleneck)
        #expect(bottleneck.toMetric == "orders")
        #expect(bottleneck.layer == .conversion)
        #expect(bottleneck.owner == "chen.jie")
        #expect(bottleneck.significant)
        #expect(bottleneck.segments.first?.segment.description == "shopee/MY/mobile")
        #expect(bottleneck.segments.first?.rate == 0.4)
        // Revenue stays per currency.
        #expect(report.revenue.map(\.currency) == ["MYR", "SGD"])
        #expect(report.revenue.allSatisfy { $0.aov == nil })
    }

    @Test("cuts by market and device; yoy and baseline comparisons")
    func cuts() async throws {
        let database = try await shop()
        let period = try DayRange(parsing: "\(nov(8))..\(nov(14))")
        let sg = try await database.funnel(period: period, segment: try Segment(parsing: "*/SG/*"), compare: .previous)
        #expect(sg.bottleneck == nil)
        #expect(sg.steps.first { $0.toMetric == "orders" }?.change == 0)
        #expect(sg.revenue.first?.aov == 100)
        let yoy = try await database.funnel(period: period, compare: .yoy)
        #expect(yoy.compareFrom?.description == "2025-11-09")
        #expect(yoy.steps.allSatisfy { $0.compareRate == nil })
        _ = try await database.setKPI(KPISpec(metric: "checkout_to_order_rate", baseline: Baseline(value: 0.8, period: try DayRange(parsing: "2026-10")),
                                              target: 0.82), actor: "a")
        let baseline = try await database.funnel(period: period, compare: .baseline)
        #expect(baseline.steps.first { $0.toMetric == "orders" }?.compareRate == 0.8)
        #expect(baseline.bottleneck?.toMetric == "orders")
    }

    @Test("the z-test matches scipy's reference values")
    func proportionTest() throws {
        struct Vector: Decodable { var k1, n1, k2, n2: Double; var p_value: Double }
        let data = try Data(contentsOf: Fixture.fixtures.appendingPathComponent("reference/proportion_ztest.json"))
        let vectors = try JSONDecoder().decode([Vector].self, from: data)
        #expect(vectors.count >= 5)
        for v in vectors {
            let p = try #require(ProportionTest.pValue(k1: v.k1, n1: v.n1, k2: v.k2, n2: v.n2))
            #expect(abs(p - v.p_value) <= max(1e-6 * v.p_value, 1e-12), "\(v)")
        }
    }

    @Test("the demo's planted bottleneck is the one the funnel reports")
    func demoBottleneck() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = TestClock("2026-11-25T08:00:00Z")
        let location = WorkspaceLocation.inDirectory(folder.path)
        let report = try await DemoWorkspace.build(location, clock: clock.function)
        // 18 metrics on the 6 shopee segments, 17 on the 6 lazada ones (lazada reports no checkouts).
        #expect(report.importSummary.inserted == 180 * (6 * 18 + 6 * 17))
        let database = try Workspace.open(location, clock: clock.function)
        let funnel = try await database.funnel(period: try PeriodSpec.parse("last-7d", today: Day(clock.now)), compare: .previous)
        let bottleneck = try #require(funnel.bottleneck)
        #expect(bottleneck.fromMetric == "checkouts")
        #expect(bottleneck.toMetric == "orders")
        #expect(bottleneck.owner == "chen.jie")
        // The worst segment is the planted one (lazada has no checkouts, so only shopee's MY mobile can show it).
        #expect(bottleneck.segments.first?.segment.description == "shopee/\(DemoData.plantedMarket)/\(DemoData.plantedDevice)")
        // The source without checkouts makes add_to_cart → checkouts partial, never the bottleneck.
        let cart = try #require(funnel.steps.first { $0.fromMetric == "add_to_cart" })
        #expect(cart.partial)
        #expect(cart.leftOut.allSatisfy { $0.channel == "lazada" })
        // The feedback layer's KPIs have values, so its owner's scorecard is not empty.
        let card = try await database.scorecard(period: try PeriodSpec.parse("last-7d", today: Day(clock.now)), owner: "lin.wei")
        let loop = card.owners.first?.kpis.filter { $0.layer == .feedback } ?? []
        #expect(loop.count == 4)
        #expect(loop.allSatisfy { $0.current != nil })
    }
}

@Suite("KPI status and scorecard")
struct KPIStatusTests {
    @Test("a ratio KPI is the ratio of summed counts, not the mean of daily rates")
    func ratioOfSums() async throws {
        let database = try await Fixture.workspace()
        // Day 1: 10/100 = 10%; day 2: 10/1000 = 1%. Mean of rates 5.5%, ratio of sums 20/1100 = 1.82%.
        _ = try Fixture.importText(database, longCSV([
            (nov(1), "amazon/US/all", "sessions", 100, ""), (nov(1), "amazon/US/all", "orders", 10, ""),
            (nov(2), "amazon/US/all", "sessions", 1000, ""), (nov(2), "amazon/US/all", "orders", 10, ""),
        ]))
        _ = try await database.setKPI(KPISpec(metric: "conversion_rate", baseline: Baseline(value: 0.02, period: try DayRange(parsing: "2026-10")),
                                              target: 0.025, warningBand: .absolute(0.005)), actor: "a")
        let status = try #require(try await database.kpiStatus(period: try DayRange(parsing: "\(nov(1))..\(nov(2))")).first)
        #expect(status.current == 20.0 / 1100.0)
        #expect(status.status == .offTrack)     // 1.82% is 0.68pp short of 2.5%, beyond the 0.5pp band
        #expect(abs(status.delta! - (20.0 / 1100.0 - 0.025)) < 1e-12)
        #expect(status.daysWithData == 2)
    }

    @Test("counts are daily averages; no data and no baseline are flagged")
    func countsAndFlags() async throws {
        let database = try await Fixture.workspace()
        _ = try Fixture.importText(database, longCSV([(nov(1), "amazon/US/all", "sessions", 900, ""), (nov(2), "amazon/US/all", "sessions", 1100, "")]))
        _ = try await database.setKPI(KPISpec(metric: "sessions", baseline: Baseline(value: 950, period: try DayRange(parsing: "2026-10")),
                                              target: 1000), actor: "a")
        _ = try await database.setKPI(KPISpec(metric: "ctr", baseline: Baseline(value: 0.02, period: try DayRange(parsing: "2026-10")),
                                              target: 0.03), actor: "a")
        _ = try await database.setKPI(KPISpec(metric: "orders", target: 10), actor: "a")
        let statuses = try await database.kpiStatus(period: try DayRange(parsing: "\(nov(1))..\(nov(7))"))
        let sessions = try #require(statuses.first { $0.metric == "sessions" })
        #expect(sessions.current == 1000)
        #expect(sessions.status == .onTrack)
        #expect(sessions.note?.description.contains("2 of 7 days") == true)
        #expect(statuses.first { $0.metric == "ctr" }?.status == .noData)
        #expect(statuses.first { $0.metric == "orders" }?.status == .noBaseline)
    }

    @Test("targets differ per market; amounts in two currencies are not added unless converted")
    func currencies() async throws {
        let database = try await Fixture.workspace()
        _ = try Fixture.importText(database, longCSV([
            (nov(1), "shopee/MY/all", "revenue", 1000, "MYR"), (nov(1), "shopee/MY/all", "orders", 10, ""),
            (nov(1), "shopee/SG/all", "revenue", 450, "SGD"), (nov(1), "shopee/SG/all", "orders", 10, ""),
        ]))
        let baseline = Baseline(value: 80, period: try DayRange(parsing: "2026-10"))
        _ = try await database.setKPI(KPISpec(metric: "aov", segment: try Segment(parsing: "*/MY/*"), baseline: baseline, target: 90), actor: "a")
        _ = try await database.setKPI(KPISpec(metric: "aov", segment: try Segment(parsing: "*/SG/*"), baseline: Baseline(value: 40, period: baseline.period), target: 44), actor: "a")
        _ = try await database.setKPI(KPISpec(metric: "aov", baseline: Baseline(value: 20, period: baseline.period), target: 22, currency: "USD"), actor: "a")
        let day = try DayRange(parsing: nov(1))
        var statuses = try await database.kpiStatus(period: day)
        #expect(statuses.first { $0.segment.market == "MY" }?.current == 100)
        #expect(statuses.first { $0.segment.market == "MY" }?.currency == "MYR")
        #expect(statuses.first { $0.segment.market == "SG" }?.current == 45)
        let mixed = try #require(statuses.first { $0.segment == .all })
        #expect(mixed.current == nil)
        #expect(mixed.status == .noData)
        #expect(mixed.note?.description.contains("MYR, SGD") == true)

        _ = try await database.setReportingCurrency("USD", actor: "a")
        _ = try await database.setFXRate(currency: "MYR", rate: 0.22, actor: "a")
        statuses = try await database.kpiStatus(period: day)
        #expect(statuses.first { $0.segment == .all }?.current == nil)       // SGD has no rate yet
        _ = try await database.setFXRate(currency: "SGD", rate: 0.75, actor: "a")
        statuses = try await database.kpiStatus(period: day)
        let converted = try #require(statuses.first { $0.segment == .all })
        #expect(abs(converted.current! - (1000 * 0.22 + 450 * 0.75) / 20) < 1e-9)
        #expect(converted.currency == "USD")
    }

    @Test("the scorecard groups KPIs by owner, counts statuses, and lists what is unowned")
    func scorecard() async throws {
        let database = try await Fixture.workspace()
        _ = try await database.addPerson(NewPerson(handle: "chen.jie", displayName: "Chen Jie", role: .editor), actor: "a")
        _ = try await database.addPerson(NewPerson(handle: "li.na", displayName: "Li Na", role: .editor), actor: "a")
        _ = try await database.assignLayer(.conversion, owner: "chen.jie", backup: "li.na", actor: "a")
        _ = try await database.setKPI(KPISpec(metric: "conversion_rate", target: 0.02), actor: "a")
        _ = try await database.setKPI(KPISpec(metric: "ctr", target: 0.02), actor: "a")
        let card = try await database.scorecard(period: try DayRange(parsing: "2026-11"))
        let chen = try #require(card.owners.first { $0.owner == "chen.jie" })
        #expect(chen.layers == [.conversion])
        #expect(chen.kpis.map(\.metric) == ["conversion_rate"])
        #expect(chen.counts.noBaseline == 1)
        #expect(card.owners.first { $0.owner == "li.na" }?.backupFor == [.conversion])
        #expect(card.unowned.layers == [.traffic, .landing, .retention, .feedback])
        #expect(card.unowned.kpis.map(\.metric) == ["ctr"])
    }
}

@Suite("Data check")
struct DataCheckTests {
    @Test("stale series, missing days and impossible values are found; a clean workspace is clean")
    func findings() async throws {
        let database = try await Fixture.workspace()
        let today = try Day(parsing: nov(20))
        _ = try Fixture.importText(database, longCSV(
            (1...19).map { (nov($0), "amazon/US/all", "sessions", 100, "") }
            + (1...19).map { (nov($0), "amazon/US/all", "orders", $0 == 5 ? 120 : 3, "") }))
        var report = try await database.dataCheck(today: today)
        #expect(report.clean == false)
        #expect(report.stale.isEmpty)
        #expect(report.gaps.isEmpty)
        #expect(report.impossibleCount == 1)
        #expect(report.impossible.first?.rule.description == "orders > sessions")
        #expect(report.impossible.first?.day.description == nov(5))

        _ = try Fixture.importText(database, longCSV([1, 2, 3, 6, 7, 10].map { (nov($0), "shopee/MY/mobile", "clicks", 10, "") }))
        report = try await database.dataCheck(today: today)
        let gap = try #require(report.gaps.first { $0.metric == "clicks" })
        #expect(gap.missingDays == 4)
        #expect(gap.ranges.map(\.description) == ["\(nov(4))..\(nov(5))", "\(nov(8))..\(nov(9))"])
        let stale = try #require(report.stale.first { $0.metric == "clicks" })
        #expect(stale.daysBehind == 10)
        #expect(try await database.dataCheck(today: today, staleAfterDays: 30).stale.isEmpty)
    }

    @Test("an empty workspace is clean")
    func empty() async throws {
        let report = try await Fixture.workspace().dataCheck(today: try Day(parsing: nov(20)))
        #expect(report.clean)
        #expect(report.series == 0)
    }
}

@Suite("Demo actions")
struct DemoActionTests {
    @Test("the demo has actions across the lifecycle: a won A/B test, a control-segment evaluation, a decayed follow-up, a Prime-Day-confounded evaluation")
    func lifecycle() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = TestClock("2026-11-25T08:00:00Z")
        let database = try await Fixture.demo(in: folder, clock: clock)
        let actions = try await database.actions()
        #expect(Set(actions.map(\.status)) == [.proposed, .running, .evaluated, .replicated, .archived])
        var details: [ActionDetail] = []
        for action in actions { details.append(try await database.action(id: action.id)) }
        let ab = try #require(details.first { $0.action.kind == .abTest && $0.action.status == .replicated })
        #expect(ab.evaluations.first?.method == "ab-test")
        #expect(ab.action.verdict == .won)
        #expect(ab.replications.count == 1)
        let did = try #require(details.first { $0.action.controlSegment != nil })
        #expect(did.evaluations.first?.method == "diff-in-diff-proportion")
        let decayed = try #require(details.first { $0.followups.contains { $0.decayed == true } })
        #expect(decayed.action.verdict == .won)
        #expect(decayed.followups.first { $0.offsetDays == 7 }?.decayed == false)
        #expect(decayed.evaluations.first?.confoundedBy.isEmpty == true)
        let confounded = try #require(details.first { $0.evaluations.first?.confoundedBy.contains { $0.description.hasPrefix("Prime Day") } == true })
        #expect(confounded.evaluations.first?.warnings.contains { $0.description.hasPrefix("confounded_by") } == true)
    }
}
