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

/// The daily totals per segment (`cell_day`, migration 0012): every metric observed on each segment on one day, packed
/// into one row per day, so a report over a window reads one row per day instead of one per metric, segment and day.
/// Imports and reverts rebuild the cells they touch inside their own transaction; `CellTable.read(_:metrics:range:filter:source:reference:)`
/// reads it.
enum CellRollup {
    /// Bytes per metric in a cell: the metric id (4), the value's bits (8), the currency (3 letters or 3 zero bytes).
    static let entrySize = 15
    /// Bytes before a cell's metrics in a day's `packed`: the segment id (8) and the number of metrics (4).
    static let cellHeaderSize = 12

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

        /// Records a day to rebuild whole.
        mutating func insertWholeDay(_ day: Int) {
            segmentsByDay[day] = nil
            wholeDays.insert(day)
        }

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

    /// The cells of days that had none before an import (so no observations: the rollup holds every observed day),
    /// built from the values the import inserts instead of read back from `observation`. A day leaves (`release`) when
    /// a write on it did anything but insert, and is written out (`writeAll`) when the kept values pass `maxEntries`,
    /// so memory stays bounded on any import; later writes on such a day go through `TouchedCells` like any other.
    struct FreshDays {
        /// One inserted value: the cell's segment, then the packed entry's fields.
        struct Entry {
            var bits: UInt64
            var segment: Int64
            var metric: Int32
            var currency: (UInt8, UInt8, UInt8)
        }
        /// Values kept before the fresh days but the current one are written out (24 bytes each).
        static let maxEntries = 1 << 17
        /// The kept days but the current one.
        private var entriesByDay: [Int32: [Entry]] = [:]
        /// The day values were last appended to, held outside the dictionary (rows of one day mostly come together).
        private var currentDay: Int32?
        private var current: [Entry] = []
        private(set) var count = 0

        /// Whether values inserted on `day` are kept here.
        func contains(_ day: Int32) -> Bool { day == currentDay || entriesByDay[day] != nil }

        /// Starts keeping a day found without cells.
        mutating func begin(_ day: Int32) { if !contains(day) { entriesByDay[day] = [] } }

        private mutating func makeCurrent(_ day: Int32) {
            if let currentDay { entriesByDay[currentDay] = current }
            current = entriesByDay.removeValue(forKey: day) ?? []
            currentDay = day
        }

        /// Keeps one inserted value of a fresh day (its currency: 3 ASCII letters or none). False when the value cannot
        /// be packed (a metric id past 32 bits, a currency not 3 letters): the caller then rebuilds the day instead.
        mutating func append(day: Int32, segment: Int64, metric: Int64, value: Double, currency: UnsafePointer<CChar>?) -> Bool {
            guard let id = Int32(exactly: metric) else { return false }
            var code: (UInt8, UInt8, UInt8) = (0, 0, 0)
            if let currency {
                guard strlen(currency) == 3 else { return false }
                code = (UInt8(bitPattern: currency[0]), UInt8(bitPattern: currency[1]), UInt8(bitPattern: currency[2]))
            }
            // The bits SQLite gives back: it stores a zero REAL as the integer 0, so -0.0 reads back as +0.0.
            let stored = value == 0 ? 0.0 : value
            if day != currentDay { makeCurrent(day) }
            current.append(Entry(bits: stored.bitPattern, segment: segment, metric: id, currency: code))
            count += 1
            return true
        }

        /// Stops keeping a day (a write on it updated or confirmed a value: it is rebuilt from its observations).
        mutating func release(_ day: Int32) {
            if day == currentDay {
                count -= current.count
                current = []
                currentDay = nil
            } else if let entries = entriesByDay.removeValue(forKey: day) {
                count -= entries.count
            }
        }

        /// Writes every kept day's cells (a day without values writes nothing) and keeps nothing more.
        mutating func writeAll(_ db: Database) throws {
            if let currentDay { entriesByDay[currentDay] = current }
            currentDay = nil
            current = []
            try writeKept(db)
        }

