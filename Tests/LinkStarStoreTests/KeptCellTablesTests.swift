import Foundation
import GRDB
import LinkStarCore
import Testing
@testable import LinkStarStore

/// Window tables kept between reports (`CellTableCache`, migration 0014's day versions): after any write, the kept
/// table (reused, patched day by day, or read whole) is the table a reader builds afresh, cell by cell and bit by bit,
/// on mixed workspaces (missing stages, holes, several currencies, currency switches, new segments, reverts).
@Suite("Kept window tables: after every write, the table a fresh read builds")
struct KeptCellTablesTests {
    static let metrics = FunnelDefinition.metrics + ["revenue"]

    @Test("one-value writes, corrections, new segments and days, currency switches and reverts", arguments: 1...8)
    func keptEqualsFresh(seed: Int) async throws {
        var random = SeededGenerator(seed: UInt64(seed) &* 7_919)
        let base = try await Fixture.workspace()
        let kept = try WorkspaceDatabase(base.writer, clock: base.clock, logger: base.logger, changeWatch: nil, keepsTables: true)
        let fresh = try WorkspaceDatabase(base.writer, clock: base.clock, logger: base.logger, changeWatch: nil, keepsTables: false)
        let direct = try WorkspaceDatabase(base.writer, clock: base.clock, logger: base.logger, changeWatch: nil, cellSource: .observations)
        let tables = try #require(kept.cellTables)

        // Given a mixed workspace: a few sources, each its own export.
        var segments: [String] = []
        for _ in 0..<Int.random(in: 3...5, using: &random) {
            let segment = "\(RollupPropertyTests.channels.randomElement(using: &random)!)/\(RollupPropertyTests.markets.randomElement(using: &random)!)/\(RollupPropertyTests.devices.randomElement(using: &random)!)"
            if !segments.contains(segment) { segments.append(segment) }
        }
        var rows: [(String, String, String, Double, String)] = []
        for segment in segments { rows += RollupPropertyTests.rows(&random, segment: segment) }
        _ = try Fixture.importText(kept, longCSV(rows), name: "base.csv")

        // Windows read once (kept), over several cuts.
        let cuts = [Segment.all, try Segment(parsing: "\(segments[0].split(separator: "/")[0])/*/*"), try Segment(parsing: "*/MY/*")]
        var windows: [(DayRange, Segment)] = []
        for _ in 0..<5 {
            let end = RollupPropertyTests.first.adding(days: Int.random(in: 20...RollupPropertyTests.days, using: &random))
            windows.append((try DayRange(from: end.adding(days: -Int.random(in: 6...59, using: &random)), to: end), cuts.randomElement(using: &random)!))
        }
        func expectSame(_ context: String) async throws {
            for (range, filter) in windows {
                let (a, b) = try await base.writer.read { db in
                    (try kept.cells(db, metrics: Self.metrics, range: range, filter: filter),
                     try fresh.cells(db, metrics: Self.metrics, range: range, filter: filter))
                }
                let same = a.hasSameContents(as: b)
                #expect(same, "seed \(seed), \(context): \(range) \(filter), kept \(a.segments) \(a.cells.count) cells, fresh \(b.segments) \(b.cells.count) cells")
            }
            // Funnels over every window's second half (compared with its first): each window's passes are kept for
            // the versions of its days, and reused after a write outside it; every answer is the direct one.
            for (range, filter) in windows {
                let half = try DayRange(from: range.from.adding(days: range.dayCount / 2), to: range.to)
                #expect(try await kept.funnel(period: half, segment: filter, compare: .previous)
                        == (try await direct.funnel(period: half, segment: filter, compare: .previous)), "seed \(seed), \(context): funnel \(half) \(filter)")
            }
        }
        try await expectSame("after the first import")

        // When: one write after another, each through the API's path, then a revert now and then.
        var imports: [Int64] = []
        for step in 0..<14 {
            let (day, segment, metric, value, currency) = rows.randomElement(using: &random)!
            let parts = segment.split(separator: "/").map(String.init)
            var batch: [ObservationInput] = []
            switch Int.random(in: 0..<6, using: &random) {
            case 0:  // the same value again: nothing changes
                batch = [ObservationInput(date: day, channel: parts[0], market: parts[1], device: parts[2], metric: metric, value: value,
                                          currency: currency.isEmpty ? nil : currency)]
            case 1:  // money in another currency (the shop switched)
                batch = [ObservationInput(date: day, channel: parts[0], market: parts[1], device: parts[2], metric: "revenue",
                                          value: Double(Int.random(in: 100...90_000, using: &random)) / 100,
                                          currency: RollupPropertyTests.currencies.randomElement(using: &random)!)]
            case 2:  // a new segment on an existing day
                batch = [ObservationInput(date: day, channel: "shopify", market: "SG", device: "app", metric: "sessions",
                                          value: Double(Int.random(in: 10...900, using: &random)))]
            case 3:  // a new day just inside or past a window
                let late = RollupPropertyTests.first.adding(days: Int.random(in: 0...(RollupPropertyTests.days + 5), using: &random))
                batch = [ObservationInput(date: late.description, channel: parts[0], market: parts[1], device: parts[2], metric: "orders",
                                          value: Double(Int.random(in: 1...300, using: &random)))]
            default:  // a corrected count, sometimes with a second value on the same cell
                batch = [ObservationInput(date: day, channel: parts[0], market: parts[1], device: parts[2], metric: metric,
                                          value: (value * Double.random(in: 0.5...1.5, using: &random)).rounded(),
                                          currency: currency.isEmpty ? nil : currency)]
                if Bool.random(using: &random) {
                    batch.append(ObservationInput(date: day, channel: parts[0], market: parts[1], device: parts[2],
                                                  metric: metric == "orders" ? "checkouts" : "orders", value: Double(Int.random(in: 1...99, using: &random))))
                }
            }
            let summary = try kept.importObservations(batch, actor: "api")
            if let id = summary.importId { imports.append(id) }
            try await expectSame("after write \(step)")
            if step % 5 == 4, let last = imports.popLast() {
                _ = try await kept.revertImport(id: last, force: true, actor: "setup")
                try await expectSame("after reverting #\(last)")
            }
        }

