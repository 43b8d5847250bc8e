import Foundation
import GRDB
import LinkStarCore
import Testing
@testable import LinkStarStore

/// A deliberately mixed workspace, the way real exports arrive (numbers worked by hand in the comments):
///
/// - shopify/US/all reports sessions, add_to_cart, checkouts, orders; its orders cell on Nov 2 is `-` (missing).
///   Oct 26–31 each day: 1000 / 100 / 60 / 45. Nov 1–6 each day: 1000 / 100 / 60 / 30 (the planted drop).
/// - amazon/US/all reports sessions and orders only (no cart, no checkout): 2000 / 60 every day of both windows.
/// - shopee/MY/all starts mid-window (Nov 4–6) with sessions, add_to_cart, orders, no checkouts: 500 / 80 / 20.
@Suite("Like-for-like numbers on a mixed workspace")
struct LikeForLikeTests {
    static let current = "2026-11-01..2026-11-06"

    static func mixed(clock: TestClock = TestClock()) async throws -> WorkspaceDatabase {
        let database = try await Fixture.workspace(clock: clock)
        var shopify = ["date,channel,market,device,sessions,add_to_cart,checkouts,orders"]
        for day in 26...31 { shopify.append("2026-10-\(day),shopify,US,all,1000,100,60,45") }
        for day in 1...6 { shopify.append("\(nov(day)),shopify,US,all,1000,100,60,\(day == 2 ? "-" : "30")") }
        _ = try Fixture.importText(database, shopify.joined(separator: "\n") + "\n", name: "shopify.csv", format: "wide")
        var amazon = ["date,channel,market,device,sessions,orders"]
        for day in 26...31 { amazon.append("2026-10-\(day),amazon,US,all,2000,60") }
        for day in 1...6 { amazon.append("\(nov(day)),amazon,US,all,2000,60") }
        _ = try Fixture.importText(database, amazon.joined(separator: "\n") + "\n", name: "amazon.csv", format: "wide")
        var shopee = ["date,channel,market,device,sessions,add_to_cart,orders"]
        for day in 4...6 { shopee.append("\(nov(day)),shopee,MY,all,500,80,20") }
        _ = try Fixture.importText(database, shopee.joined(separator: "\n") + "\n", name: "shopee.csv", format: "wide")
        return database
    }

