import Foundation
import GRDB
import LinkStarCore
import Testing
@testable import LinkStarStore

/// The daily rollup (`cell`) against the direct computation over observations, on random mixed workspaces: sources
/// with missing stages, holes, mid-window starts and several currencies, a correcting import and a revert.
@Suite("Daily rollup: the fast path gives the direct computation's answers to the last digit")
struct RollupPropertyTests {
    static let channels = ["shopee", "lazada", "amazon", "tiktok", "shopify"]
    static let markets = ["MY", "SG", "US"]
    static let devices = ["all", "mobile"]
    static let currencies = ["USD", "MYR", "SGD"]
    static let first = try! Day(parsing: "2026-08-01")
    static let days = 110

    /// One random source's rows: a segment reporting a random subset of the funnel (and money in its currency).
    static func rows(_ random: inout SeededGenerator, segment: String) -> [(String, String, String, Double, String)] {
        var rows: [(String, String, String, Double, String)] = []
        let chain = ["sessions", "product_views", "add_to_cart", "checkouts", "orders"]
        let stages = chain.filter { $0 == "sessions" || Bool.random(using: &random) }
        let ads = Bool.random(using: &random)
        let retention = Bool.random(using: &random)
        var currency = currencies.randomElement(using: &random)!
        let start = Int.random(in: 0...60, using: &random), end = Int.random(in: (start + 10)...days, using: &random)
        for offset in start..<end {
            if Int.random(in: 0..<15, using: &random) == 0 { continue }              // a whole day missing
            if Int.random(in: 0..<40, using: &random) == 0 { currency = currencies.randomElement(using: &random)! }  // the shop switches currency
            let day = first.adding(days: offset).description
            var volume = Double(Int.random(in: 100...5000, using: &random))
            for stage in stages {
                if stage != "sessions" && Int.random(in: 0..<10, using: &random) == 0 { continue }   // a hole in one stage
                rows.append((day, segment, stage, volume, ""))
                volume = (volume * Double.random(in: 0.2...0.9, using: &random)).rounded(.down)
            }
            if stages.contains("orders") || Bool.random(using: &random) {
                // Money with cents, so sums are not exact in binary floating point and their order shows.
                rows.append((day, segment, "revenue", Double(Int.random(in: 1000...900_000, using: &random)) / 100, currency))
            }
            if ads {
                let clicks = Double(Int.random(in: 50...900, using: &random))
                rows.append((day, segment, "impressions", clicks * Double(Int.random(in: 20...60, using: &random)), ""))
                rows.append((day, segment, "clicks", clicks, ""))
                rows.append((day, segment, "ad_spend", Double(Int.random(in: 500...90_000, using: &random)) / 100, currency))
                if Bool.random(using: &random) {
                    rows.append((day, segment, "ad_sales", Double(Int.random(in: 500...300_000, using: &random)) / 100, currency))
                }
            }
            if retention {
                let customers = Double(Int.random(in: 20...400, using: &random))
                rows.append((day, segment, "customers", customers, ""))
                rows.append((day, segment, "repeat_customers", (customers * Double.random(in: 0...0.5, using: &random)).rounded(.down), ""))
            }
        }
        return rows
    }

    /// Every cell of the rollup equals the observations of its segment and day, grouped here independently.
    static func expectRollupMatchesObservations(_ database: WorkspaceDatabase, _ context: String) async throws {
        let (cells, observations) = try await database.writer.read { db in
            var cells: [String] = []
            for row in try Row.fetchAll(db, sql: "SELECT day, packed FROM cell_day ORDER BY day") {
                guard let decoded = CellRollup.decodeDay([UInt8](row[1] as Data)) else {
                    Issue.record("\(context): the cells of day \(row[0] as Int) are not well formed")
                    continue
                }
                for cell in decoded {
                    cells.append("\(row[0] as Int)/\(cell.segment): " + CellRollup.entries(cell.entries)
                        .map { "\($0.metricId)=\($0.value.bitPattern) \($0.currency ?? "-")" }.joined(separator: ", "))
                }
            }
            var grouped: [String] = []
            var current = "", entries: [String] = []
            for row in try Row.fetchAll(db, sql: "SELECT day, segment_id, metric_id, value, currency FROM observation ORDER BY day, segment_id, metric_id") {
                let key = "\(row[0] as Int)/\(row[1] as Int64)"
                if key != current {
                    if !entries.isEmpty { grouped.append("\(current): " + entries.joined(separator: ", ")) }
                    current = key
                    entries = []
                }
                let currency: String? = row[4]
                entries.append("\(row[2] as Int64)=\((row[3] as Double).bitPattern) \(currency ?? "-")")
            }
            if !entries.isEmpty { grouped.append("\(current): " + entries.joined(separator: ", ")) }
            return (cells, grouped)
        }
        #expect(cells.count == observations.count, "\(context): \(cells.count) cells for \(observations.count) observed cells")
        if let index = cells.indices.first(where: { $0 < observations.count && cells[$0] != observations[$0] }) {
            Issue.record("\(context): cell \(cells[index]) where the observations say \(observations[index])")
        }
    }