        // Then: the writes were answered by every path, patches included.
        let counts = tables.counts
        #expect(counts.patched > 0, "seed \(seed): \(counts)")
        #expect(counts.unchanged > 0, "seed \(seed): \(counts)")
        #expect(counts.readWhole >= windows.count, "seed \(seed): \(counts)")
        let passes = tables.passCounts
        #expect(passes.reused > 0 && passes.computed > 0, "seed \(seed): \(passes)")
    }

    @Test("a write that changes one metric's values keeps the passes over the others: only those reading it are computed again")
    func passesWithoutTheChangedMetricAreCarried() async throws {
        let base = try await Fixture.workspace()
        let kept = try WorkspaceDatabase(base.writer, clock: base.clock, logger: base.logger, changeWatch: nil, keepsTables: true)
        let direct = try WorkspaceDatabase(base.writer, clock: base.clock, logger: base.logger, changeWatch: nil, cellSource: .observations)
        let passes = try #require(kept.cellTables)
        // Given: two months of the whole funnel on two segments, and a funnel of September read once (kept).
        var csv = "date,channel,market,device,metric,value\n"
        for offset in 0..<61 {
            let day = try Day(parsing: "2026-08-01").adding(days: offset)
            for segment in ["amazon,US,mobile", "shopee,MY,app"] {
                for (i, metric) in FunnelDefinition.metrics.enumerated() { csv += "\(day),\(segment),\(metric),\((100_000 >> i) + offset)\n" }
            }
        }
        _ = try Fixture.importText(kept, csv, name: "two-months.csv")
        let september = try DayRange(parsing: "2026-09")
        _ = try await kept.funnel(period: september, segment: .all, compare: .previous)
        let first = passes.passCounts

        // When: one day's orders are corrected, and the funnel is asked for again.
        _ = try kept.importObservations([ObservationInput(date: "2026-09-15", channel: "amazon", market: "US", device: "mobile",
                                                          metric: "orders", value: 1)], actor: "api")
        let answer = try await kept.funnel(period: september, segment: .all, compare: .previous)
        let second = passes.passCounts

        // Then: the answer is the direct one; the period's steps that do not read orders were carried to the new
        // version, and only the passes that read orders' values (its sum and its steps) were computed: which segments
        // report the stages did not change (a corrected value), so that pass was carried too.
        #expect(answer == (try await direct.funnel(period: september, segment: .all, compare: .previous)))
        let steps = FunnelDefinition.chains.flatMap { Array(zip($0, $0.dropFirst())) } + FunnelDefinition.retentionSteps
        let stepsReadingOrders = steps.filter { $0.0 == "orders" || $0.1 == "orders" }.count
        #expect(second.carried > first.carried, "\(first) → \(second)")
        #expect(second.computed - first.computed <= stepsReadingOrders + 1, "\(first) → \(second)")
        #expect(second.computed - first.computed < first.computed / 2, "\(first) → \(second)")
    }

    @Test("a table read inside a write transaction is not kept: its versions may be rolled back and used again")
    func notKeptInsideWrites() async throws {
        let database = try await Fixture.workspace()
        let kept = try WorkspaceDatabase(database.writer, clock: database.clock, logger: database.logger, changeWatch: nil, keepsTables: true)
        _ = try Fixture.importText(kept, "date,channel,market,device,metric,value\n2026-08-03,shopee,MY,mobile,sessions,100\n")
        let range = try DayRange(parsing: "2026-08")
        try await database.writer.write { db in
            _ = try kept.cells(db, metrics: Self.metrics, range: range, filter: .all)
        }
        #expect(kept.cellTables?.counts == CellTableCache.Counts(unchanged: 0, patched: 0, readWhole: 1))
        _ = try await database.writer.read { db in try kept.cells(db, metrics: Self.metrics, range: range, filter: .all) }
        _ = try await database.writer.read { db in try kept.cells(db, metrics: Self.metrics, range: range, filter: .all) }
        #expect(kept.cellTables?.counts == CellTableCache.Counts(unchanged: 1, patched: 0, readWhole: 2))
    }

    @Test("every write of a day's cells gives it a new, growing version; a counter deleted by hand starts again")
    func versionsGrow() async throws {
        let database = try await Fixture.workspace()
        let csv = "date,channel,market,device,metric,value\n2026-08-03,shopee,MY,mobile,sessions,100\n"
        _ = try Fixture.importText(database, csv)
        func version() async throws -> Int64? {
            try await database.writer.read { db in try Int64.fetchOne(db, sql: "SELECT version FROM cell_day WHERE day = ?", arguments: [try Day(parsing: "2026-08-03").ordinal]) }
        }
        let first = try #require(try await version())
        _ = try Fixture.importText(database, csv.replacingOccurrences(of: ",100", with: ",101"))
        let second = try #require(try await version())
        #expect(second > first)
        try await database.writer.write { db in try db.execute(sql: "DELETE FROM cell_version") }
        _ = try Fixture.importText(database, csv.replacingOccurrences(of: ",100", with: ",102"))
        let third = try #require(try await version())
        #expect(third != second)
        #expect(try await database.writer.read { db in try Int64.fetchOne(db, sql: "SELECT version FROM cell_version") } == third)
    }
}
