import Foundation
import GRDB
import LinkStarCore
import Testing
@testable import LinkStarStore

/// Past a number of rows an import parses on a thread of its own while the writer inserts: the outcome must be the
/// same as parsing and writing on one thread, whatever the file holds.
@Suite("Import: parsing on its own thread gives what one thread gives")
struct ImportPipelineTests {
    /// A long CSV of about 30,000 rows: several segments and days, and (by `seed`) blank and total rows, invalid rows,
    /// duplicates and money in two currencies.
    static func messyCSV(seed: UInt64) -> String {
        var random = SeededGenerator(seed: seed)
        var lines = ["date,channel,market,device,metric,value,currency"]
        let segments = ["shopee,MY,mobile", "lazada,SG,all", "amazon,US,desktop", "tiktok,MY,app"]
        let metrics = ["sessions", "product_views", "add_to_cart", "orders"]
        var day = try! Day(parsing: "2025-01-01")
        while lines.count < 30_000 {
            for segment in segments {
                for metric in metrics { lines.append("\(day),\(segment),\(metric),\(Int.random(in: 0...9_999, using: &random)),") }
                lines.append("\(day),\(segment),revenue,\(Double(Int.random(in: 0...99_999, using: &random)) / 100),\(Bool.random(using: &random) ? "USD" : "MYR")")
                switch Int.random(in: 0..<40, using: &random) {
                case 0: lines.append("")                                                   // blank
                case 1: lines.append("Total,,,,orders,5,")                                 // a total row
                case 2: lines.append("\(day),\(segment),orders,-5,")                       // invalid: a negative count
                case 3: lines.append("2025-02-30,\(segment),orders,5,")                    // invalid: no such day
                case 4: lines.append(lines[lines.count - Int.random(in: 1...5, using: &random)])   // a duplicate
                default: break
                }
            }
            day = day.adding(days: 1)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func run(_ text: String, pipelineAfterRows: Int, skipInvalid: Bool) async throws
        -> (summary: Result<ImportSummary, LinkStarError>, rows: [String], rejected: [Int], progress: Int) {
        let database = try await Fixture.workspace()
        let rejected = LockedLines()
        let callbacks = ImportCallbacks(progress: { lines, _ in rejected.progress(lines) },
                                        rejected: { _, record, _ in rejected.append(record.line) })
        let summary: Result<ImportSummary, LinkStarError>
        do {
            summary = .success(try database.importObservations(from: MemoryByteSource(text),
                                                               request: ImportRequest(fileName: "messy.csv", skipInvalid: skipInvalid),
                                                               actor: "importer", callbacks: callbacks, pipelineAfterRows: pipelineAfterRows))
        } catch let error as LinkStarError {
            summary = .failure(error)
        }
        let rows = try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT day, segment_id, metric_id, value, currency FROM observation ORDER BY day, segment_id, metric_id")
                .map { "\($0[0] as Int) \($0[1] as Int) \($0[2] as Int) \(($0[3] as Double).bitPattern) \(($0[4] as String?) ?? "-")" }
        }
        try await RollupPropertyTests.expectRollupMatchesObservations(database, "pipeline after \(pipelineAfterRows)")
        return (summary, rows, rejected.lines, rejected.lastProgress)
    }

    @Test("the same summary, problems, rows, cells and callbacks with the pipeline from the start, after 5,000 rows, or never",
          arguments: [1, 2, 3])
    func sameOutcome(seed: Int) async throws {
        let text = Self.messyCSV(seed: UInt64(seed))
        for skipInvalid in [true, false] {
            let single = try await Self.run(text, pipelineAfterRows: .max, skipInvalid: skipInvalid)
            for after in [0, 5_000] {
                let piped = try await Self.run(text, pipelineAfterRows: after, skipInvalid: skipInvalid)
                switch (single.summary, piped.summary) {
                case (.success(let a), .success(let b)):
                    #expect(a == b, "seed \(seed), after \(after)")
                    #expect(a.rowsRejected > 0 && a.rowsSkipped > 0 && a.problemCount > 0, "seed \(seed): the file is messy")
                case (.failure(let a), .failure(let b)):
                    #expect(a.summary.description == b.summary.description && a.details == b.details, "seed \(seed), after \(after)")
                default:
                    Issue.record("seed \(seed), after \(after): \(single.summary) against \(piped.summary)")
                }
                #expect(single.rows == piped.rows, "seed \(seed), after \(after)")
                #expect(single.rejected == piped.rejected, "seed \(seed), after \(after)")
                #expect(single.progress == piped.progress, "seed \(seed), after \(after)")
            }
        }
    }

    @Test("when the writer fails while the parser runs ahead, the parser stops, the error comes out and nothing is written",
          .timeLimit(.minutes(1)))
    func writerFailureStopsTheParser() async throws {
        let database = try await Fixture.workspace()
        // A temporary trigger on the workspace's one connection: the value 77777 cannot be stored.
        try await database.writer.write { db in
            try db.execute(sql: """
                CREATE TEMP TRIGGER refuse_value BEFORE INSERT ON observation WHEN NEW.value = 77777
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                """)
        }
        var lines = Self.messyCSV(seed: 4).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.insert("2030-01-01,shopee,MY,mobile,orders,77777,", at: 6_000)      // well after the pipeline starts, long before the end
        let text = lines.joined(separator: "\n")
        var failed = false
        do {
            _ = try database.importObservations(from: MemoryByteSource(text), request: ImportRequest(fileName: "messy.csv", skipInvalid: true),
                                                actor: "importer", callbacks: ImportCallbacks(), pipelineAfterRows: 0)
        } catch {
            failed = "\(error)".contains("refused by the test")
        }
        #expect(failed)
        let stored = try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM observation") }
        #expect(stored == 0)
        // The workspace takes the same file without the refused value afterwards (the parser thread is gone, the
        // transaction rolled back).
        lines.remove(at: 6_000)
        let summary = try database.importObservations(from: MemoryByteSource(lines.joined(separator: "\n")),
                                                      request: ImportRequest(fileName: "messy.csv", skipInvalid: true),
                                                      actor: "importer", callbacks: ImportCallbacks(), pipelineAfterRows: 0)
        #expect(summary.inserted > 20_000)
    }

    @Test("a file that breaks after the pipeline has started fails as it does on one thread, and writes nothing")
    func brokenFileFailsTheSame() async throws {
        var text = Self.messyCSV(seed: 9)
        text += "2026-01-01,shopee,MY,mobile,orders,\"5\n"        // an unterminated quote at the end
        let single = try await Self.run(text, pipelineAfterRows: .max, skipInvalid: true)
        let piped = try await Self.run(text, pipelineAfterRows: 0, skipInvalid: true)
        guard case .failure(let a) = single.summary, case .failure(let b) = piped.summary else {
            Issue.record("expected both to fail: \(single.summary), \(piped.summary)")
            return
        }
        #expect(a.summary.description == b.summary.description)
        #expect(a.details == b.details)
        #expect(single.rows.isEmpty && piped.rows.isEmpty)
    }
}

/// Lines handed to a callback, from whichever thread calls it.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Int] = []
    private var progressed = 0
    func append(_ line: Int) { lock.withLock { stored.append(line) } }
    func progress(_ lines: Int) { lock.withLock { progressed = lines } }
    var lines: [Int] { lock.withLock { stored } }
    var lastProgress: Int { lock.withLock { progressed } }
}
