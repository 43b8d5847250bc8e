import Foundation
import GRDB
import GRDBSQLite

extension Database {
    /// Runs `body` in a transaction begun and ended by cached statements: prepared once per connection, where GRDB's
    /// `inTransaction` and `read` prepare `BEGIN` and `COMMIT` again for every transaction (about 15,000 instructions
    /// each). Rolled back when `body` throws or returns `.rollback`, and when the commit fails; the first error is thrown.
    /// Not nested: the connection must be outside a transaction (GRDB's savepoints are for that).
    func inCachedTransaction(_ kind: TransactionKind, _ body: () throws -> TransactionCompletion) throws {
        precondition(sqlite3_get_autocommit(sqliteConnection) != 0, "inCachedTransaction inside a transaction")
        try cachedStatement(sql: kind == .deferred ? "BEGIN DEFERRED" : kind == .exclusive ? "BEGIN EXCLUSIVE" : "BEGIN IMMEDIATE")
            .execute()
        do {
            switch try body() {
            case .commit: try cachedStatement(sql: "COMMIT").execute()
            case .rollback: try cachedStatement(sql: "ROLLBACK").execute()
            }
        } catch {
            // SQLite may have rolled back already (an I/O error, a full disk): then there is nothing to end.
            if sqlite3_get_autocommit(sqliteConnection) == 0 { try? cachedStatement(sql: "ROLLBACK").execute() }
            throw error
        }
    }

    /// `value` read in one deferred transaction begun and ended by cached statements (`inCachedTransaction`). It ends
    /// with a rollback: a read keeps nothing, and to GRDB's transaction observers (on a writer connection) a rollback is
    /// no commit. A statement that wrote makes it throw, and what it wrote is gone. (Not `PRAGMA query_only`: setting
    /// it expires every statement the connection prepared.)
    func inCachedReadTransaction<T>(_ value: (Database) throws -> T) throws -> T {
        var result: T?
        try inCachedTransaction(.deferred) {
            result = try value(self)
            guard sqlite3_txn_state(sqliteConnection, nil) != SQLITE_TXN_WRITE else {
                throw DatabaseError(resultCode: .SQLITE_READONLY, message: "a read wrote to the database: nothing was kept")
            }
            return .rollback
        }
        return result!
    }
}