        /// Writes every kept day but the current one (rows of one day mostly come together: it keeps filling), unless
        /// the current day alone holds half of `limit`. A written day is no longer kept (its later writes splice).
        mutating func writeAllButCurrent(_ db: Database, limit: Int) throws {
            if current.count >= limit / 2 { return try writeAll(db) }
            try writeKept(db)
            count = current.count
        }

        private mutating func writeKept(_ db: Database) throws {
            var packed: [UInt8] = []
            for (day, entries) in entriesByDay.sorted(by: { $0.key < $1.key }) where !entries.isEmpty {
                packed.removeAll(keepingCapacity: true)
                Self.pack(entries, into: &packed)
                try CellRollup.write(db, day: Int64(day), packed: packed)
            }
            entriesByDay.removeAll()
            count = 0
        }

        /// A day's cells from its values: in segment order, each cell's entries in metric order, as a rebuild packs them.
        static func pack(_ entries: [Entry], into packed: inout [UInt8]) {
            func before(_ a: Entry, _ b: Entry) -> Bool { a.segment != b.segment ? a.segment < b.segment : a.metric < b.metric }
            var sorted = entries
            if !zip(entries, entries.dropFirst()).allSatisfy({ before($0, $1) }) { sorted.sort(by: before) }
            var cells = sorted.isEmpty ? 0 : 1
            for (a, b) in zip(sorted, sorted.dropFirst()) where a.segment != b.segment { cells += 1 }
            let origin = packed.count
            packed.append(contentsOf: repeatElement(0, count: cells * cellHeaderSize + sorted.count * entrySize))
            packed.withUnsafeMutableBytes { bytes in
                var offset = origin
                var start = 0
                while start < sorted.count {
                    var end = start + 1
                    while end < sorted.count, sorted[end].segment == sorted[start].segment { end += 1 }
                    storeCellHeader(bytes, at: offset, segment: sorted[start].segment, count: end - start)
                    offset += cellHeaderSize
                    for entry in sorted[start..<end] {
                        storeEntry(bytes, at: offset, metric: entry.metric, bits: entry.bits, currency: entry.currency)
                        offset += entrySize
                    }
                    start = end
                }
            }
        }
    }

    /// Whether `day` has cells (a row in `cell_day`).
    static func hasCells(_ db: Database, day: Int32) throws -> Bool {
        try stepDay(db, "SELECT 1 FROM cell_day WHERE day = ?1", day: Int(day)) { $0 != nil }
    }

    /// Steps `sql` (one row of `cell_day` or none, for the day bound to ?1) once, hands `body` the statement at its row
    /// (nil without one), and resets it before returning, so the day's row can be rewritten after.
    static func stepDay<T>(_ db: Database, _ sql: String, day: Int, _ body: (OpaquePointer?) throws -> T) throws -> T {
        try db.firstRow(cached: sql, [.int(Int64(day))], body) ?? body(nil)
    }

