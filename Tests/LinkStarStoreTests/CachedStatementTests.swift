import Foundation
import GRDB
import LinkStarCore
import Testing
@testable import LinkStarStore

/// Transactions begun and ended by cached statements (`inCachedTransaction`): what GRDB's `inTransaction` and `read` do,
/// without preparing `BEGIN` and `COMMIT` again each time.
@Suite("Cached transactions")
struct CachedTransactionTests {
    static func pool() throws -> (DatabasePool, URL) {
        let folder = try Fixture.temporaryDirectory()
        let pool = try DatabasePool(path: folder.appendingPathComponent("t.sqlite").path)
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
            try db.execute(sql: "CREATE TABLE child (parent INTEGER NOT NULL REFERENCES t(id) DEFERRABLE INITIALLY DEFERRED)")
        }
        return (pool, folder)
    }

    static func values(_ pool: DatabasePool) throws -> [Int] { try pool.read { db in try Int.fetchAll(db, sql: "SELECT value FROM t ORDER BY id") } }

    struct Refused: Error {}

    @Test("a commit keeps every statement; a rollback, an error in the body or a failed commit keeps none, and the connection is usable after")
    func commitAndRollback() throws {
        let (pool, folder) = try Self.pool()
        defer { try? FileManager.default.removeItem(at: folder) }
        try pool.writeWithoutTransaction { db in
            // Given: committed.
            try db.inCachedTransaction(.immediate) {
                try db.execute(sql: "INSERT INTO t (value) VALUES (1), (2)")
                return .commit
            }
            // Rolled back by the body's choice.
            try db.inCachedTransaction(.immediate) {
                try db.execute(sql: "INSERT INTO t (value) VALUES (3)")
                return .rollback
            }
            // Rolled back by the body's error, which is the one thrown.
            #expect(throws: Refused.self) {
                try db.inCachedTransaction(.immediate) {
                    try db.execute(sql: "INSERT INTO t (value) VALUES (4)")
                    throw Refused()
                }
            }
            // A commit that fails (a deferred foreign key checked at COMMIT): rolled back, SQLite's error thrown.
            #expect(throws: DatabaseError.self) {
                try db.inCachedTransaction(.immediate) {
                    try db.execute(sql: "PRAGMA foreign_keys = ON")
                    try db.execute(sql: "INSERT INTO t (value) VALUES (5)")
                    try db.execute(sql: "INSERT INTO child (parent) VALUES (999)")
                    return .commit
                }
            }
            #expect(!db.isInsideTransaction)
            // Not nested: inside another transaction it refuses to begin, and that transaction goes on.
            try db.execute(sql: "BEGIN")
            #expect(throws: DatabaseError.self) { try db.inCachedTransaction(.immediate) { .commit } }
            #expect(db.isInsideTransaction)
            try db.execute(sql: "ROLLBACK")
            // The same cached statements begin the next transaction.
            try db.inCachedTransaction(.immediate) {
                try db.execute(sql: "INSERT INTO t (value) VALUES (6)")
                return .commit
            }
        }
        // Then only the committed rows are there.
        #expect(try Self.values(pool) == [1, 2, 6])
    }

    @Test("a read sees one snapshot: a commit made while it reads is not in it; the next read sees it")
    func readIsOneSnapshot() throws {
        let (pool, folder) = try Self.pool()
        defer { try? FileManager.default.removeItem(at: folder) }
        try pool.write { db in try db.execute(sql: "INSERT INTO t (value) VALUES (1)") }
        let (first, second) = try pool.unsafeRead { db in
            try db.inCachedReadTransaction { db in
                let first = try Int.fetchAll(db, sql: "SELECT value FROM t")
                // Another connection commits between the two statements of the read.
                try pool.write { db in try db.execute(sql: "INSERT INTO t (value) VALUES (2)") }
                return (first, try Int.fetchAll(db, sql: "SELECT value FROM t"))
            }
        }
        #expect(first == [1] && second == [1])
        let after = try pool.unsafeRead { db in try db.inCachedReadTransaction { db in try Int.fetchAll(db, sql: "SELECT value FROM t ORDER BY id") } }
        #expect(after == [1, 2])
        // And an error in a read ends its transaction: the connection reads again afterwards.
        #expect(throws: Refused.self) {
            try pool.unsafeRead { db in try db.inCachedReadTransaction { _ -> Int in throw Refused() } }
        }
        #expect(try pool.unsafeRead { db in db.isInsideTransaction } == false)
    }
}

