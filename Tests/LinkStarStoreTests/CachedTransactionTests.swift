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
