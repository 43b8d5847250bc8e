import Foundation
import GRDB
import GRDBSQLite
import LinkStarCore

/// Where reports take observed values from: the daily totals per segment (`cell`, the fast path every report uses),
/// or the observations themselves (the direct computation the rollup is tested against).
enum CellSource: Sendable {
    case rollup
    case observations
}

/// The daily totals per segment (`cell`, migration 0011): every metric observed on one segment on one day, packed into
/// one row, so a report reads one row per cell instead of one per metric and cell. Imports and reverts rebuild the
/// days they touch inside their own transaction; `CellTable.read(_:metrics:range:filter:source:)` reads it.
enum CellRollup {
    /// Bytes per metric in `packed`: the metric id (4), the value's bits (8), the currency (3 letters or 3 zero bytes).
    static let entrySize = 15

    /// Rebuilds every cell of each day in `days` from the observations: a day's cells are exactly its observations after.
    static func rebuild(_ db: Database, days: some Sequence<Int>) throws {
        for range in ranges(of: days) { try rebuild(db, from: range.lowerBound, to: range.upperBound) }
    }

    /// A day with at most this many touched segments has them rebuilt one by one; with more, the whole day in one scan.
    static let cellsPerDayRebuiltAlone = 8

    /// The cells a write touched, by day. A day with more than `cellsPerDayRebuiltAlone` segments is kept only as a day
    /// (rebuilt whole), so the bookkeeping stays small on big imports.
    struct TouchedCells {
        private(set) var segmentsByDay: [Int: Set<Int64>] = [:]
        private(set) var wholeDays: Set<Int> = []

        /// Records one touched cell.
        mutating func insert(day: Int, segment: Int64) {
            if wholeDays.contains(day) { return }
            segmentsByDay[day, default: []].insert(segment)
            if segmentsByDay[day]!.count > CellRollup.cellsPerDayRebuiltAlone {
                segmentsByDay[day] = nil
                wholeDays.insert(day)
            }
        }
    }

    /// Rebuilds the cells a write touched from the observations: one by one where a day has few (a one-value API write
    /// reads one cell's observations), whole days where it has many (an import of whole exports).
    static func rebuild(_ db: Database, touched: TouchedCells) throws {
        for (day, segments) in touched.segmentsByDay.sorted(by: { $0.key < $1.key }) {
            for segment in segments.sorted() { try rebuildCell(db, day: day, segment: segment) }
        }
        try rebuild(db, days: touched.wholeDays)
    }

    /// Rebuilds every cell from the observations (the migration that adds the table, and repairs).
    static func rebuildAll(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM cell")
        guard let row = try Row.fetchOne(db, sql: "SELECT min(day), max(day) FROM observation"),
              let first = row[0] as Int?, let last = row[1] as Int? else { return }
        try rebuild(db, from: first, to: last)
    }

