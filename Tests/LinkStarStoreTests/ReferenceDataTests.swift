import Foundation
import GRDB
import LinkStarCore
import LinkStarFormats
import Testing
@testable import LinkStarStore

/// The catalog and segment list kept between requests (migration 0013's `reference_version`).
@Suite("Reference data: reused while unchanged, read again after any change")
struct ReferenceDataTests {
    static func segmentNames(_ data: ReferenceData) -> [String] { data.segments.map(\.segment.description) }

    @Test("a new metric, a new segment and another process's change are each seen by the next read")
    func changesAreSeen() async throws {
        let location = try await MaintenanceTests.workspace(try Fixture.temporaryDirectory())
        let path = location.databasePath
        let server = try WorkspaceDatabase.openFile(at: path, access: .pool)
        // Given a server that has read the reference data once.
        let first = try await server.writer.read { db in try server.reference(db) }
        #expect(first.metrics.count > 0 && first.segments.isEmpty)
        let again = try await server.writer.read { db in try server.reference(db) }
        #expect(again.version == first.version)

        // When a metric is defined, then the next read has it under a new version.
        _ = try await server.defineMetric(NewMetric(key: "wishlist_adds", definition: "Adds to a wishlist", unit: .count,
                                                    direction: .up, layer: .landing), actor: "tester")
        let afterMetric = try await server.writer.read { db in try server.reference(db) }
        #expect(afterMetric.version != first.version)
        #expect(afterMetric.definitions["wishlist_adds"] != nil && afterMetric.metricIds["wishlist_adds"] != nil)

        // When another process (its own connection) imports a new segment, then the server's next read has it.
        let cli = try WorkspaceDatabase.openFile(at: path, access: .single)
        _ = try Fixture.importText(cli, longCSV([("2026-11-01", "shopee/MY/mobile", "sessions", 10, "")]))
        let afterImport = try await server.writer.read { db in try server.reference(db) }
        #expect(Self.segmentNames(afterImport) == ["shopee/MY/mobile"])
        #expect(afterImport.segments(in: try Segment(parsing: "shopee/*/*")).count == 1)
        #expect(afterImport.segments(in: try Segment(parsing: "amazon/*/*")).isEmpty)
    }

    @Test("what a rolled-back write read is never kept: the next change that reuses its number is read afresh")
    func rolledBackReadIsNotKept() async throws {
        let database = try await Fixture.workspace()
        let insert = "INSERT INTO segment (channel, market, device) VALUES (?, ?, ?)"
        // Given a write that adds a segment, reads the reference data (version n + 1), then rolls back.
        try await database.writer.writeWithoutTransaction { db in
            try db.inTransaction {
                try db.execute(sql: insert, arguments: ["lazada", "TH", "all"])
                #expect(Self.segmentNames(try database.reference(db)) == ["lazada/TH/all"])
                return .rollback
            }
        }
        // When another write adds a different segment (version n + 1 again) and commits.
        try await database.writer.write { db in try db.execute(sql: insert, arguments: ["tiktok", "SG", "all"]) }
        // Then the reference data is the committed one.
        let data = try await database.writer.read { db in try database.reference(db) }
        #expect(Self.segmentNames(data) == ["tiktok/SG/all"])
    }

