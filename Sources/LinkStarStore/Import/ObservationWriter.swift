import Foundation
import GRDB
import GRDBSQLite
import LinkStarCore

/// Upserts observations through prepared statements, counting what each one did.
/// Works inside the caller's transaction; the hot path binds integers directly (no allocation per row).
/// The per-row state is marked `@exclusivity(unchecked)`: it is private, only this writer's methods touch it, never
/// through a closure and never concurrently (one import, one thread), and the run-time checks were a tenth of a row's cost.
final class ObservationWriter {
    enum Outcome { case inserted, updated, unchanged, duplicate }

    let db: Database
    let importId: Int64
    private let insert: Statement
    private let select: Statement
    private let update: Statement
    private let touch: Statement
    private let keep: Statement
    /// The multi-row insert, prepared on the first full batch (its 1,536 numbered parameters make it slow to prepare).
    private var insertManyStatement: Statement?
    private let savepoint: Statement
    private let release: Statement
    private let rollbackTo: Statement
    /// Rows per multi-row insert.
    static let batchSize = 256

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

    @exclusivity(unchecked) private var pending: [Pending] = []
    /// The days this import wrote per series, for `series_span`: per segment (its index in `spanIndex`), each metric's
    /// first and last day. Rows of one segment come together, so most rows find their segment without hashing.
    @exclusivity(unchecked) private var spanIndex: [Int64: Int] = [:]
    @exclusivity(unchecked) private var spanLists: [[SeriesSpan]] = []
    @exclusivity(unchecked) private var lastSpanSegment: (segment: Int64, index: Int)?
    /// The cells this import wrote on days that already had cells, rebuilt from the observations at the end.
    @exclusivity(unchecked) private var touched = CellRollup.TouchedCells()
    @exclusivity(unchecked) private var lastCell: (day: Int32, segment: Int64)?
    /// The cells of days that had none before: built from the inserted values.
    @exclusivity(unchecked) private var freshDays = CellRollup.FreshDays()
    /// The days this import has written on: those not in `freshDays` go through `touched`.
    @exclusivity(unchecked) private var seenDays: Set<Int32> = []
    @exclusivity(unchecked) private var lastDay: (day: Int32, hadCells: Bool)?
    private let freshEntryLimit: Int

    struct SeriesSpan {
        var metric: Int64
        var first: Int32
        var last: Int32
    }
    private(set) var inserted = 0
    private(set) var updated = 0
    private(set) var unchanged = 0

    /// `freshEntryLimit`: values kept for fresh days before they are written out (tests lower it).
    init(_ db: Database, importId: Int64, freshEntryLimit: Int = CellRollup.FreshDays.maxEntries) throws {
        self.db = db
        self.importId = importId
        self.freshEntryLimit = freshEntryLimit
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
        if try hadCells(day), lastCell?.day != day || lastCell?.segment != segment {
            lastCell = (day, segment)
            touched.insert(day: Int(day), segment: segment)
        }
        noteSpan(segment: segment, metric: metric, day: day)
        return pending.count == Self.batchSize ? try flush() : []
    }

    /// Whether `day` has cells to splice into (it had some when this import first wrote on it, or they were written
    /// since); a day without is kept in `freshDays`.
    private func hadCells(_ day: Int32) throws -> Bool {
        if let lastDay, lastDay.day == day { return lastDay.hadCells }
        if seenDays.insert(day).inserted, try !CellRollup.hasCells(db, day: day) { freshDays.begin(day) }
        let had = !freshDays.contains(day)
        lastDay = (day, had)
        return had
    }

    /// Moves a fresh day to the rebuilt ones: its cells will be read from its observations.
    private func rebuildWhole(_ day: Int32) {
        freshDays.release(day)
        lastDay = nil
        touched.insertWholeDay(Int(day))
    }

    /// Keeps a value inserted on a fresh day; past `FreshDays.maxEntries` kept values, every fresh day is written out
    /// (later writes on those days go through `touched`).
    private func keepInserted(_ row: Pending) {
        guard freshDays.contains(row.day) else { return }
        if !freshDays.append(day: row.day, segment: row.segment, metric: row.metric, value: row.value, currency: row.currency) {
            rebuildWhole(row.day)
        }
    }

    private func writeFreshDaysIfFull() throws {
        guard freshDays.count >= freshEntryLimit else { return }
        try freshDays.writeAllButCurrent(db, limit: freshEntryLimit)
        lastDay = nil
    }

    private func noteSpan(segment: Int64, metric: Int64, day: Int32) {
        let index: Int
        if let last = lastSpanSegment, last.segment == segment {
            index = last.index
        } else if let found = spanIndex[segment] {
            index = found
        } else {
            index = spanLists.count
            spanLists.append([])
            spanIndex[segment] = index
        }
        lastSpanSegment = (segment, index)
        if let i = spanLists[index].firstIndex(where: { $0.metric == metric }) {
            if day < spanLists[index][i].first { spanLists[index][i].first = day }
            if day > spanLists[index][i].last { spanLists[index][i].last = day }
        } else {
            spanLists[index].append(SeriesSpan(metric: metric, first: day, last: day))
        }
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
                for row in pending { keepInserted(row) }
                try writeFreshDaysIfFull()
                return []
            }
            try run(rollbackTo)
            try run(release)
        }
        var duplicates: [Int] = []
        for row in pending {
            switch try upsert(metric: row.metric, segment: row.segment, day: row.day, value: row.value, currency: row.currency) {
            case .inserted:
                inserted += 1
                keepInserted(row)
            case .updated:
                updated += 1
                if freshDays.contains(row.day) { rebuildWhole(row.day) }
            case .unchanged:
                unchanged += 1
                if freshDays.contains(row.day) { rebuildWhole(row.day) }
            case .duplicate: duplicates.append(row.tag)
            }
        }
        try writeFreshDaysIfFull()
        return duplicates
    }

    /// Widens each written series' span (an import only ever adds days). Call after the last flush, in the same transaction.
    func writeSpans() throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO series_span (segment_id, metric_id, first_day, last_day) VALUES (?, ?, ?, ?)
            ON CONFLICT (segment_id, metric_id) DO UPDATE SET first_day = min(first_day, excluded.first_day), last_day = max(last_day, excluded.last_day)
            """)
        for (segment, index) in spanIndex {
            for span in spanLists[index] {
                try statement.execute(arguments: [segment, span.metric, Int(span.first), Int(span.last)])
            }
        }
        spanIndex.removeAll()
        spanLists.removeAll()
        lastSpanSegment = nil
    }

    /// Rebuilds the daily rollup's cells this import wrote. Call after the last flush, in the same transaction.
    func writeCells() throws {
        try freshDays.writeAll(db)
        try CellRollup.rebuild(db, touched: touched)
        touched = CellRollup.TouchedCells()
        lastCell = nil
        seenDays.removeAll()
        lastDay = nil
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