    /// Days merged into ascending ranges of consecutive days.
    static func ranges(of days: some Sequence<Int>) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for day in Set(days).sorted() {
            if let last = result.last, last.upperBound + 1 == day { result[result.count - 1] = last.lowerBound...day } else { result.append(day...day) }
        }
        return result
    }

    /// Calls `body` with each entry of a packed cell: metric id, value, and the currency's 3 bytes (nil without currency).
    @inline(__always)
    static func forEachEntry(_ bytes: UnsafeRawBufferPointer, _ body: (Int64, Double, UnsafeRawBufferPointer?) -> Void) {
        var offset = 0
        while offset + entrySize <= bytes.count {
            let id = Int64(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
            let value = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt64.self)))
            let currency = bytes[offset + 12] == 0 ? nil : UnsafeRawBufferPointer(rebasing: bytes[(offset + 12)..<(offset + 15)])
            body(id, value, currency)
            offset += entrySize
        }
    }

    private static func rebuild(_ db: Database, from first: Int, to last: Int) throws {
        try db.execute(sql: "DELETE FROM cell WHERE day BETWEEN ? AND ?", arguments: [first, last])
        let read = try db.cachedStatement(sql: """
            SELECT day, segment_id, metric_id, value, currency FROM observation
            WHERE day BETWEEN ?1 AND ?2 ORDER BY day, segment_id, metric_id
            """)
        try pack(db, read, Int64(first), Int64(last))
    }

    private static func rebuildCell(_ db: Database, day: Int, segment: Int64) throws {
        try db.execute(sql: "DELETE FROM cell WHERE day = ? AND segment_id = ?", arguments: [day, segment])
        let read = try db.cachedStatement(sql: """
            SELECT day, segment_id, metric_id, value, currency FROM observation
            WHERE day = ?1 AND segment_id = ?2 ORDER BY metric_id
            """)
        try pack(db, read, Int64(day), segment)
    }

    /// Steps `read` (bound to the two arguments; rows of day, segment_id, metric_id, value, currency in key order)
    /// and inserts one packed cell per day and segment.
    private static func pack(_ db: Database, _ read: Statement, _ first: Int64, _ second: Int64) throws {
        let insert = try db.cachedStatement(sql: "INSERT INTO cell (day, segment_id, packed) VALUES (?1, ?2, ?3)")
        let w = insert.sqliteStatement
        try forEachPackedCell(db, read, first, second) { day, segment, bytes in
            sqlite3_bind_int64(w, 1, day)
            sqlite3_bind_int64(w, 2, segment)
            // Bound without a copy: the step runs while the bytes are alive.
            sqlite3_bind_blob(w, 3, bytes.baseAddress, Int32(bytes.count), nil)
            let code = sqlite3_step(w)
            sqlite3_reset(w)
            try check(code, db, insert)
        }
    }

    /// The number of cells that differ from what the observations say (missing, extra, or with other values):
    /// 0 for a rollup that is exactly its observations. Reads every observation and every cell once, in key order.
    static func differingCells(_ db: Database) throws -> Int {
        let cells = try db.makeStatement(sql: "SELECT day, segment_id, packed FROM cell ORDER BY day, segment_id")
        let c = cells.sqliteStatement
        defer { sqlite3_reset(c) }
        var differing = 0
        func next() throws -> (day: Int64, segment: Int64)? {
            let code = sqlite3_step(c)
            if code == SQLITE_DONE { return nil }
            try check(code, db, cells)
            return (sqlite3_column_int64(c, 0), sqlite3_column_int64(c, 1))
        }
        var stored = try next()
        if let row = try Row.fetchOne(db, sql: "SELECT min(day), max(day) FROM observation"), let first = row[0] as Int64?, let last = row[1] as Int64? {
            let read = try db.makeStatement(sql: """
                SELECT day, segment_id, metric_id, value, currency FROM observation
                WHERE day BETWEEN ?1 AND ?2 ORDER BY day, segment_id, metric_id
                """)
            try forEachPackedCell(db, read, first, last) { day, segment, bytes in
                while let key = stored, (key.day, key.segment) < (day, segment) {
                    differing += 1          // a cell without observations
                    stored = try next()
                }
                guard let key = stored, key.day == day, key.segment == segment else {
                    differing += 1          // observations without their cell
                    return
                }
                var same = false
                if let blob = sqlite3_column_blob(c, 2), let expected = bytes.baseAddress, sqlite3_column_bytes(c, 2) == Int32(bytes.count) {
                    same = memcmp(blob, expected, bytes.count) == 0
                }
                if !same { differing += 1 }
                stored = try next()
            }
        }
        while stored != nil {
            differing += 1
            stored = try next()
        }
        return differing
    }

    /// Steps `read` (bound to the two arguments; rows of day, segment_id, metric_id, value, currency in key order)
    /// and calls `body` with each cell's day, segment and packed bytes (valid during the call).
    private static func forEachPackedCell(_ db: Database, _ read: Statement, _ first: Int64, _ second: Int64,
                                          _ body: (Int64, Int64, UnsafeRawBufferPointer) throws -> Void) throws {
        let r = read.sqliteStatement
        sqlite3_bind_int64(r, 1, first)
        sqlite3_bind_int64(r, 2, second)
        defer { sqlite3_reset(r) }
        var packed: [UInt8] = []
        packed.reserveCapacity(entrySize * 32)
        var current: (day: Int64, segment: Int64)?

        func writeCurrent() throws {
            guard let cell = current, !packed.isEmpty else { return }
            try packed.withUnsafeBytes { bytes in try body(cell.day, cell.segment, bytes) }
            packed.removeAll(keepingCapacity: true)
        }

        while true {
            let code = sqlite3_step(r)
            if code == SQLITE_DONE { break }
            try check(code, db, read)
            let day = sqlite3_column_int64(r, 0), segment = sqlite3_column_int64(r, 1), metric = sqlite3_column_int64(r, 2)
            if current == nil || current!.day != day || current!.segment != segment {
                try writeCurrent()
                current = (day, segment)
            }
            guard let id = Int32(exactly: metric) else {
                throw DatabaseError(resultCode: .SQLITE_RANGE, message: "metric id \(metric) does not fit the cell rollup", sql: read.sql)
            }
            withUnsafeBytes(of: id.littleEndian) { packed.append(contentsOf: $0) }
            withUnsafeBytes(of: sqlite3_column_double(r, 3).bitPattern.littleEndian) { packed.append(contentsOf: $0) }
            if sqlite3_column_type(r, 4) == SQLITE_NULL {
                packed.append(contentsOf: [0, 0, 0])
            } else {
                // The importers write 3 ASCII letters; anything else is refused rather than cut.
                guard sqlite3_column_bytes(r, 4) == 3, let text = sqlite3_column_text(r, 4) else {
                    throw DatabaseError(resultCode: .SQLITE_RANGE, message: "a currency of metric id \(metric) is not 3 ASCII letters", sql: read.sql)
                }
                packed.append(contentsOf: UnsafeBufferPointer(start: text, count: 3))
            }
        }
        try writeCurrent()
    }

    private static func check(_ code: Int32, _ db: Database, _ statement: Statement) throws {
        guard code == SQLITE_DONE || code == SQLITE_ROW || code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
        }
    }
}