/// One value read by stepping a cached statement directly (`Database.firstValue`), as GRDB's `fetchOne` reads it.
@Suite("First values stepped directly")
struct FirstValueTests {
    @Test("ints and texts as fetchOne gives them: no row and NULL are nil, arguments bound in order, text in any script; the statement is reusable")
    func sameAsFetchOne() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE s (key TEXT PRIMARY KEY, value TEXT, n INTEGER)")
            try db.execute(sql: "INSERT INTO s VALUES ('a', '转化 ✓', 7), ('b', NULL, NULL), ('c', 'plain', -9007199254740993), ('d', 'x' || char(0) || 'y', 1)")
            for key in ["a", "b", "c", "missing"] {
                let text = try db.firstText(cached: "SELECT value FROM s WHERE key = ?1", [.text(key)])
                #expect(text == (try String.fetchOne(db, sql: "SELECT value FROM s WHERE key = ?", arguments: [key])), "\(key)")
                let number = try db.firstInt64(cached: "SELECT n FROM s WHERE key = ?1 AND n <> ?2", [.text(key), .int(0)])
                #expect(number == (try Int64.fetchOne(db, sql: "SELECT n FROM s WHERE key = ? AND n <> 0", arguments: [key])), "\(key)")
            }
            // A NUL inside a text is kept (GRDB's String stops at it).
            #expect(try db.firstText(cached: "SELECT value FROM s WHERE key = ?1", [.text("d")]) == "x\u{0}y")
            // A RETURNING statement's change is made in its one step.
            #expect(try db.firstInt64(cached: "UPDATE s SET n = n + 1 WHERE key = ?1 RETURNING n", [.text("a")]) == 8)
            #expect(try Int64.fetchOne(db, sql: "SELECT n FROM s WHERE key = 'a'") == 8)
            // SQLite's error is thrown, with the statement's text.
            #expect(throws: DatabaseError.self) { try db.firstInt64(cached: "SELECT abs(-9223372036854775808)") }
        }
    }

    @Test("an insert stepped directly stores what GRDB's execute stores: texts (empty; up to a NUL), NULL, ints, booleans; errors as GRDB's")
    func executeSameAsGRDB() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE w (id INTEGER PRIMARY KEY, t TEXT, u TEXT, n INTEGER, b INTEGER)")
            let rows: [(String?, String?, Int, Bool)] = [("转化 ✓", nil, 7, true), ("", "x\u{0}y", -9_007_199_254_740_993, false), ("plain", "", 0, true)]
            for (index, (t, u, n, b)) in rows.enumerated() {
                try db.execute(cached: "INSERT INTO w (id, t, u, n, b) VALUES (?1, ?2, ?3, ?4, ?5)", [.int(index * 2), .text(t), .text(u), .int(n), .bool(b)])
                try db.execute(sql: "INSERT INTO w (id, t, u, n, b) VALUES (?, ?, ?, ?, ?)", arguments: [index * 2 + 1, t, u, n, b])
            }
            let columns = "SELECT t, u, n, b, typeof(t) AS tt, typeof(u) AS tu, length(CAST(u AS BLOB)) AS lu FROM w WHERE id = ?"
            for index in rows.indices {
                let direct = try Row.fetchOne(db, sql: columns, arguments: [index * 2])
                let viaGRDB = try Row.fetchOne(db, sql: columns, arguments: [index * 2 + 1])
                #expect(direct != nil && direct == viaGRDB, "row \(index)")
            }
            // A constraint failure is thrown as GRDB throws it, and the statement is usable after.
            try db.execute(sql: "CREATE UNIQUE INDEX w_t ON w (t) WHERE id >= 100")
            try db.execute(sql: "INSERT INTO w (id, t) VALUES (100, 'taken')")
            let direct = #expect(throws: DatabaseError.self) { try db.execute(cached: "INSERT INTO w (id, t) VALUES (?1, ?2)", [.int(101), .text("taken")]) }
            let viaGRDB = #expect(throws: DatabaseError.self) { try db.execute(sql: "INSERT INTO w (id, t) VALUES (?, ?)", arguments: [102, "taken"]) }
            #expect(direct?.resultCode == viaGRDB?.resultCode && direct?.extendedResultCode == viaGRDB?.extendedResultCode)
            try db.execute(cached: "INSERT INTO w (id, t) VALUES (?1, ?2)", [.int(101), .text("new")])
            #expect(try String.fetchOne(db, sql: "SELECT t FROM w WHERE id = 101") == "new")
        }
    }
}

/// Answers computed again right after this process's own write read on the writer connection (`afterOwnWrite`).
@Suite("Reads after the process's own write")
struct ReadsAfterOwnWriteTests {
    @Test("on the writer: the same funnel as a reader's, nothing written, and no commit seen by the observers")
    func readOnWriter() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Given a server's database with data and a commit observer.
        let server = try WorkspaceDatabase.openFile(at: folder.appendingPathComponent("linkstar.sqlite").path, access: .pool,
                                                    clock: { Date() }, logger: .init(label: "test"))
        _ = try await server.seedDefaults(actor: "setup")
        let commits = Counter()
        let observation = server.observeCommits { _ in commits.add() }
        _ = try server.importObservations([
            ObservationInput(date: "2026-11-01", channel: "amazon", market: "US", device: "mobile", metric: "sessions", value: 1000),
            ObservationInput(date: "2026-11-01", channel: "amazon", market: "US", device: "mobile", metric: "orders", value: 30),
        ], actor: "setup")
        #expect(commits.value == 1)
        let period = try DayRange(parsing: "2026-11-01..2026-11-30")

        // When the funnel is read as a refresh (on the writer) and as a request (on a reader).
        let refreshed = try await WorkspaceDatabase.afterOwnWrite { try await server.funnel(period: period) }
        let requested = try await server.funnel(period: period)

        // Then both are the same answer, with the import's orders, and the refresh's read was no commit to observers.
        #expect(refreshed == requested)
        #expect(refreshed.stages.first { $0.metric == "orders" }?.volume == 30)
        #expect(commits.value == 1)
        // And a read on the writer cannot write.
        await #expect(throws: DatabaseError.self) {
            try await WorkspaceDatabase.afterOwnWrite {
                try server.readHere { db in try db.execute(sql: "DELETE FROM observation") }
            }
        }
        #expect(try await server.funnel(period: period) == requested)
        withExtendedLifetime(observation) {}
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }
}