    /// Steps `sql` (rows of `cell_day` for the days from ?1 to ?2, bound to `range`), handing `body` the statement at
    /// each row.
    static func stepRange(_ db: Database, _ sql: String, _ range: DayRange, _ body: (OpaquePointer) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: sql)
        let s = statement.sqliteStatement
        sqlite3_bind_int64(s, 1, Int64(range.from.ordinal))
        sqlite3_bind_int64(s, 2, Int64(range.to.ordinal))
        defer { sqlite3_reset(s) }
        while true {
            let code = sqlite3_step(s)
            if code == SQLITE_DONE { return }
            try db.checkStep(code, statement)
            try body(s)
        }
    }

    /// Rebuilds the cells a write touched from the observations: one by one where a day has few (a one-value API write
    /// reads one cell's observations and splices it into its day), whole days where it has many (an import of whole exports).
    static func rebuild(_ db: Database, touched: TouchedCells) throws {
        for (day, segments) in touched.segmentsByDay.sorted(by: { $0.key < $1.key }) {
            try rebuildCells(db, day: day, segments: segments)
        }
        try rebuild(db, days: touched.wholeDays)
    }

    /// Rebuilds every cell from the observations (the migration that adds the table, and repairs). `versioned`: false
    /// only for migration 0012's fill, which runs before 0014 adds the versions.
    static func rebuildAll(_ db: Database, versioned: Bool = true) throws {
        try db.execute(sql: "DELETE FROM cell_day")
        guard let row = try Row.fetchOne(db, sql: "SELECT min(day), max(day) FROM observation"),
              let first = row[0] as Int?, let last = row[1] as Int? else { return }
        try rebuild(db, from: first, to: last, versioned: versioned)
    }

    /// The number of cells (segments on days) the rollup holds.
    static func cellCount(_ db: Database) throws -> Int {
        var count = 0
        let statement = try db.makeStatement(sql: "SELECT packed FROM cell_day")
        let s = statement.sqliteStatement
        defer { sqlite3_reset(s) }
        while true {
            let code = sqlite3_step(s)
            if code == SQLITE_DONE { break }
            try db.checkStep(code, statement)
            _ = forEachCell(blob(s, 0)) { _, _ in count += 1 }
        }
        return count
    }

    /// Days merged into ascending ranges of consecutive days.
    static func ranges(of days: some Sequence<Int>) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for day in Set(days).sorted() {
            if let last = result.last, last.upperBound + 1 == day { result[result.count - 1] = last.lowerBound...day } else { result.append(day...day) }
        }
        return result
    }

    /// Calls `body` with each cell of a day's packed bytes: the segment id and the cell's metric entries. Returns false,
    /// having stopped, at the first cell that is not well formed (cut short, without metrics, or not after the one
    /// before in segment order): never reads outside `bytes`.
    @inline(__always)
    static func forEachCell(_ bytes: UnsafeRawBufferPointer, _ body: (Int64, UnsafeRawBufferPointer) throws -> Void) rethrows -> Bool {
        var offset = 0
        var previous = Int64.min
        while offset < bytes.count {
            guard bytes.count - offset >= cellHeaderSize else { return false }
            let segment = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self))
            let count = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)))
            let start = offset + cellHeaderSize
            guard segment > previous, count > 0, count <= (bytes.count - start) / entrySize else { return false }
            let end = start + count * entrySize
            try body(segment, UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            previous = segment
            offset = end
        }
        return true
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

    /// Writes a cell's header (`cellHeaderSize` bytes) at `offset`: the segment id, then the number of entries.
    @inline(__always)
    static func storeCellHeader(_ bytes: UnsafeMutableRawBufferPointer, at offset: Int, segment: Int64, count: Int) {
        bytes.storeBytes(of: segment.littleEndian, toByteOffset: offset, as: Int64.self)
        bytes.storeBytes(of: UInt32(count).littleEndian, toByteOffset: offset + 8, as: UInt32.self)
    }

    /// Writes one entry (`entrySize` bytes) at `offset`: the metric id, the value's bits, the currency (zeros: none).
    @inline(__always)
    static func storeEntry(_ bytes: UnsafeMutableRawBufferPointer, at offset: Int, metric: Int32, bits: UInt64,
                           currency: (UInt8, UInt8, UInt8)) {
        bytes.storeBytes(of: metric.littleEndian, toByteOffset: offset, as: Int32.self)
        bytes.storeBytes(of: bits.littleEndian, toByteOffset: offset + 4, as: UInt64.self)
        bytes[offset + 12] = currency.0
        bytes[offset + 13] = currency.1
        bytes[offset + 14] = currency.2
    }

    /// Appends one cell (its header, then its entries) to a day's packed bytes.
    static func appendCell(_ packed: inout [UInt8], segment: Int64, entries: UnsafeRawBufferPointer) {
        let origin = packed.count
        packed.append(contentsOf: repeatElement(0, count: cellHeaderSize))
        packed.withUnsafeMutableBytes { storeCellHeader($0, at: origin, segment: segment, count: entries.count / entrySize) }
        packed.append(contentsOf: entries)
    }

    /// The bytes of a blob column (empty for NULL), valid until the statement moves.
    static func blob(_ s: OpaquePointer, _ column: Int32) -> UnsafeRawBufferPointer {
        guard let pointer = sqlite3_column_blob(s, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(s, column)))
    }

    private static func rebuild(_ db: Database, from first: Int, to last: Int, versioned: Bool = true) throws {
        try db.execute(sql: "DELETE FROM cell_day WHERE day BETWEEN ? AND ?", arguments: [first, last])
        let read = try db.cachedStatement(sql: """
            SELECT day, segment_id, metric_id, value, currency FROM observation
            WHERE day BETWEEN ?1 AND ?2 ORDER BY day, segment_id, metric_id
            """)
        var packed: [UInt8] = []
        var currentDay: Int64?
        try forEachPackedCell(db, read, Int64(first), Int64(last)) { day, segment, entries in
            if let currentDay, currentDay != day {
                try write(db, day: currentDay, packed: packed, versioned: versioned)
                packed.removeAll(keepingCapacity: true)
            }
            currentDay = day
            appendCell(&packed, segment: segment, entries: entries)
        }
        if let currentDay { try write(db, day: currentDay, packed: packed, versioned: versioned) }
    }

    /// Replaces the cells of `segments` on `day` with what their observations are now, keeping the day's other cells
    /// as they are. A day whose stored bytes are not well formed is rebuilt whole instead.
    private static func rebuildCells(_ db: Database, day: Int, segments: Set<Int64>) throws {
        let readCell = try db.cachedStatement(sql: """
            SELECT day, segment_id, metric_id, value, currency FROM observation
            WHERE day = ?1 AND segment_id = ?2 ORDER BY metric_id
            """)
        var fresh: [Int64: [UInt8]] = [:]
        for segment in segments {
            try forEachPackedCell(db, readCell, Int64(day), segment) { _, _, entries in fresh[segment] = [UInt8](entries) }
        }
        let touched = segments.sorted()
        var next = 0
        var packed: [UInt8] = []
        func appendTouched(below limit: Int64?) {
            while next < touched.count, limit.map({ touched[next] < $0 }) ?? true {
                if let entries = fresh[touched[next]] { entries.withUnsafeBytes { appendCell(&packed, segment: touched[next], entries: $0) } }
                next += 1
            }
        }
        // The stored cells with the touched ones replaced (or gone) and new ones put in segment order, assembled while
        // the stored bytes are read: runs of untouched cells are copied whole. (The statement is reset before the
        // day's row is rewritten below.)
        let wellFormed = try stepDay(db, "SELECT packed FROM cell_day WHERE day = ?1", day: day) { row -> Bool in
            let stored = row.map { blob($0, 0) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
            packed.reserveCapacity(stored.count + cellHeaderSize + entrySize * 16)
            var runStart = 0  // where the untouched cells not yet copied begin
            let wellFormed = forEachCell(stored) { segment, entries in
                guard next < touched.count, touched[next] <= segment else { return }
                let cellStart = stored.baseAddress!.distance(to: entries.baseAddress!) - cellHeaderSize
                packed.append(contentsOf: UnsafeRawBufferPointer(rebasing: stored[runStart..<cellStart]))
                appendTouched(below: segment)
                if next < touched.count, touched[next] == segment {
                    appendTouched(below: segment + 1)    // this cell as its observations are now (or gone)
                    runStart = cellStart + cellHeaderSize + entries.count
                } else {
                    runStart = cellStart
                }
            }
            packed.append(contentsOf: UnsafeRawBufferPointer(rebasing: stored[runStart...]))
            return wellFormed
        }
        guard wellFormed else { return try rebuild(db, from: day, to: day) }
        appendTouched(below: nil)
        try write(db, day: Int64(day), packed: packed)
    }

    /// Stores a day's packed cells (none: the day's row goes), with the next version (migration 0014).
    static func write(_ db: Database, day: Int64, packed: [UInt8], versioned: Bool = true) throws {
        if packed.isEmpty {
            try db.cachedStatement(sql: "DELETE FROM cell_day WHERE day = ?1").execute(arguments: [day])
            return
        }
        var version: Int64 = 0
        if versioned {
            // The next number; a counter row deleted by hand starts again from a random value, as the migration's does.
            // (SQLite makes a RETURNING statement's changes in its first step.)
            version = try db.firstInt64(cached: """
                INSERT INTO cell_version (id, version) VALUES (1, abs(random() / 4))
                ON CONFLICT (id) DO UPDATE SET version = version + 1 RETURNING version
                """) ?? 0
        }
        let insert = try db.cachedStatement(sql: versioned ? "INSERT OR REPLACE INTO cell_day (day, packed, version) VALUES (?1, ?2, ?3)"
                                                            : "INSERT OR REPLACE INTO cell_day (day, packed) VALUES (?1, ?2)")
        let w = insert.sqliteStatement
        let code = packed.withUnsafeBytes { bytes in
            sqlite3_bind_int64(w, 1, day)
            if versioned { sqlite3_bind_int64(w, 3, version) }
            // Bound without a copy: the step runs while the bytes are alive.
            sqlite3_bind_blob(w, 2, bytes.baseAddress, Int32(bytes.count), nil)
            return sqlite3_step(w)
        }
        sqlite3_reset(w)
        try db.checkStep(code, insert)
    }

    /// The number of cells that differ from what the observations say (missing, extra, or with other values):
    /// 0 for a rollup that is exactly its observations. Reads every observation and every cell once, in key order.
    static func differingCells(_ db: Database) throws -> Int {
        let days = try db.makeStatement(sql: "SELECT day, packed FROM cell_day ORDER BY day")
        let d = days.sqliteStatement
        defer { sqlite3_reset(d) }
        var differing = 0
        // The stored cells in key order, a day at a time; a day whose bytes are not well formed counts once, and its
        // cells after the damage count as missing.
        var queue: [(day: Int64, segment: Int64, entries: [UInt8])] = []
        var queued = 0
        func next() throws -> (day: Int64, segment: Int64, entries: [UInt8])? {
            while queued == queue.count {
                queue.removeAll(keepingCapacity: true)
                queued = 0
                let code = sqlite3_step(d)
                if code == SQLITE_DONE { return nil }
                try db.checkStep(code, days)
                let day = sqlite3_column_int64(d, 0)
                if !forEachCell(blob(d, 1), { segment, entries in queue.append((day, segment, [UInt8](entries))) }) { differing += 1 }
            }
            queued += 1
            return queue[queued - 1]
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
                if !key.entries.elementsEqual(bytes) { differing += 1 }
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
            try db.checkStep(code, read)
            let day = sqlite3_column_int64(r, 0), segment = sqlite3_column_int64(r, 1), metric = sqlite3_column_int64(r, 2)
            if current == nil || current!.day != day || current!.segment != segment {
                try writeCurrent()
                current = (day, segment)
            }
            guard let id = Int32(exactly: metric) else {
                throw DatabaseError(resultCode: .SQLITE_RANGE, message: "metric id \(metric) does not fit the cell rollup", sql: read.sql)
            }
            var currency: (UInt8, UInt8, UInt8) = (0, 0, 0)
            if sqlite3_column_type(r, 4) != SQLITE_NULL {
                // The importers write 3 ASCII letters; anything else is refused rather than cut.
                guard sqlite3_column_bytes(r, 4) == 3, let text = sqlite3_column_text(r, 4) else {
                    throw DatabaseError(resultCode: .SQLITE_RANGE, message: "a currency of metric id \(metric) is not 3 ASCII letters", sql: read.sql)
                }
                currency = (text[0], text[1], text[2])
            }
            let offset = packed.count
            packed.append(contentsOf: repeatElement(0, count: entrySize))
            packed.withUnsafeMutableBytes {
                storeEntry($0, at: offset, metric: id, bits: sqlite3_column_double(r, 3).bitPattern, currency: currency)
            }
        }
        try writeCurrent()
    }

}