    @Test("imports, a correction and a revert keep every cell equal to its observations; every report equals the direct one",
          arguments: 1...16)
    func sameAnswers(seed: Int) async throws {
        var random = SeededGenerator(seed: UInt64(seed) &* 104_729)
        let fast = try await Fixture.workspace()
        let direct = try WorkspaceDatabase(fast.writer, clock: fast.clock, logger: fast.logger, changeWatch: nil, cellSource: .observations)

        // Sources: each segment its own export; the first import is all of them.
        var segments: [String] = []
        for _ in 0..<Int.random(in: 2...5, using: &random) {
            let segment = "\(Self.channels.dropFirst().randomElement(using: &random)!)/\(Self.markets.randomElement(using: &random)!)/\(Self.devices.randomElement(using: &random)!)"
            if !segments.contains(segment) { segments.append(segment) }
        }
        // Half the time a marketplace export with 12 segments as well: days with more segments than are rebuilt one by one.
        if Bool.random(using: &random) {
            for market in Self.markets { for device in ["desktop", "mobile", "tablet", "app"] { segments.append("shopee/\(market)/\(device)") } }
        }
        var all: [(String, String, String, Double, String)] = []
        for segment in segments { all += Self.rows(&random, segment: segment) }
        let base = try Fixture.importText(fast, longCSV(all), name: "base.csv")
        try await Self.expectRollupMatchesObservations(fast, "seed \(seed), after the first import")

        // A correction: some values re-reported (changed or the same), and some cells that were not there.
        var correction: [(String, String, String, Double, String)] = []
        for row in all where Int.random(in: 0..<8, using: &random) == 0 {
            correction.append((row.0, row.1, row.2, Bool.random(using: &random) ? row.3 : (row.3 * 1.1).rounded(), row.4))
        }
        let extra = "\(Self.channels.dropFirst().randomElement(using: &random)!)/\(Self.markets.randomElement(using: &random)!)/app"
        correction += Self.rows(&random, segment: extra).filter { _ in Bool.random(using: &random) }
        let corrected = correction.isEmpty ? nil : try Fixture.importText(fast, longCSV(correction), name: "correction.csv")
        try await Self.expectRollupMatchesObservations(fast, "seed \(seed), after the correction")

        // Exchange rates, changing mid-way; sometimes one currency has none (reports say so instead of converting).
        _ = try await fast.setReportingCurrency("USD", actor: "setup")
        _ = try await fast.setFXRate(currency: "MYR", rate: 0.21, from: Self.first, actor: "setup")
        _ = try await fast.setFXRate(currency: "MYR", rate: 0.23, from: Self.first.adding(days: 50), actor: "setup")
        if Bool.random(using: &random) { _ = try await fast.setFXRate(currency: "SGD", rate: 0.74, from: Self.first, actor: "setup") }

        // KPIs over cuts, for KPI status and the overview's series.
        let channel = String(segments[0].split(separator: "/")[0])
        for (metric, cut) in [("conversion_rate", Segment.all), ("aov", .all), ("roas", .all), ("sessions", try Segment(parsing: "\(channel)/*/*")),
                              ("cart_to_checkout_rate", try Segment(parsing: "\(channel)/*/*")), ("revenue", .all), ("ctr", .all)] {
            _ = try await fast.setKPI(KPISpec(metric: metric, segment: cut, baseline: Baseline(value: 0.5, period: try DayRange(parsing: "2026-08")),
                                              target: 1), actor: "setup")
        }

        try await Self.expectSameAnswers(fast, direct, &random, context: "seed \(seed)")

        // A revert: the correction (restoring what it replaced) or, forced, the first import under it.
        if let id = corrected?.importId, Bool.random(using: &random) {
            _ = try await fast.revertImport(id: id, force: false, actor: "setup")
        } else {
            _ = try await fast.revertImport(id: try #require(base.importId), force: true, actor: "setup")
        }
        try await Self.expectRollupMatchesObservations(fast, "seed \(seed), after the revert")
        try await Self.expectSameAnswers(fast, direct, &random, context: "seed \(seed), after the revert")
    }

    /// Funnel (every comparison, several cuts), KPI status, scorecard and overview with its series: equal, field by field.
    static func expectSameAnswers(_ fast: WorkspaceDatabase, _ direct: WorkspaceDatabase, _ random: inout SeededGenerator,
                                  context: String) async throws {
        let cuts = [Segment.all] + channels.map { try! Segment(parsing: "\($0)/*/*") } + [try Segment(parsing: "*/MY/*"), try Segment(parsing: "*/*/mobile")]
        for _ in 0..<6 {
            let length = [7, 14, 30, 45].randomElement(using: &random)!
            let end = first.adding(days: Int.random(in: 10...(days + 5), using: &random))
            let period = try DayRange(from: end.adding(days: -(length - 1)), to: end)
            let segment = cuts.randomElement(using: &random)!
            for compare in Comparison.allCases {
                let a = try await fast.funnel(period: period, segment: segment, compare: compare)
                let b = try await direct.funnel(period: period, segment: segment, compare: compare)
                #expect(a == b, "\(context): funnel \(period) \(segment) \(compare)")
            }
            #expect(try await fast.kpiStatus(period: period) == (try await direct.kpiStatus(period: period)), "\(context): KPI status \(period)")
            #expect(try await fast.scorecard(period: period) == (try await direct.scorecard(period: period)), "\(context): scorecard \(period)")
            let overview = try await fast.overview(period: period, today: end.adding(days: 1))
            #expect(overview == (try await direct.overview(period: period, today: end.adding(days: 1))), "\(context): overview \(period)")
        }
    }
}

extension CellRollup {
    /// A day's packed cells read by the layout migration 0012 documents (independently of `forEachCell`): per cell the
    /// segment id (8 bytes), the number of metrics (4), then 15 bytes per metric. Nil when the bytes do not follow it.
    static func decodeDay(_ packed: [UInt8]) -> [(segment: Int64, entries: [UInt8])]? {
        func integer(_ at: Int, _ width: Int) -> UInt64 { (0..<width).reduce(0) { $0 | UInt64(packed[at + $1]) << (8 * UInt64($1)) } }
        var cells: [(Int64, [UInt8])] = []
        var offset = 0
        while offset < packed.count {
            guard packed.count - offset >= 12 else { return nil }
            let segment = Int64(bitPattern: integer(offset, 8)), count = Int(integer(offset + 8, 4))
            guard count > 0, packed.count - offset - 12 >= count * 15, cells.last.map({ $0.0 < segment }) ?? true else { return nil }
            cells.append((segment, Array(packed[(offset + 12)..<(offset + 12 + count * 15)])))
            offset += 12 + count * 15
        }
        return cells
    }

    /// The bytes of a day holding `cells` (the inverse of `decodeDay`).
    static func encodeDay(_ cells: [(segment: Int64, entries: [UInt8])]) -> [UInt8] {
        var packed: [UInt8] = []
        for cell in cells {
            packed += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: cell.segment) >> (8 * UInt64($0))) }
            packed += (0..<4).map { UInt8(truncatingIfNeeded: (cell.entries.count / 15) >> (8 * $0)) }
            packed += cell.entries
        }
        return packed
    }

    /// The metric ids and values of one packed cell, in the order stored (ascending metric id).
    static func entries(_ packed: [UInt8]) -> [(metricId: Int64, value: Double, currency: String?)] {
        packed.withUnsafeBytes { bytes in
            var result: [(Int64, Double, String?)] = []
            forEachEntry(bytes) { id, value, currency in result.append((id, value, currency.map { String(decoding: $0, as: UTF8.self) })) }
            return result
        }
    }
}
