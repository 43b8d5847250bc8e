import Foundation
import GRDB
import GRDBSQLite

// Statements prepared once per connection and stepped directly: the transactions the server's hot paths begin and end,
// and the single values they read.

extension Database {
    /// Runs `body` in a transaction begun and ended by cached statements: prepared once per connection, where GRDB's
    /// `inTransaction` and `read` prepare `BEGIN` and `COMMIT` again for every transaction (about 15,000 instructions
    /// each). Rolled back when `body` throws or returns `.rollback`, and when the commit fails; the first error is thrown.
    /// Not nested: the connection must be outside a transaction (GRDB's savepoints are for that).
    func inCachedTransaction(_ kind: TransactionKind, _ body: () throws -> TransactionCompletion) throws {
        guard sqlite3_get_autocommit(sqliteConnection) != 0 else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "a transaction of cached statements cannot begin inside another")
        }
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

/// A value bound to a statement stepped directly (`Database.firstValue`, `Database.execute(cached:_:)`).
enum DirectArgument {
    case int(Int64)
    case text(String)
    case null

    /// A text, or NULL for nil.
    static func text(_ value: String?) -> DirectArgument { value.map { .text($0) } ?? .null }
    /// An integer from an `Int`.
    static func int(_ value: Int) -> DirectArgument { .int(Int64(value)) }
    /// A boolean as GRDB stores one: 1 or 0.
    static func bool(_ value: Bool) -> DirectArgument { .int(value ? 1 : 0) }
}

extension Database {
    /// The first row of the cached statement `sql` (nil: no row), with `arguments` bound to ?1, ?2, …, read from the
    /// statement by `read` while it is at the row: stepped directly, where GRDB's generic `fetchOne` looks up type
    /// metadata on every call (reports and writes ask several of these per request).
    func firstRow<T>(cached sql: String, _ arguments: [DirectArgument] = [], _ read: (OpaquePointer) throws -> T) throws -> T? {
        let statement = try cachedStatement(sql: sql)
        let s = statement.sqliteStatement
        defer {
            sqlite3_reset(s)
            sqlite3_clear_bindings(s)
        }
        for (index, argument) in arguments.enumerated() {
            let position = Int32(index + 1)
            switch argument {
            case .int(let value): sqlite3_bind_int64(s, position, value)
            case .text(let value):
                // Copied by SQLite (SQLITE_TRANSIENT): the Swift string's bytes live only during the call. Up to a NUL, as
                // GRDB binds a string.
                sqlite3_bind_text(s, position, value, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            case .null: sqlite3_bind_null(s, position)
            }
        }
        let code = sqlite3_step(s)
        try checkStep(code, statement)
        return code == SQLITE_ROW ? try read(s) : nil
    }

    /// Throws SQLite's error for a step of `statement` (stepped directly) that neither produced a row nor finished.
    func checkStep(_ code: Int32, _ statement: Statement) throws {
        guard code == SQLITE_DONE || code == SQLITE_ROW || code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqliteConnection)), sql: statement.sql)
        }
    }

    /// Runs the cached statement `sql` (an insert or an update) with `arguments` bound to ?1, ?2, …, stepped directly:
    /// GRDB's `execute(arguments:)` boxes every value as a `DatabaseValue` first. SQLite's errors are thrown as GRDB's.
    func execute(cached sql: String, _ arguments: [DirectArgument]) throws {
        _ = try firstRow(cached: sql, arguments) { _ in () }
    }

    /// `firstRow`'s first column (nil: no row, or NULL).
    func firstValue<T>(cached sql: String, _ arguments: [DirectArgument] = [], _ read: (OpaquePointer) -> T) throws -> T? {
        try firstRow(cached: sql, arguments) { s in sqlite3_column_type(s, 0) == SQLITE_NULL ? nil : read(s) } ?? nil
    }

    /// `firstValue` as an Int64.
    func firstInt64(cached sql: String, _ arguments: [DirectArgument] = []) throws -> Int64? {
        try firstValue(cached: sql, arguments) { sqlite3_column_int64($0, 0) }
    }

    /// `firstValue` as text.
    func firstText(cached sql: String, _ arguments: [DirectArgument] = []) throws -> String? {
        try firstValue(cached: sql, arguments) { s in
            let count = Int(sqlite3_column_bytes(s, 0))
            guard let bytes = sqlite3_column_text(s, 0) else { return "" }
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
    }
}