extension CellTable {
    /// Reads the values of `metrics` over `range` on the concrete segments inside `filter`, from the daily totals per
    /// segment (`.rollup`) or from the observations (`.observations`). Both give the same table: the same cells in the same
    /// order (day, then segment id) with the same values, so every number computed from it is the same to the last digit.
    /// The rollup finds metric ids and segments in `reference`; the direct read asks the database (it is the check).
    /// With `kept`, a table read before is reused while its days' versions (migration 0014) and the reference data are
    /// unchanged, and patched when only some days changed (only those are read again).
    static func read(_ db: Database, metrics: [String], range: DayRange, filter: Segment, source: CellSource,
                     reference: ReferenceData, kept: CellTableCache? = nil) throws -> CellTable {
        try readPasses(db, metrics: metrics, range: range, filter: filter, source: source, reference: reference, kept: kept).table
    }

    /// `read`, with the kept table's memo of window passes when there is one (`WindowPasses`).
    static func readPasses(_ db: Database, metrics: [String], range: DayRange, filter: Segment, source: CellSource,
                           reference: ReferenceData, kept: CellTableCache? = nil) throws -> WindowPasses {
        switch source {
        case .observations: return WindowPasses(table: try read(db, metrics: metrics, range: range, filter: filter))
        case .rollup:
            guard let kept else { return WindowPasses(table: try readRollup(db, metrics: metrics, range: range, filter: filter, reference: reference).table) }
            return try readKept(db, metrics: metrics, range: range, filter: filter, reference: reference, kept: kept)
        }
    }