    @Test("every step's rate, coverage and change are the hand-computed ones; the bottleneck is the planted one")
    func funnel() async throws {
        let database = try await Self.mixed()
        let report = try await database.funnel(period: try DayRange(parsing: Self.current), compare: .previous)
        // Stage volumes as observed.
        #expect(report.stages.map(\.metric) == ["sessions", "add_to_cart", "checkouts", "orders"])
        #expect(report.stages.map(\.volume) == [19_500, 840, 360, 570])
        #expect(report.stages.map(\.compareVolume) == [18_000, 600, 360, 630])
        func step(_ from: String) throws -> FunnelStep { try #require(report.steps.first { $0.fromMetric == from }) }

        // sessions → add_to_cart: shopify 6 days (6000 → 600) and shopee 3 days (1500 → 240); amazon left out.
        let visit = try step("sessions")
        #expect(visit.fromVolume == 7_500 && visit.toVolume == 840)
        #expect(visit.rate == 840.0 / 7_500)
        #expect(visit.coverage == 7_500.0 / 19_500)
        #expect(visit.partial)
        #expect(visit.leftOut.map(\.description) == ["amazon/US/all"])
        #expect(visit.comparableRate == 0.1 && visit.compareRate == 0.1 && visit.change == 0)   // shopify only: in both windows

        // add_to_cart → checkouts: shopify only (600 → 360); shopee's 240 carts have no checkouts.
        let cart = try step("add_to_cart")
        #expect(cart.rate == 0.6)
        #expect(cart.coverage == 600.0 / 840)
        #expect(cart.partial)
        #expect(cart.leftOut.map(\.description) == ["shopee/MY/all"])

        // checkouts → orders: shopify without Nov 2 (300 → 150): 50%, coverage 300/360; before 270/360 = 75%.
        // Summing every orders cell would say 570 / 360 = 158%.
        let pay = try step("checkouts")
        #expect(pay.fromVolume == 300 && pay.toVolume == 150)
        #expect(pay.rate == 0.5)
        #expect(pay.coverage == 300.0 / 360)
        #expect(!pay.partial)
        #expect(pay.compareRate == 0.75)
        #expect(pay.change == -0.25)
        #expect(abs(pay.relativeChange! - (-1.0 / 3)) < 1e-15)

        let bottleneck = try #require(report.bottleneck)
        #expect(bottleneck.fromMetric == "checkouts" && bottleneck.toMetric == "orders")
        #expect(report.newSegments.map(\.description) == ["shopee/MY/all"])
        #expect(report.goneSegments.isEmpty)
        #expect(report.coverageThreshold == 0.8)
    }

    @Test("a step below the coverage threshold is never the bottleneck")
    func partialNeverBottleneck() async throws {
        let database = try await Self.mixed()
        // Above checkouts → orders' coverage (83%), the planted step is partial too: no step qualifies.
        _ = try await database.setConfig(.coverageThreshold, value: "90%", actor: "a")
        let strict = try await database.funnel(period: try DayRange(parsing: Self.current), compare: .previous)
        #expect(strict.steps.allSatisfy { $0.partial })
        #expect(strict.bottleneck == nil)
    }

    @Test("KPI values are like for like with their coverage")
    func kpis() async throws {
        let database = try await Self.mixed()
        _ = try await database.setKPI(KPISpec(metric: "conversion_rate", target: 0.03), actor: "a")
        _ = try await database.setKPI(KPISpec(metric: "checkout_to_order_rate", target: 0.7), actor: "a")
        let statuses = try await database.kpiStatus(period: try DayRange(parsing: Self.current))
        // orders / sessions on cells with both: shopify 5 days (5000, 150), amazon 6 (12000, 360), shopee 3 (1500, 60).
        let conversion = try #require(statuses.first { $0.metric == "conversion_rate" })
        #expect(conversion.current == 570.0 / 18_500)
        #expect(conversion.coverage == 18_500.0 / 19_500)
        #expect(!conversion.partial)
        let checkout = try #require(statuses.first { $0.metric == "checkout_to_order_rate" })
        #expect(checkout.current == 0.5)
        #expect(checkout.coverage == 300.0 / 360)
    }

    @Test("a stage above the stage before it on one cell is a definition problem: data check reports it, the funnel shows no rate")
    func stageAboveParent() async throws {
        let database = try await Fixture.workspace()
        // Page views mapped to product_views by a custom export: 3 per session.
        _ = try Fixture.importText(database, "date,channel,market,device,sessions,product_views\n2026-11-01,lazada,MY,all,1000,3000\n",
                                   format: "wide")
        let report = try await database.funnel(period: try DayRange(parsing: "2026-11-01"), compare: .previous)
        let step = try #require(report.steps.first)
        #expect(step.rate == nil)
        #expect(step.problem?.description.contains("product_views exceeds sessions") == true)
        let check = try await database.dataCheck(today: try Day(parsing: "2026-11-02"))
        #expect(check.impossible.contains { $0.rule.description == "product_views > sessions" })
        #expect(!check.clean)
    }

    @Test("a 90-day comparison across a rate change converts each day at its own rate")
    func datedRates() async throws {
        let database = try await Fixture.workspace()
        // 100 MYR and 10 USD of revenue every day from Jun 2 to Nov 28 (two 90-day windows).
        var rows: [(String, String, String, Double, String)] = []
        var day = try Day(parsing: "2026-06-02")
        while day <= (try Day(parsing: "2026-11-28")) {
            rows.append((day.description, "shopee/MY/all", "revenue", 100, "MYR"))
            rows.append((day.description, "amazon/US/all", "revenue", 10, "USD"))
            day = day.adding(days: 1)
        }
        _ = try Fixture.importText(database, longCSV(rows))
        _ = try await database.setReportingCurrency("USD", actor: "a")
        _ = try await database.setFXRate(currency: "MYR", rate: 0.20, from: try Day(parsing: "2026-06-01"), actor: "a")
        _ = try await database.setFXRate(currency: "MYR", rate: 0.25, from: try Day(parsing: "2026-10-15"), actor: "a")
        // Aug 31 – Nov 28 (90 days): Aug 31 – Oct 14 at 0.20 (45 days), Oct 15 – Nov 28 at 0.25 (45 days):
        // 45 × (20 + 10) + 45 × (25 + 10) = 2,925 USD; at today's rate alone it would be 90 × 35 = 3,150.
        let report = try await database.funnel(period: try DayRange(parsing: "2026-08-31..2026-11-28"), compare: .previous)
        let total = try #require(report.revenueTotal)
        #expect(total.currency == "USD")
        #expect(abs(total.revenue - 2_925) < 1e-9)
        // Jun 2 – Aug 30 (90 days), all at 0.20: 90 × 30 = 2,700 USD.
        #expect(report.compareFrom?.description == "2026-06-02")
        #expect(abs(total.compareRevenue! - 2_700) < 1e-9)

        // A KPI in USD converts each day too: the daily average over the 90 days.
        _ = try await database.setKPI(KPISpec(metric: "revenue", target: 40, currency: "USD"), actor: "a")
        let status = try #require(try await database.kpiStatus(period: try DayRange(parsing: "2026-08-31..2026-11-28")).first)
        #expect(abs(status.current! - 2_925.0 / 90) < 1e-9)
        #expect(status.currency == "USD")

        // Days without a rate in force: the total is withheld and the note names them.
        let other = try await Fixture.workspace()
        _ = try Fixture.importText(other, longCSV((1...4).flatMap { d in
            [(nov(d), "shopee/MY/all", "revenue", 100, "MYR"), (nov(d), "amazon/US/all", "revenue", 10, "USD")]
        }))
        _ = try await other.setReportingCurrency("USD", actor: "a")
        _ = try await other.setFXRate(currency: "MYR", rate: 0.25, from: try Day(parsing: nov(3)), actor: "a")
        let gap = try await other.funnel(period: try DayRange(parsing: "\(nov(1))..\(nov(4))"), compare: .baseline)
        #expect(gap.revenueTotal == nil)
        #expect(gap.notes.contains { $0.description.contains("2 days lack an exchange rate (2026-11-01..2026-11-02)") })
    }

    @Test("before/after compares the segments observed in both windows: a source that starts mid-way is left out, not a drop")
    func evaluation() async throws {
        let database = try await Fixture.workspace()
        // shopify/US/all: 1000 sessions a day; 30 orders a day Oct 18–31, 40 a day Nov 1–14 except Nov 5 (`-`).
        // amazon/US/all starts on Nov 1: 5000 sessions and 50 orders a day (1%).
        var rows = ["date,channel,market,device,sessions,orders"]
        for day in 18...31 { rows.append("2026-10-\(day),shopify,US,all,1000,30") }
        for day in 1...14 {
            rows.append("\(nov(day)),shopify,US,all,1000,\(day == 5 ? "-" : "40")")
            rows.append("\(nov(day)),amazon,US,all,5000,50")
        }
        _ = try Fixture.importText(database, rows.joined(separator: "\n") + "\n", format: "wide")
        let backfill = GateOverride(reason: "test")
        let id = try await database.logAction(NewAction(
            title: "Trust badges", layer: .conversion, metric: "conversion_rate", segment: try Segment(parsing: "*/US/*"), kind: .page,
            hypothesis: "Badges reassure buyers"), override: backfill, actor: "a").action.id
        _ = try await database.startAction(id: id, on: try Day(parsing: nov(1)), override: backfill, actor: "a")
        _ = try await database.stopAction(id: id, on: try Day(parsing: nov(14)), actor: "a")
        let evaluation = try await database.evaluateAction(id: id, actor: "a")
        // Like for like: shopify only; after 520 / 13,000 = 4% (Nov 5 has no orders cell), before 420 / 14,000 = 3%.
        // Pooling amazon's new traffic would have said 1,220 / 83,000 = 1.47% after: a drop that did not happen.
        #expect(evaluation.before?.numerator == 420 && evaluation.before?.denominator == 14_000)
        #expect(evaluation.after?.numerator == 520 && evaluation.after?.denominator == 13_000)
        #expect(abs(evaluation.estimate - 0.01) < 1e-12)
        #expect(evaluation.verdict == .won)
        #expect(evaluation.warnings.contains { $0.description.contains("amazon/US/all reported in only one window") })
    }

    @Test("on the demo (a source without checkouts), every step equals the independent SQL of Benchmarks/funnel.sql")
    func demoAgainstSQL() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = TestClock("2026-11-25T08:00:00Z")
        let database = try await Fixture.demo(in: folder, clock: clock)
        let period = try PeriodSpec.parse("last-7d", today: Day(clock.now))
        let report = try await database.funnel(period: period, compare: .previous)
        // The benchmark's SQL, pointed at this window and every channel.
        let sql = try Self.referenceSQL(period: period)
        let rows = try await database.writer.read { db in try Row.fetchAll(db, sql: sql) }
        #expect(rows.count == report.steps.count)
        for row in rows {
            let from: String = row["from_metric"], to: String = row["to_metric"]
            let step = try #require(report.steps.first { $0.fromMetric == from && $0.toMetric == to })
            let pairs: [(Double?, Double?)] = [(step.rate, row["rate"]), (step.coverage, row["coverage"]),
                                               (step.comparableRate, row["comparable_rate"]), (step.compareRate, row["compare_rate"])]
            for (mine, theirs) in pairs {
                #expect(abs((mine ?? .nan) - (theirs ?? .nan)) < 1e-12, "\(step.fromMetric) → \(step.toMetric)")
            }
        }
        #expect(report.steps.contains { $0.partial })
    }

