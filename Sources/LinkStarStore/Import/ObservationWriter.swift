import Foundation
import GRDB
import GRDBSQLite
import LinkStarCore

/// Upserts observations through prepared statements, counting what each one did.
/// Works inside the caller's transaction; the hot path binds integers directly (no allocation per row).
final class ObservationWriter {
    enum Outcome { case inserted, updated, unchanged, duplicate }

    let db: Database
    let importId: Int64
    private let insert: Statement
    private let select: Statement
    private let update: Statement
    private let touch: Statement
    private let keep: Statement
    /// The multi-row insert, prepared on the first full batch (its 384 numbered parameters make it slow to prepare).
    private var insertManyStatement: Statement?
    private let savepoint: Statement
    private let release: Statement
    private let rollbackTo: Statement
    /// Rows per multi-row insert.
    static let batchSize = 64

    /// A value waiting in the current batch.
    struct Pending {
        var metric: Int64
        var segment: Int64
        var day: Int32
        var value: Double
        var currency: UnsafePointer<CChar>?
        /// Caller's tag (the row index), handed back with duplicates.
        var tag: Int
    }

    private var pending: [Pending] = []
    /// The days this import wrote per series (segment, metric), for `series_span`.
    private var spans: [SeriesKey: (first: Int32, last: Int32)] = [:]
    /// The cells this import wrote, for the daily rollup (`cell`).
    private var touched = CellRollup.TouchedCells()
    private var lastCell: (day: Int32, segment: Int64)?

    struct SeriesKey: Hashable {
        var segment: Int64
        var metric: Int64
    }
    private(set) var inserted = 0
    private(set) var updated = 0
    private(set) var unchanged = 0