    /// The rollup read through `kept`: the versions of the window's days first (from the index, not the cells), then
    /// the kept table when they match, patched when some days changed, or read whole. The table comes with its entry's
    /// memo of window passes and the days' versions, except inside a write transaction (nothing read there is kept).
    private static func readKept(_ db: Database, metrics: [String], range: DayRange, filter: Segment, reference: ReferenceData,
                                 kept: CellTableCache) throws -> WindowPasses {
        var versions: [CellTableCache.DayVersion] = []
        try CellRollup.stepRange(db, "SELECT day, version FROM cell_day WHERE day BETWEEN ?1 AND ?2", range) { s in
            versions.append(CellTableCache.DayVersion(day: Int(sqlite3_column_int64(s, 0)), version: sqlite3_column_int64(s, 1)))
        }
        let key = CellTableCache.Key(metrics: metrics, from: range.from.ordinal, to: range.to.ordinal, filter: filter)
        // What a write transaction reads may still roll back, and its version numbers be used again: never kept.
        let keep = sqlite3_txn_state(db.sqliteConnection, nil) != SQLITE_TXN_WRITE
        // Taken out of the cache while looked at: the table's storage then has one owner and is patched in place, not
        // copied. (A reader at the same time finds none and reads the window whole.)
        if var entry = kept.take(key), entry.referenceVersion == reference.version, entry.days.count == versions.count,
           zip(entry.days, versions).allSatisfy({ $0.day == $1.day }) {
            let changed = zip(entry.days, versions).filter { $0.version != $1.version }.map(\.1.day)
            if changed.isEmpty {
                kept.store(entry, for: key)
                kept.count(\.unchanged)
                return WindowPasses(entry, kept: keep)
            }
            if let changedMetrics = try patch(&entry, days: changed, db, reference: reference) {
                // Passes that read none of what changed are still right at the new versions.
                entry.passes.carry(from: entry.days, to: versions, unlessReading: changedMetrics)
                entry.days = versions
                if keep { kept.store(entry, for: key) }
                kept.count(\.patched)
                return WindowPasses(entry, kept: keep)
            }
        }
        kept.count(\.readWhole)
        var entry = try readRollup(db, metrics: metrics, range: range, filter: filter, reference: reference)
        entry.days = versions
        if keep { kept.store(entry, for: key) }
        return WindowPasses(entry, kept: keep)
    }

