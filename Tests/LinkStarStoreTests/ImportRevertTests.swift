import Foundation
import GRDB
import LinkStarCore
import Testing
@testable import LinkStarStore

@Suite("Import revert")
struct ImportRevertTests {
    static func observations(_ database: WorkspaceDatabase) async throws -> [String] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM observation ORDER BY day, segment_id, metric_id").map { "\($0)" }
        }
    }

    static func funnelBytes(_ database: WorkspaceDatabase) async throws -> Data {
        try LinkStarJSON.encoder(pretty: false).encode(try await database.funnel(period: try DayRange(parsing: "2026-11-04..2026-11-07"),
                                                                                 compare: .previous))
    }

    static func file(days: ClosedRange<Int>, sessions: (Int) -> Int, orders: (Int) -> Int) -> String {
        var lines = ["date,sessions,orders,revenue"]
        for day in days { lines.append("\(nov(day)),\(sessions(day)),\(orders(day)),\(orders(day) * 40)") }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("reverting an import into the wrong market leaves the observation rows and the funnel exactly as before it")
    func wrongMarket() async throws {
        let database = try await Fixture.workspace()
        let market = { (code: String) in ImportOverrides(channel: "shopee", market: code, device: "all", currency: "MYR") }
        _ = try Fixture.importText(database, Self.file(days: 1...5, sessions: { 1000 + $0 }, orders: { 30 + $0 }), name: "my.csv",
                                   format: "wide", overrides: market("MY"))
        let rowsBefore = try await Self.observations(database)
        let funnelBefore = try await Self.funnelBytes(database)

        // The SG export imported as MY: days 3–5 overlap (day 3 with the same numbers, 4–5 different), days 6–7 are new.
        let wrong = try Fixture.importText(database, Self.file(days: 3...7, sessions: { $0 == 3 ? 1003 : 500 + $0 }, orders: { $0 == 3 ? 33 : 10 + $0 }),
                                           name: "sg.csv", format: "wide", overrides: market("MY"))
        #expect(wrong.inserted == 6 && wrong.updated == 6 && wrong.unchanged == 3)
        #expect(try await Self.observations(database) != rowsBefore)
        let importId = try #require(try await database.imports().first?.id)
        let report = try await database.revertImport(id: importId, force: false, actor: "lin.wei")
        #expect(report.removed == 6 && report.restored == 9 && report.changedLater == 0)
        #expect(try await Self.observations(database) == rowsBefore)
        #expect(try await Self.funnelBytes(database) == funnelBefore)
        #expect(try await database.imports().first?.revertedBy == "lin.wei")
        await #expect(throws: LinkStarError.self) { try await database.revertImport(id: importId, force: false, actor: "lin.wei") }

        // The right import of the same file now goes in (a reverted import does not count as "already imported").
        let right = try Fixture.importText(database, Self.file(days: 3...7, sessions: { $0 == 3 ? 1003 : 500 + $0 }, orders: { $0 == 3 ? 33 : 10 + $0 }),
                                           name: "sg.csv", format: "wide", overrides: market("SG"))
        #expect(right.inserted == 15)
    }

    @Test("a later import of the same cells blocks the revert; forced, the later values stay, and reverting the later one restores the original")
    func laterImport() async throws {
        let database = try await Fixture.workspace()
        let my = ImportOverrides(channel: "shopee", market: "MY", device: "all", currency: "MYR")
        _ = try Fixture.importText(database, Self.file(days: 1...3, sessions: { _ in 100 }, orders: { _ in 10 }), name: "a.csv", format: "wide", overrides: my)
        let original = try await Self.observations(database)
        _ = try Fixture.importText(database, Self.file(days: 1...3, sessions: { _ in 200 }, orders: { _ in 20 }), name: "b.csv", format: "wide", overrides: my)
        let b = try #require(try await database.imports().first?.id)
        _ = try Fixture.importText(database, Self.file(days: 2...2, sessions: { _ in 300 }, orders: { _ in 30 }), name: "c.csv", format: "wide", overrides: my)
        let c = try #require(try await database.imports().first?.id)

        let refused = await #expect(throws: LinkStarError.self) { try await database.revertImport(id: b, force: false, actor: "a") }
        #expect(refused?.kind == .conflict)
        let forced = try await database.revertImport(id: b, force: true, actor: "a")
        #expect(forced.changedLater == 3)
        // Days 1 and 3 are back to the original; day 2 keeps import c's values.
        #expect(try await Fixture.value(database, "sessions", "shopee/MY/all", nov(1))?.0 == 100)
        #expect(try await Fixture.value(database, "sessions", "shopee/MY/all", nov(2))?.0 == 300)
        // Reverting c now restores what was there before b: the original.
        _ = try await database.revertImport(id: c, force: false, actor: "a")
        #expect(try await Self.observations(database) == original)
    }
}