    /// The benchmark's independent like-for-like SQL, pointed at a window (and every channel).
    static func referenceSQL(period: DayRange) throws -> String {
        var sql = try String(contentsOf: Fixture.repositoryRoot.appendingPathComponent("Benchmarks/funnel.sql"), encoding: .utf8)
        sql = sql.split(separator: "\n").filter { !$0.hasPrefix(".") }.joined(separator: "\n")
            .replacingOccurrences(of: "@compare_from", with: String(period.from.ordinal - period.dayCount))
            .replacingOccurrences(of: "@from", with: String(period.from.ordinal))
            .replacingOccurrences(of: "@to", with: String(period.to.ordinal))
            .replacingOccurrences(of: "@channel", with: "NULL")
        return sql
    }

    @Test("random mixed workspaces (missing stages, holes, mid-window starts): every step equals the independent SQL", arguments: 1...12)
    func randomWorkspaces(seed: Int) async throws {
        var random = SeededGenerator(seed: UInt64(seed) &* 7919)
        let database = try await Fixture.workspace()
        let chain = ["sessions", "product_views", "add_to_cart", "checkouts", "orders"]
        var rows: [(String, String, String, Double, String)] = []
        let first = try Day(parsing: "2026-10-01")
        for index in 0..<Int.random(in: 2...5, using: &random) {
            let segment = ["shopee", "lazada", "amazon", "tiktok", "shopify"][index] + "/MY/all"
            // Each source reports sessions and orders, and a random subset of the stages between; the first reports all
            // of them, so no stage is missing from the whole cut (the reference SQL does not bridge missing stages).
            let stages = chain.filter { $0 == "sessions" || $0 == "orders" || index == 0 || Bool.random(using: &random) }
            let start = Int.random(in: 0...20, using: &random)        // some start mid-window
            for offset in start..<28 {
                let day = first.adding(days: offset).description
                var volume = Double(Int.random(in: 200...2000, using: &random))
                for stage in stages {
                    // A hole: one stage missing on some days (never the whole cell).
                    if stage != "sessions" && Int.random(in: 0..<12, using: &random) == 0 { continue }
                    rows.append((day, segment, stage, volume, ""))
                    volume = (volume * Double.random(in: 0.3...0.95, using: &random)).rounded(.down)
                }
            }
        }
        _ = try Fixture.importText(database, longCSV(rows))
        let period = try DayRange(parsing: "2026-10-15..2026-10-28")
        let report = try await database.funnel(period: period, compare: .previous)
        let reference = try await database.writer.read { db in try Row.fetchAll(db, sql: try Self.referenceSQL(period: period)) }
        #expect(reference.count == report.steps.count)
        for row in reference {
            let from: String = row["from_metric"], to: String = row["to_metric"]
            let step = try #require(report.steps.first { $0.fromMetric == from && $0.toMetric == to }, "\(from) → \(to)")
            let pairs: [(Double?, Double?)] = [(step.rate, row["rate"]), (step.coverage, row["coverage"]),
                                               (step.comparableRate, row["comparable_rate"]), (step.compareRate, row["compare_rate"])]
            for (mine, theirs) in pairs {
                switch (mine, theirs) {
                case (nil, nil): break
                case let (m?, t?): #expect(abs(m - t) < 1e-12, "seed \(seed): \(from) → \(to)")
                default: Issue.record("seed \(seed): \(from) → \(to): \(String(describing: mine)) vs \(String(describing: theirs))")
                }
            }
        }
    }
}