    /// Reads `days` of a kept table again and puts their values in place; returns per metric position whether any of its
    /// values changed, and whether any cell's reporting of it did. Nil (the table must be read whole) when a day's cells
    /// are not the same segments as before, or the currencies would no longer be in first-use order.
    private static func patch(_ entry: inout CellTableCache.Entry, days: [Int], _ db: Database, reference: ReferenceData) throws -> WindowPassMemo.Changed? {
        var changedMetrics = [Bool](repeating: false, count: entry.table.metrics.count)
        var presenceChanged = [Bool](repeating: false, count: entry.table.metrics.count)
        for day in days {
            guard let cells = entry.dayCells[day] else { return nil }
            var replacement: [(segment: Int, values: [(metric: Int, value: Double, currencyCode: Int32)])] = []
            var wellFormed = true
            try CellRollup.stepDay(db, "SELECT packed FROM cell_day WHERE day = ?1", day: day) { statement in
                guard let s = statement else { wellFormed = false; return }
                wellFormed = CellRollup.forEachCell(CellRollup.blob(s, 0)) { segmentId, entries in
                    guard entry.wanted.contains(segmentId) else { return }
                    var values: [(metric: Int, value: Double, currencyCode: Int32)] = []
                    values.reserveCapacity(entry.metricOrder.count)    // room once, not grown value by value
                    CellRollup.forEachEntry(entries) { id, value, currency in
                        guard id >= 0, id < entry.metricPosition.count else { return }
                        let m = entry.metricPosition[Int(id)]
                        guard m >= 0 else { return }
                        values.append((m, value, currency.map { entry.table.currencyCode(bytes: $0) } ?? 0))
                    }
                    // A segment inside the filter with its first values in the window: a new position, read whole.
                    if !values.isEmpty { replacement.append((entry.positions[segmentId] ?? -1, values)) }
                }
            }
            guard wellFormed, let changed = entry.table.replaceValues(ofCells: cells, with: replacement, presenceChanged: &presenceChanged)
            else { return nil }
            for (m, isChanged) in changed.enumerated() where isChanged { changedMetrics[m] = true }
        }
        return entry.table.currenciesInFirstUseOrder(metricOrder: entry.metricOrder)
            ? WindowPassMemo.Changed(values: changedMetrics, presence: presenceChanged) : nil
    }