/// `series_span` (migration 0008) must always equal what a scan of every observation says, whatever imports and
/// reverts did: freshness (stale series, loop health, the compliance check) reads it instead of the scan.
@Suite("Series spans")
struct SeriesSpanTests {
    static func scanned(_ database: WorkspaceDatabase) async throws -> [String] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT segment_id, metric_id, min(day) AS first_day, max(day) AS last_day FROM observation
                GROUP BY segment_id, metric_id ORDER BY segment_id, metric_id
                """).map { "\($0["segment_id"] as Int64)/\($0["metric_id"] as Int64): \($0["first_day"] as Int)..\($0["last_day"] as Int)" }
        }
    }

    static func kept(_ database: WorkspaceDatabase) async throws -> [String] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM series_span ORDER BY segment_id, metric_id")
                .map { "\($0["segment_id"] as Int64)/\($0["metric_id"] as Int64): \($0["first_day"] as Int)..\($0["last_day"] as Int)" }
        }
    }

    @Test("imports widen spans, reverts shrink or remove them: always what a scan of the observations says")
    func spansFollowImportsAndReverts() async throws {
        let database = try await Fixture.workspace()
        let market = { (code: String) in ImportOverrides(channel: "shopee", market: code, device: "all", currency: "MYR") }
        // MY 1–5, then SG 10–12 (a source starting mid-window), then MY 3–8 (overlap, extends), then MY 20 alone.
        _ = try Fixture.importText(database, ImportRevertTests.file(days: 1...5, sessions: { 100 + $0 }, orders: { $0 }), name: "a.csv",
                                   format: "wide", overrides: market("MY"))
        _ = try Fixture.importText(database, ImportRevertTests.file(days: 10...12, sessions: { 50 + $0 }, orders: { $0 }), name: "b.csv",
                                   format: "wide", overrides: market("SG"))
        _ = try Fixture.importText(database, ImportRevertTests.file(days: 3...8, sessions: { 200 + $0 }, orders: { $0 }), name: "c.csv",
                                   format: "wide", overrides: market("MY"))
        _ = try Fixture.importText(database, ImportRevertTests.file(days: 20...20, sessions: { _ in 7 }, orders: { _ in 1 }), name: "d.csv",
                                   format: "wide", overrides: market("MY"))
        #expect(try await Self.kept(database) == Self.scanned(database))
        #expect(try await Self.kept(database).count == 6, "sessions, orders and revenue in MY and in SG")
        // Revert the newest (MY 20): MY's spans end on day 8 again. Revert SG: its series are gone.
        let imports = try await database.imports()
        for name in ["d.csv", "b.csv", "c.csv"] {
            let id = try #require(imports.first { $0.file?.hasSuffix(name) == true }?.id)
            _ = try await database.revertImport(id: id, force: true, actor: "lin.wei")
            #expect(try await Self.kept(database) == Self.scanned(database), "after reverting \(name)")
        }
        #expect(try await Self.kept(database).count == 3)
        // The stale rule reads the spans: MY's series end on 2026-11-05, so on 2026-11-09 they are 4 days behind.
        let stale = try await database.complianceCheck(today: try Day(parsing: "2026-11-09")).staleSeries
        #expect(stale.count == 3 && stale.allSatisfy { $0.lastDay.description == "2026-11-05" && $0.daysBehind == 4 })
        let check = try await database.dataCheck(today: try Day(parsing: "2026-11-09"))
        #expect(check.stale == stale)
    }
}

@Suite("Overview memo")
struct OverviewMemoTests {
    @Test("the overview is kept while nothing changes and recomputed after any write, imports and reverts included")
    func keptUntilAWrite() async throws {
        let database = try await Fixture.workspace()
        let period = try DayRange(parsing: "2026-11-01..2026-11-07"), today = try Day(parsing: "2026-11-08")
        let my = ImportOverrides(channel: "shopee", market: "MY", device: "all", currency: "MYR")
        _ = try Fixture.importText(database, ImportRevertTests.file(days: 1...7, sessions: { 100 + $0 }, orders: { $0 }), name: "a.csv",
                                   format: "wide", overrides: my)
        let first = try await database.overview(period: period, today: today)
        #expect(try await database.overview(period: period, today: today) == first)
        #expect(try await database.computeOverview(period: period, today: today) == first, "the kept answer is the computed one")
        // A KPI set, then a second import, then its revert: each is seen at once.
        _ = try await database.setKPI(KPISpec(metric: "orders", target: 12), actor: "lin.wei")
        let withKPI = try await database.overview(period: period, today: today)
        #expect(withKPI.kpis.count == first.kpis.count + 1)
        _ = try Fixture.importText(database, ImportRevertTests.file(days: 1...7, sessions: { _ in 900 }, orders: { _ in 90 }), name: "b.csv",
                                   format: "wide", overrides: my)
        let changed = try await database.overview(period: period, today: today)
        #expect(changed.funnel.stages != withKPI.funnel.stages)
        let id = try #require(try await database.imports().first?.id)
        _ = try await database.revertImport(id: id, force: false, actor: "lin.wei")
        #expect(try await database.overview(period: period, today: today) == withKPI)
        // Another day is another answer.
        #expect(try await database.overview(period: period, today: today.adding(days: 1)).today == today.adding(days: 1))
    }
}