    @Test("an import takes known segments' ids from the reference data and inserts new ones; every value lands on its segment")
    func importsFindSegmentIds() async throws {
        let location = try await MaintenanceTests.workspace(try Fixture.temporaryDirectory())
        let server = try WorkspaceDatabase.openFile(at: location.databasePath, access: .pool)
        let insert = "INSERT INTO segment (channel, market, device) VALUES (?, ?, ?)"
        // Given segments made in an odd id order: one by an import, one by another process, one by hand with a gap.
        _ = try Fixture.importText(server, longCSV([("2026-11-01", "shopee/MY/mobile", "sessions", 10, "")]))
        let cli = try WorkspaceDatabase.openFile(at: location.databasePath, access: .single)
        _ = try Fixture.importText(cli, longCSV([("2026-11-01", "amazon/US/all", "sessions", 11, "")]))
        try await server.writer.write { db in try db.execute(sql: "INSERT INTO segment (id, channel, market, device) VALUES (40, 'lazada', 'TH', 'all')") }
        // And one by hand in a form no import writes: reports read it as lazada/PH/all, but it is not that row.
        try await server.writer.write { db in try db.execute(sql: "INSERT INTO segment (id, channel, market, device) VALUES (50, 'Lazada', 'PH', 'all')") }
        _ = try await server.writer.read { db in try server.reference(db) }
        // When one import carries known segments, a segment another process adds meanwhile, and a new one.
        try await cli.writer.write { db in try db.execute(sql: insert, arguments: ["tiktok", "SG", "app"]) }
        _ = try Fixture.importText(server, longCSV([
            ("2026-11-02", "lazada/TH/all", "sessions", 1, ""), ("2026-11-02", "shopee/MY/mobile", "sessions", 2, ""),
            ("2026-11-02", "tiktok/SG/app", "sessions", 3, ""), ("2026-11-02", "amazon/US/all", "sessions", 4, ""),
            ("2026-11-02", "shopify/DE/desktop", "sessions", 5, ""), ("2026-11-02", "lazada/PH/all", "sessions", 6, ""),
        ]))
        // Then each value is on the segment row with its names, and each segment has one row.
        try await server.writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.channel || '/' || s.market || '/' || s.device AS name, o.value FROM observation o JOIN segment s ON s.id = o.segment_id
                WHERE o.day = (SELECT day FROM observation ORDER BY day DESC LIMIT 1) ORDER BY o.value
                """)
            #expect(rows.map { $0["name"] as String } == ["lazada/TH/all", "shopee/MY/mobile", "tiktok/SG/app", "amazon/US/all", "shopify/DE/desktop",
                                                          "lazada/PH/all"])
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM segment") == 7)
            #expect(try Int.fetchOne(db, sql: "SELECT id FROM segment WHERE channel = 'lazada' AND market = 'TH'") == 40)
        }
    }

    @Test("imports with the same header start from a kept interpreter: nothing one interned shows in the next; a new metric is known")
    func keptInterpreterStartsClean() async throws {
        let database = try await Fixture.workspace()
        // Given an import that interns two segments, a metric and a currency, and skips a rate row (a note).
        let first = try Fixture.importText(database, longCSV([
            ("2026-11-01", "shopee/MY/mobile", "sessions", 10, ""), ("2026-11-01", "amazon/US/all", "revenue", 5, "USD"),
            ("2026-11-01", "amazon/US/all", "conversion_rate", 0.1, ""),
        ]), name: "batch", format: "long")
        #expect(first.segments == ["amazon/US/all", "shopee/MY/mobile"] && first.metrics == ["revenue", "sessions"] && first.notes.count == 1)
        // When the same header comes again with other rows.
        let second = try Fixture.importText(database, longCSV([("2026-11-02", "tiktok/SG/app", "orders", 3, "")]), name: "batch", format: "long")
        // Then its summary holds only its own segments, metrics and notes.
        #expect(second.segments == ["tiktok/SG/app"] && second.metrics == ["orders"] && second.notes.isEmpty)
        // When a metric is defined (the reference version moves) and the same header brings a value of it.
        let unknown = try? Fixture.importText(database, longCSV([("2026-11-03", "tiktok/SG/app", "live_viewers", 7, "")]), name: "batch", format: "long")
        #expect(unknown == nil)
        _ = try await database.defineMetric(NewMetric(key: "live_viewers", definition: "Live viewers", unit: .count, direction: .up, layer: .traffic),
                                            actor: "tester")
        let third = try Fixture.importText(database, longCSV([("2026-11-03", "tiktok/SG/app", "live_viewers", 7, "")]), name: "batch", format: "long")
        // Then the new metric is imported.
        #expect(third.metrics == ["live_viewers"] && third.inserted == 1)
    }

    @Test("the filter in memory selects what the SQL filter selects, for every filter shape")
    func filterAgreesWithSQL() async throws {
        let database = try await Fixture.workspace()
        _ = try Fixture.importText(database, longCSV([
            ("2026-11-01", "shopee/MY/mobile", "sessions", 10, ""), ("2026-11-01", "shopee/SG/desktop", "sessions", 11, ""),
            ("2026-11-01", "amazon/US/all", "sessions", 12, ""), ("2026-11-01", "amazon/MY/mobile", "sessions", 13, ""),
        ]))
        try await database.writer.read { db in
            let data = try database.reference(db)
            for filter in ["*/*/*", "shopee/*/*", "*/MY/*", "*/*/mobile", "amazon/MY/mobile", "amazon/SG/*", "lazada/*/*"] {
                let segment = try Segment(parsing: filter)
                let fromSQL = try ObservationQueries.segments(db, filter: segment)
                #expect(data.segments(in: segment) == fromSQL, "\(filter)")
                #expect(data.segmentIds(in: segment) == fromSQL.keys.sorted(), "\(filter)")
            }
        }
    }
}

/// The import's content hash, whether chunks are hashed in place or handed to the hashing thread.
@Suite("Content hash of a streamed import")
struct ChunkHasherTests {
    @Test("any chunking of 3 MB (small inputs in place, large ones on a thread) gives the hash of the whole")
    func chunkedEqualsWhole() {
        var random = SeededGenerator(seed: 5)
        let bytes = (0..<3_000_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        var whole = ContentHasher()
        bytes.withUnsafeBytes { whole.update($0) }
        for round in 0..<4 {
            let hasher = ChunkHasher()
            var offset = 0
            while offset < bytes.count {
                let size = min(bytes.count - offset, round == 0 ? 1 << 20 : Int.random(in: 1...300_000, using: &random))
                bytes[offset..<(offset + size)].withUnsafeBytes { hasher.update($0) }
                offset += size
            }
            #expect(hasher.finish() == whole.finish(), "round \(round)")
        }
        // A small input never leaves the caller's thread, and hashes the same.
        let small = ChunkHasher()
        bytes[0..<1_000].withUnsafeBytes { small.update($0) }
        var expected = ContentHasher()
        bytes[0..<1_000].withUnsafeBytes { expected.update($0) }
        #expect(small.finish() == expected.finish())
    }
}