    /// The table read whole from the rollup, with what a patch needs: where each day's cells are, and the positions
    /// of segments and metrics.
    private static func readRollup(_ db: Database, metrics: [String], range: DayRange, filter: Segment,
                                   reference: ReferenceData) throws -> CellTableCache.Entry {
        var table = CellTable(metrics: metrics)
        var entry = CellTableCache.Entry(referenceVersion: reference.version, table: table)
        let keyById = reference.metricIds(metrics)
        guard let maxId = keyById.keys.max(), maxId < 1 << 20, keyById.keys.allSatisfy({ $0 >= 0 }) else { return entry }
        let segments = reference.segments(in: filter)
        guard !segments.isEmpty else { return entry }
        // Metric position by id (-1: not asked for): an array read per value, no hashing.
        var metricPosition = [Int](repeating: -1, count: Int(maxId) + 1)
        for (id, key) in keyById { if let m = table.index(of: key) { metricPosition[Int(id)] = m } }
        var dayCells: [Int: Range<Int>] = [:]
        // The wanted segment ids in ascending order, walked alongside each day's cells (also in ascending id order): no
        // hashing per cell. A segment gets its position at its first wanted value, as in the direct read (which never
        // sees the others); -1 until then.
        let wanted = segments.keys.sorted()
        var positions = [Int](repeating: -1, count: wanted.count)
        let sql = "SELECT day, packed FROM cell_day WHERE day BETWEEN ?1 AND ?2"
        try CellRollup.stepRange(db, sql, range) { s in
            let day = Int(sqlite3_column_int64(s, 0))
            let firstCell = table.cells.count
            defer { dayCells[day] = firstCell..<table.cells.count }
            var w = 0
            let wellFormed = CellRollup.forEachCell(CellRollup.blob(s, 1)) { segmentId, entries in
                while w < wanted.count && wanted[w] < segmentId { w += 1 }
                guard w < wanted.count, wanted[w] == segmentId else { return }
                // Each cell of a well-formed day has its own segment, so it is appended without a lookup.
                var cell: CellTable.Cell?
                CellRollup.forEachEntry(entries) { id, value, currency in
                    guard id >= 0, id < metricPosition.count else { return }
                    let m = metricPosition[Int(id)]
                    guard m >= 0 else { return }
                    if cell == nil {
                        if positions[w] < 0 { positions[w] = table.position(of: segments[segmentId]!) }
                        cell = table.appendCell(segment: positions[w], day: day)
                    }
                    let code = currency.map { table.currencyCode(bytes: $0) } ?? 0
                    table.set(cell!, metric: m, value: value, currencyCode: code)
                }
            }
            if !wellFormed {
                throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "the daily totals of \(Day(ordinal: day)) are damaged: linkstar doctor --repair rebuilds them",
                                    sql: sql)
            }
        }
        entry.table = table
        entry.dayCells = dayCells
        entry.metricPosition = metricPosition
        // The reader sets a cell's values in ascending metric id order.
        entry.metricOrder = metricPosition.filter { $0 >= 0 }
        for (index, id) in wanted.enumerated() where positions[index] >= 0 { entry.positions[id] = positions[index] }
        entry.wanted = Set(wanted)
        return entry
    }
}

