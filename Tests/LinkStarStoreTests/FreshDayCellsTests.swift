import Foundation
import GRDB
import LinkStarCore
import Testing
@testable import LinkStarStore

/// An import builds the cells of days that had none from the values it inserts, and rebuilds the others from their
/// observations: either way every cell must equal its observations (checked by the property suite's independent grouping).
@Suite("Daily rollup: cells of new days built from the inserted values")
struct FreshDayCellsTests {
    @Test("random writes over old and new days, out of order, with duplicates, updates, zeros of both signs and currencies, and a small keep limit",
          arguments: 1...12)
    func freshAndOldDaysMatchObservations(seed: Int) async throws {
        let database = try await Fixture.workspace()
        // Old days: 2026-09-01 … 2026-09-03, two segments.
        var old: [(String, String, String, Double, String)] = []
        for day in ["2026-09-01", "2026-09-02", "2026-09-03"] {
            for segment in ["shopee/MY/mobile", "lazada/SG/all"] {
                old.append((day, segment, "sessions", 100, ""))
                old.append((day, segment, "revenue", 12.5, "MYR"))
            }
        }
        _ = try Fixture.importText(database, longCSV(old), name: "old.csv")

        let limit = [1, 7, 64, 1_000_000][seed % 4]
        let counts = try await database.writer.write { db -> (inserted: Int, updated: Int, unchanged: Int, duplicates: Int) in
            var random = SeededGenerator(seed: UInt64(seed) &* 7_919)
            var segments: [Int64] = []
            for (channel, market, device) in [("shopee", "MY", "mobile"), ("lazada", "SG", "all"), ("tiktok", "US", "app"), ("amazon", "US", "all")] {
                try db.execute(sql: "INSERT OR IGNORE INTO segment (channel, market, device) VALUES (?, ?, ?)", arguments: [channel, market, device])
                segments.append(try #require(try Int64.fetchOne(db, sql: "SELECT id FROM segment WHERE channel = ? AND market = ? AND device = ?",
                                                                arguments: [channel, market, device])))
            }
            let metrics = try ["sessions", "orders", "revenue", "ad_spend", "clicks"].map { key in
                try #require(try Int64.fetchOne(db, sql: "SELECT id FROM metric WHERE key = ?", arguments: [key]))
            }
            let first = try Day(parsing: "2026-09-01").ordinal
            let currencies = CurrencyCStrings()
            let codes = currencies.pointers(for: ["USD", "MYR"])
            let values: [Double] = [-0.0, 0, 1, 12.34, 0.1 + 0.2, 1e15, 7]
            var batch = ImportBatchRecord(source: "file", fileName: "writes.csv", contentHash: nil, format: "long", optionsJson: "{}",
                                          rowsRead: 0, rowsSkipped: 0, rowsRejected: 0, inserted: 0, updated: 0, unchanged: 0,
                                          notesJson: nil, actor: "setup", importedAt: "2026-11-25T09:00:00Z")
            try batch.insert(db)
            let writer = try ObservationWriter(db, importId: try #require(batch.id), freshEntryLimit: limit)
            var duplicates = 0
            var rows: [(day: Int32, segment: Int64, metric: Int64)] = []
            for _ in 0..<Int.random(in: 200...700, using: &random) {
                if !rows.isEmpty, Int.random(in: 0..<25, using: &random) == 0 {
                    rows.append(rows.randomElement(using: &random)!)          // the same key again: a duplicate
                } else {
                    rows.append((Int32(first + Int.random(in: 0..<12, using: &random)), segments.randomElement(using: &random)!,
                                 metrics.randomElement(using: &random)!))
                }
            }
            if Bool.random(using: &random) { rows.sort { ($0.day, $0.segment, $0.metric) < ($1.day, $1.segment, $1.metric) } }
            for (index, row) in rows.enumerated() {
                let currency = Int.random(in: 0..<3, using: &random) == 0 ? nil : codes.randomElement(using: &random)
                duplicates += try writer.add(metric: row.metric, segment: row.segment, day: row.day,
                                             value: values.randomElement(using: &random)!, currency: currency, tag: index).count
            }
            duplicates += try writer.flush().count
            try writer.writeSpans()
            try writer.writeCells()
            #expect(try CellRollup.differingCells(db) == 0, "seed \(seed), limit \(limit)")
            return (writer.inserted, writer.updated, writer.unchanged, duplicates)
        }
        #expect(counts.inserted > 0 && counts.duplicates > 0, "seed \(seed): \(counts)")
        try await RollupPropertyTests.expectRollupMatchesObservations(database, "seed \(seed), limit \(limit)")
    }

    @Test("a day's values pack in segment order, each cell's entries in metric order, whatever order they came in")
    func packSortsCells() {
        typealias Entry = CellRollup.FreshDays.Entry
        let entries = [Entry(bits: 1, segment: 9, metric: 3, currency: (0, 0, 0)), Entry(bits: 2, segment: 2, metric: 5, currency: (85, 83, 68)),
                       Entry(bits: 3, segment: 9, metric: 1, currency: (0, 0, 0)), Entry(bits: 4, segment: 2, metric: 4, currency: (0, 0, 0))]
        var packed: [UInt8] = []
        CellRollup.FreshDays.pack(entries, into: &packed)
        let cells = CellRollup.decodeDay(packed)
        #expect(cells?.map(\.segment) == [2, 9])
        #expect(cells.map { $0.map { CellRollup.entries($0.entries).map(\.metricId) } } == [[4, 5], [1, 3]])
        #expect(cells.map { CellRollup.entries($0[0].entries).map(\.currency) } == [nil, "USD"])
    }
}