@Suite("KPI daily series on the mixed workspace")
struct KPISeriesTests {
    @Test("each day's value by the like-for-like rule, a gap (nil, never 0) where no cell reported every part")
    func dailySeries() async throws {
        let database = try await LikeForLikeTests.mixed()
        // conversion_rate = orders / sessions over the whole workspace.
        let kpi = try await database.setKPI(KPISpec(metric: "conversion_rate", target: 0.03), actor: "setup").kpi.id
        let series = try await database.kpiSeries(id: kpi, range: try DayRange(parsing: "2026-10-30..2026-11-07"))
        #expect(series.points.map(\.day.description) == ["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02", "2026-11-03",
                                                         "2026-11-04", "2026-11-05", "2026-11-06", "2026-11-07"])
        // Oct: shopify 45/1000 and amazon 60/2000 → 105/3000. Nov 1, 3: 30 + 60 over 3000 → 0.03.
        // Nov 2: shopify's orders are missing, so only amazon's cell matches: 60/2000.
        // Nov 4-6: shopee joins with 20/500 → 110/3500. Nov 7: nothing reported → a gap.
        let expected: [Double?] = [105.0 / 3000, 105.0 / 3000, 90.0 / 3000, 60.0 / 2000, 90.0 / 3000,
                                   110.0 / 3500, 110.0 / 3500, 110.0 / 3500, nil]
        #expect(series.points.map(\.value) == expected)
        #expect(series.target == 0.03 && series.unit == .ratio && series.upperBound == 1)

        // A daily-average count: sessions in shopee/MY/all exists only Nov 4-6.
        let sessions = try await database.setKPI(KPISpec(metric: "sessions", segment: try Segment(parsing: "shopee/MY/all"), target: 600),
                                                 actor: "setup").kpi.id
        let shopee = try await database.kpiSeries(id: sessions, range: try DayRange(parsing: "2026-11-03..2026-11-06"))
        #expect(shopee.points.map(\.value) == [nil, 500, 500, 500])

        // The overview carries every KPI's series, its status and the funnel in one answer.
        let overview = try await database.overview(period: try DayRange(parsing: LikeForLikeTests.current), today: try Day(parsing: "2026-11-07"))
        #expect(overview.kpis.map(\.id).sorted() == [kpi, sessions].sorted())
        #expect(overview.series.count == 2 && overview.series.allSatisfy { $0.points.count == WorkspaceDatabase.overviewSeriesDays })
        #expect(overview.funnel.bottleneck?.fromMetric == "checkouts")
        await #expect(throws: LinkStarError.self) { try await database.kpiSeries(id: 999, range: try DayRange(parsing: "2026-11-01..2026-11-02")) }
    }
}