/// Window tables read from the daily rollup, kept by a long-lived process (the server) with the version of each day
/// they were read at (migration 0014), so a report after a write reads again only the days that write changed.
/// Bounded: the `capacity` most recently stored windows.
final class CellTableCache: @unchecked Sendable {
    struct Key: Hashable {
        let metrics: [String]
        let from: Int
        let to: Int
        let filter: Segment
    }

    struct DayVersion: Equatable {
        let day: Int
        let version: Int64

        /// The position of the first of `days` (in day order) on or after `day`: a binary search.
        static func firstPosition(in days: [DayVersion], atOrAfter day: Int) -> Int {
            var low = 0, high = days.count
            while low < high {
                let middle = (low + high) / 2
                if days[middle].day < day { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    struct Entry {
        /// The `reference_version` the segments and metric ids were taken from.
        let referenceVersion: Int64
        var table: CellTable
        /// The window's days with cells, in day order, and their versions when read.
        var days: [DayVersion] = []
        /// Each day's cells in `table`.
        var dayCells: [Int: Range<Int>] = [:]
        /// Segment position in `table` by segment id, for the segments with cells.
        var positions: [Int64: Int] = [:]
        /// The ids of the segments inside the filter.
        var wanted: Set<Int64> = []
        /// Metric position by metric id (-1: not in the table).
        var metricPosition: [Int] = []
        /// Metric positions in ascending id order: the order a cell's values are set in.
        var metricOrder: [Int] = []
        /// Results of passes over the table's windows, by the versions of each window's days. Made with the entry when
        /// it is read whole, kept through patches (which never change the table's segments, metrics or currencies).
        let passes = WindowPassMemo()

        init(referenceVersion: Int64, table: CellTable) {
            self.referenceVersion = referenceVersion
            self.table = table
        }
    }

    /// How reads went: the kept table as it was, patched, or read whole (kept or not).
    struct Counts: Equatable {
        var unchanged = 0
        var patched = 0
        var readWhole = 0
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var order: [Key] = []
    private var tally = Counts()
    let capacity: Int

    var counts: Counts { lock.withLock { tally } }

    /// How the window passes of the tables kept now went (`WindowPassMemo`), added up.
    var passCounts: WindowPassMemo.Counts {
        lock.withLock { entries.values.map(\.passes.counts) }.reduce(into: WindowPassMemo.Counts()) {
            $0.reused += $1.reused
            $0.computed += $1.computed
            $0.carried += $1.carried
        }
    }

    func count(_ outcome: WritableKeyPath<Counts, Int>) { lock.withLock { tally[keyPath: outcome] += 1 } }

    init(capacity: Int = 32) { self.capacity = capacity }

    /// The entry for `key`, no longer kept (nil when another reader took it first).
    func take(_ key: Key) -> Entry? {
        lock.withLock {
            order.removeAll { $0 == key }
            return entries.removeValue(forKey: key)
        }
    }

    func store(_ entry: Entry, for key: Key) {
        lock.withLock {
            if entries.updateValue(entry, forKey: key) != nil { order.removeAll { $0 == key } }
            order.append(key)
            while order.count > capacity { entries[order.removeFirst()] = nil }
        }
    }
}