    init(_ db: Database, importId: Int64) throws {
        self.db = db
        self.importId = importId
        // Prepared once per connection (an API write of one value is one short import).
        insert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO observation (metric_id, segment_id, day, value, currency, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        select = try db.cachedStatement(sql: "SELECT value, currency, import_id FROM observation WHERE metric_id = ?1 AND segment_id = ?2 AND day = ?3")
        update = try db.cachedStatement(sql: """
            UPDATE observation SET value = ?4, currency = ?5, import_id = ?6 WHERE metric_id = ?1 AND segment_id = ?2 AND day = ?3
            """)
        touch = try db.cachedStatement(sql: "UPDATE observation SET import_id = ?4 WHERE metric_id = ?1 AND segment_id = ?2 AND day = ?3")
        keep = try db.cachedStatement(sql: """
            INSERT INTO observation_replaced (import_id, metric_id, segment_id, day, value, currency, previous_import_id)
            VALUES (?4, ?1, ?2, ?3, ?5, ?6, ?7)
            """)
        savepoint = try db.cachedStatement(sql: "SAVEPOINT observation_batch")
        release = try db.cachedStatement(sql: "RELEASE observation_batch")
        rollbackTo = try db.cachedStatement(sql: "ROLLBACK TO observation_batch")
        pending.reserveCapacity(Self.batchSize)
    }

    private static let insertManySQL = "INSERT OR IGNORE INTO observation (metric_id, segment_id, day, value, currency, import_id) VALUES "
        + (0..<batchSize).map { i in "(?\(i * 6 + 1), ?\(i * 6 + 2), ?\(i * 6 + 3), ?\(i * 6 + 4), ?\(i * 6 + 5), ?\(i * 6 + 6))" }
            .joined(separator: ", ")

    private func run(_ statement: Statement) throws {
        try check(sqlite3_step(statement.sqliteStatement), statement)
        sqlite3_reset(statement.sqliteStatement)
    }

    /// Queues a value; full batches go in as one multi-row insert. Returns the tags of duplicates found.
    func add(metric: Int64, segment: Int64, day: Int32, value: Double, currency: UnsafePointer<CChar>?, tag: Int) throws -> [Int] {
        pending.append(Pending(metric: metric, segment: segment, day: day, value: value, currency: currency, tag: tag))
        if lastCell?.day != day || lastCell?.segment != segment {
            lastCell = (day, segment)
            touched.insert(day: Int(day), segment: segment)
        }
        let key = SeriesKey(segment: segment, metric: metric)
        if let span = spans[key] {
            if day < span.first || day > span.last { spans[key] = (min(span.first, day), max(span.last, day)) }
        } else {
            spans[key] = (day, day)
        }
        return pending.count == Self.batchSize ? try flush() : []
    }

    /// Writes what is queued. A batch whose rows are all new is one statement; otherwise it is undone
    /// and each row is upserted on its own, which also finds duplicates. Returns the tags of duplicates.
    func flush() throws -> [Int] {
        defer { pending.removeAll(keepingCapacity: true) }
        if pending.count == Self.batchSize {
            let insertMany = try insertManyStatement ?? db.cachedStatement(sql: Self.insertManySQL)
            insertManyStatement = insertMany
            try run(savepoint)
            let s = insertMany.sqliteStatement
            for (i, row) in pending.enumerated() {
                let base = Int32(i * 6)
                sqlite3_bind_int64(s, base + 1, row.metric)
                sqlite3_bind_int64(s, base + 2, row.segment)
                sqlite3_bind_int64(s, base + 3, Int64(row.day))
                sqlite3_bind_double(s, base + 4, row.value)
                bindCurrency(s, base + 5, row.currency)
                sqlite3_bind_int64(s, base + 6, importId)
            }
            try check(sqlite3_step(s), insertMany)
            sqlite3_reset(s)
            if sqlite3_changes(db.sqliteConnection) == Int32(Self.batchSize) {
                try run(release)
                inserted += Self.batchSize
                return []
            }
            try run(rollbackTo)
            try run(release)
        }
        var duplicates: [Int] = []
        for row in pending {
            switch try upsert(metric: row.metric, segment: row.segment, day: row.day, value: row.value, currency: row.currency) {
            case .inserted: inserted += 1
            case .updated: updated += 1
            case .unchanged: unchanged += 1
            case .duplicate: duplicates.append(row.tag)
            }
        }
        return duplicates
    }

    /// Widens each written series' span (an import only ever adds days). Call after the last flush, in the same transaction.
    func writeSpans() throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO series_span (segment_id, metric_id, first_day, last_day) VALUES (?, ?, ?, ?)
            ON CONFLICT (segment_id, metric_id) DO UPDATE SET first_day = min(first_day, excluded.first_day), last_day = max(last_day, excluded.last_day)
            """)
        for (key, span) in spans {
            try statement.execute(arguments: [key.segment, key.metric, Int(span.first), Int(span.last)])
        }
        spans.removeAll()
    }

    /// Rebuilds the daily rollup's cells this import wrote. Call after the last flush, in the same transaction.
    func writeCells() throws {
        try CellRollup.rebuild(db, touched: touched)
        touched = CellRollup.TouchedCells()
        lastCell = nil
    }

    private func check(_ code: Int32, _ statement: Statement) throws {
        guard code == SQLITE_DONE || code == SQLITE_ROW || code == SQLITE_OK else {
            sqlite3_reset(statement.sqliteStatement)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
        }
    }

    private func bindKey(_ s: OpaquePointer, _ metric: Int64, _ segment: Int64, _ day: Int32) {
        sqlite3_bind_int64(s, 1, metric)
        sqlite3_bind_int64(s, 2, segment)
        sqlite3_bind_int64(s, 3, Int64(day))
    }

    private func bindCurrency(_ s: OpaquePointer, _ index: Int32, _ currency: UnsafePointer<CChar>?) {
        if let currency {
            sqlite3_bind_text(s, index, currency, 3, nil)
        } else {
            sqlite3_bind_null(s, index)
        }
    }

    /// Writes one value: insert, update when it differs, or leave it. A key this import already wrote is a duplicate.
    func upsert(metric: Int64, segment: Int64, day: Int32, value: Double, currency: UnsafePointer<CChar>?) throws -> Outcome {
        let i = insert.sqliteStatement
        bindKey(i, metric, segment, day)
        sqlite3_bind_double(i, 4, value)
        bindCurrency(i, 5, currency)
        sqlite3_bind_int64(i, 6, importId)
        let code = sqlite3_step(i)
        try check(code, insert)
        sqlite3_reset(i)
        if sqlite3_changes(db.sqliteConnection) == 1 { return .inserted }

        let s = select.sqliteStatement
        bindKey(s, metric, segment, day)
        try check(sqlite3_step(s), select)
        let oldValue = sqlite3_column_double(s, 0)
        let oldCurrency = sqlite3_column_type(s, 1) == SQLITE_NULL ? nil : String(cString: sqlite3_column_text(s, 1))
        let oldImport = sqlite3_column_int64(s, 2)
        sqlite3_reset(s)
        if oldImport == importId { return .duplicate }
        // Keep what this import replaces (or confirms), so `import revert` can put it back exactly.
        let k = keep.sqliteStatement
        bindKey(k, metric, segment, day)
        sqlite3_bind_int64(k, 4, importId)
        sqlite3_bind_double(k, 5, oldValue)
        sqlite3_bind_int64(k, 7, oldImport)
        // The currency text is bound without a copy, so the step runs while it is alive.
        let keepCode: Int32 = (oldCurrency ?? "").withCString { text in
            if oldCurrency != nil { sqlite3_bind_text(k, 6, text, -1, nil) } else { sqlite3_bind_null(k, 6) }
            return sqlite3_step(k)
        }
        try check(keepCode, keep)
        sqlite3_reset(k)
        let newCurrency = currency.map { String(cString: $0) }
        if oldValue == value && oldCurrency == newCurrency {
            // Same value: remember that this import confirmed it, so a later duplicate in the file is caught.
            let t = touch.sqliteStatement
            bindKey(t, metric, segment, day)
            sqlite3_bind_int64(t, 4, importId)
            try check(sqlite3_step(t), touch)
            sqlite3_reset(t)
            return .unchanged
        }
        let u = update.sqliteStatement
        bindKey(u, metric, segment, day)
        sqlite3_bind_double(u, 4, value)
        bindCurrency(u, 5, currency)
        sqlite3_bind_int64(u, 6, importId)
        try check(sqlite3_step(u), update)
        sqlite3_reset(u)
        return .updated
    }
}

/// Null-terminated currency codes for binding without a copy per row.
final class CurrencyCStrings {
    private var pointers: [UnsafeMutablePointer<CChar>] = []

    /// The pointer for each code, index-aligned with `codes`.
    func pointers(for codes: [String]) -> [UnsafePointer<CChar>] {
        while pointers.count < codes.count { pointers.append(strdup(codes[pointers.count])!) }
        return pointers.map { UnsafePointer($0) }
    }

    deinit { pointers.forEach { free($0) } }
}