extension CellTable {
    /// Reads the values of `metrics` over `range` on the concrete segments inside `filter`, from the daily totals per
    /// segment (`.rollup`) or from the observations (`.observations`). Both give the same table: the same cells in the same
    /// order (day, then segment id) with the same values, so every number computed from it is the same to the last digit.
    static func read(_ db: Database, metrics: [String], range: DayRange, filter: Segment, source: CellSource) throws -> CellTable {
        switch source {
        case .observations: return try read(db, metrics: metrics, range: range, filter: filter)
        case .rollup: return try readRollup(db, metrics: metrics, range: range, filter: filter)
        }
    }

    private static func readRollup(_ db: Database, metrics: [String], range: DayRange, filter: Segment) throws -> CellTable {
        var table = CellTable(metrics: metrics)
        let keyById = try ObservationQueries.metricIds(db, metrics)
        guard let maxId = keyById.keys.max(), maxId < 1 << 20, keyById.keys.allSatisfy({ $0 >= 0 }) else { return table }
        let segments = try ObservationQueries.segments(db, filter: filter)
        guard !segments.isEmpty else { return table }
        // Metric position by id (-1: not asked for): an array read per value, no hashing.
        var metricPosition = [Int](repeating: -1, count: Int(maxId) + 1)
        for (id, key) in keyById { if let m = table.index(of: key) { metricPosition[Int(id)] = m } }
        var segmentPositionById: [Int64: Int] = [:]
        let statement = try db.cachedStatement(sql: "SELECT day, segment_id, packed FROM cell WHERE day BETWEEN ?1 AND ?2")
        let s = statement.sqliteStatement
        sqlite3_bind_int64(s, 1, Int64(range.from.ordinal))
        sqlite3_bind_int64(s, 2, Int64(range.to.ordinal))
        defer { sqlite3_reset(s) }
        while true {
            let code = sqlite3_step(s)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
            }
            let segmentId = sqlite3_column_int64(s, 1)
            // A segment gets its position at its first wanted value, as in the direct read (which never sees the others).
            var position = segmentPositionById[segmentId] ?? -1
            if position < 0 && segments[segmentId] == nil { continue }
            let day = Int(sqlite3_column_int64(s, 0))
            guard let blob = sqlite3_column_blob(s, 2) else { continue }
            let bytes = UnsafeRawBufferPointer(start: blob, count: Int(sqlite3_column_bytes(s, 2)))
            CellRollup.forEachEntry(bytes) { id, value, currency in
                guard id >= 0, id < metricPosition.count else { return }
                let m = metricPosition[Int(id)]
                guard m >= 0 else { return }
                if position < 0 {
                    position = table.position(of: segments[segmentId]!)
                    segmentPositionById[segmentId] = position
                }
                table.add(segment: position, day: day, metric: m, value: value,
                          currency: currency.map { String(decoding: $0, as: UTF8.self) })
            }
        }
        return table
    }
}
