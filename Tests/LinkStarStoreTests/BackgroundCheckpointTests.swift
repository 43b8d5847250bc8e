import Foundation
import GRDB
import LinkStarCore
import Testing
@testable import LinkStarStore

/// A server's WAL is checkpointed on a connection of its own once it passes the size, never inside a write's commit.
@Suite("Background checkpoint")
struct BackgroundCheckpointTests {
    @Test("the writer never checkpoints; past the size a background checkpoint copies the WAL; nothing is lost")
    func checkpointsOffTheWritersPath() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("linkstar.sqlite").path
        // Given a server's database whose background checkpoint starts at 20 pages.
        let server = try WorkspaceDatabase.openFile(at: path, access: .pool, clock: { Date() }, logger: .init(label: "test"),
                                                    checkpointPages: 20)
        let checkpoint = try #require(server.backgroundCheckpoint)
        // Its writer's automatic checkpoint is off (SQLite reports 0 once another hook took its place).
        #expect(try await server.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") } == 0)
        _ = try await server.seedDefaults(actor: "setup")

        // When one-observation imports follow one another until a background checkpoint has run.
        var written = 0
        while checkpoint.completed == 0 || written < 30 {
            written += 1
            _ = try server.importObservations([ObservationInput(date: "2026-11-01", channel: "amazon", market: "US", device: "mobile",
                                                                metric: "orders", value: Double(written))], actor: "setup")
            if written > 2000 { break }
            if written % 10 == 0 { try await Task.sleep(for: .milliseconds(5)) }
        }
        // Then a checkpoint ran in the background, soon after the WAL passed the size, not after thousands of writes.
        #expect(checkpoint.completed > 0)
        #expect(written < 2000)

        // And another connection (a process started later) sees every write, the last one included.
        let cli = try WorkspaceDatabase.openFile(at: path, access: .single)
        let values = try await cli.writer.read { db in
            try Double.fetchAll(db, sql: "SELECT value FROM observation")
        }
        #expect(values == [Double(written)])
        let imports = try await cli.imports(limit: 10_000)
        #expect(imports.count == written)
    }

    @Test("a command's commit is flushed to disk; a server's commit survives its process, flushed at each checkpoint")
    func durabilityOfEachAccess() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("linkstar.sqlite").path
        // Given a server's database and a command's, on the same file.
        let server = try WorkspaceDatabase.openFile(at: path, access: .pool, clock: { Date() }, logger: .init(label: "test"),
                                                    checkpointPages: 20)
        let cli = try WorkspaceDatabase.openFile(at: path, access: .single)
        // Then both are in WAL mode; a command commits with FULL (2: the WAL flushed at every commit), the server's
        // writer with NORMAL (1: flushed at every checkpoint), as the README's Workspace section says.
        #expect(try await cli.writer.write { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        #expect(try await cli.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
        #expect(try await server.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 1)
    }
}
