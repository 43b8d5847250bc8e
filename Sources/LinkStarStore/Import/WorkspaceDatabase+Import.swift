import Foundation
import GRDB
import LinkStarCore
import LinkStarFormats

/// Reads a file in 1 MiB chunks (memory stays flat whatever its size).
public final class FileByteSource: ByteSource {
    private let handle: FileHandle
    public let path: String
    public let size: UInt64

    public init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LinkStarError(.notFound, "cannot open \(path)", details: [.init(field: "file", message: "cannot open \(path)")])
        }
        self.handle = handle
        self.path = path
        self.size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
    }

    deinit { try? handle.close() }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = Foundation.read(handle.fileDescriptor, buffer.baseAddress, buffer.count)
        if count < 0 { throw LinkStarError(.invalid, "cannot read \(path): \(String(cString: strerror(errno)))") }
        return count
    }
}

/// What to import and how.
public struct ImportRequest: Sendable {
    public var fileName: String
    /// `auto` or a preset name; ignored when `mapping` is given.
    public var format: String
    public var mapping: ImportMapping?
    public var overrides: ImportOverrides
    public var dryRun: Bool
    /// Import the valid rows and hand the rejected ones to the callback, instead of rejecting the file.
    public var skipInvalid: Bool
    /// `file`, `api`, `manual` or `demo`.
    public var source: String

    public init(fileName: String, format: String = "auto", mapping: ImportMapping? = nil, overrides: ImportOverrides = ImportOverrides(),
                dryRun: Bool = false, skipInvalid: Bool = false, source: String = "file") {
        self.fileName = fileName
        self.format = format
        self.mapping = mapping
        self.overrides = overrides
        self.dryRun = dryRun
        self.skipInvalid = skipInvalid
        self.source = source
    }
}

/// Callbacks for long imports.
public struct ImportCallbacks {
    /// Lines and bytes read so far (called every 64k lines).
    public var progress: ((_ lines: Int, _ bytes: Int) -> Void)?
    /// A rejected row with the header and its problems (with `skipInvalid`).
    public var rejected: ((_ header: [String], _ record: CSVRecord, _ problems: [LinkStarError.Detail]) -> Void)?

    public init(progress: ((Int, Int) -> Void)? = nil,
                rejected: (([String], CSVRecord, [LinkStarError.Detail]) -> Void)? = nil) {
        self.progress = progress
        self.rejected = rejected
    }
}

/// What an import did.
public struct ImportSummary: Codable, Sendable, Equatable, JSONMembers {
    /// `imported`, `unchanged` (nothing new: nothing written), `dry-run`.
    public var outcome: ImportOutcome
    public var importId: Int64?
    public var file: String
    public var format: String
    public var contentHash: String
    /// An earlier import of a file with the same content, if any.
    public var previousImportId: Int64?
    public var rowsRead: Int
    public var rowsImported: Int
    public var rowsSkipped: Int
    public var rowsRejected: Int
    public var valuesRead: Int
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    public var firstDay: Day?
    public var lastDay: Day?
    public var metrics: [String]
    public var segments: [String]
    public var notes: [Message]
    public var problemCount: Int
    /// The first problems found (at most 50), each with line and column.
    public var problems: [LinkStarError.Detail]

    public func encode(to encoder: any Encoder) throws { try encodeMembers(to: encoder) }

    /// The JSON members, keys in ascending order (`JSONMembers`).
    public func writeMembers(to w: inout JSONMemberWriter) throws {
        try w.write("content_hash", contentHash)
        try w.write("file", file)
        try w.write("first_day", firstDay)
        try w.write("format", format)
        try w.write("import_id", importId)
        try w.write("inserted", inserted)
        try w.write("last_day", lastDay)
        try w.write("metrics", metrics)
        try w.write("notes", notes)
        try w.write("outcome", outcome)
        try w.write("previous_import_id", previousImportId)
        try w.write("problem_count", problemCount)
        try w.write("problems", problems)
        try w.write("rows_imported", rowsImported)
        try w.write("rows_read", rowsRead)
        try w.write("rows_rejected", rowsRejected)
        try w.write("rows_skipped", rowsSkipped)
        try w.write("segments", segments)
        try w.write("unchanged", unchanged)
        try w.write("updated", updated)
        try w.write("values_read", valuesRead)
    }
}

/// A row of `import_batch`.
struct ImportBatchRecord: MutableSnakeCaseRecord, Equatable {
    static let databaseTableName = "import_batch"
    var id: Int64?
    var source: String
    var fileName: String?
    var contentHash: String?
    var format: String
    var optionsJson: String?
    var rowsRead: Int
    var rowsSkipped: Int
    var rowsRejected: Int
    var inserted: Int
    var updated: Int
    var unchanged: Int
    var notesJson: String?
    var actor: String
    var importedAt: String
    /// 1 for imports that keep what they replace (all since 0006), so they revert exactly.
    var keepsReplaced: Bool = true
    var revertedAt: String? = nil
    var revertedBy: String? = nil

    enum Columns {
        static let id = Column("id")
        static let contentHash = Column("content_hash")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// Written by column name, without the Codable encoder (every API write inserts and updates one batch).
    func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["source"] = source
        container["file_name"] = fileName
        container["content_hash"] = contentHash
        container["format"] = format
        container["options_json"] = optionsJson
        container["rows_read"] = rowsRead
        container["rows_skipped"] = rowsSkipped
        container["rows_rejected"] = rowsRejected
        container["inserted"] = inserted
        container["updated"] = updated
        container["unchanged"] = unchanged
        container["notes_json"] = notesJson
        container["actor"] = actor
        container["imported_at"] = importedAt
        container["keeps_replaced"] = keepsReplaced
        container["reverted_at"] = revertedAt
        container["reverted_by"] = revertedBy
    }

    /// Inserts the batch as it starts (every API write does): one prepared statement, none of the record machinery.
    mutating func insertStarted(_ db: Database) throws {
        try db.execute(cached: """
            INSERT INTO import_batch (source, file_name, content_hash, format, options_json, rows_read, rows_skipped,
                rows_rejected, inserted, updated, unchanged, notes_json, actor, imported_at, keeps_replaced, reverted_at, reverted_by)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
            """, [.text(source), .text(fileName), .text(contentHash), .text(format), .text(optionsJson), .int(rowsRead), .int(rowsSkipped),
                  .int(rowsRejected), .int(inserted), .int(updated), .int(unchanged), .text(notesJson), .text(actor), .text(importedAt),
                  .bool(keepsReplaced), .text(revertedAt), .text(revertedBy)])
        id = db.lastInsertedRowID
    }

    /// Writes what the import found (format, counts, notes, and the hash unless it was inserted with it) on the batch
    /// inserted by `insertStarted`. A hash inserted at the start (bytes in memory) is not set again: its index entry is
    /// written once, instead of among the empty hashes and then moved.
    func storeOutcome(_ db: Database, hashInserted: Bool) throws {
        var arguments: [DirectArgument] = [.text(format), .int(rowsRead), .int(rowsSkipped), .int(rowsRejected), .int(inserted),
                                           .int(updated), .int(unchanged), .text(notesJson), id.map { .int($0) } ?? .null]
        if !hashInserted { arguments = [.text(contentHash)] + arguments }
        try db.execute(cached: hashInserted ? """
            UPDATE import_batch SET format = ?1, rows_read = ?2, rows_skipped = ?3, rows_rejected = ?4, inserted = ?5, updated = ?6,
                unchanged = ?7, notes_json = ?8 WHERE id = ?9
            """ : """
            UPDATE import_batch SET content_hash = ?1, format = ?2, rows_read = ?3, rows_skipped = ?4, rows_rejected = ?5, inserted = ?6,
                updated = ?7, unchanged = ?8, notes_json = ?9 WHERE id = ?10
            """, arguments)
    }
}

/// One line of `import list`.
public struct ImportBatchView: Codable, Sendable, Equatable {
    public var id: Int64
    public var source: String
    public var file: String?
    public var contentHash: String?
    public var format: String
    public var rowsRead: Int
    public var rowsSkipped: Int
    public var rowsRejected: Int
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    public var actor: String
    public var importedAt: Date
    /// Set when the import was reverted.
    public var revertedAt: Date?
    public var revertedBy: String?
}

/// The outcome of `import revert`.
public struct ImportRevertReport: Codable, Sendable, Equatable {
    public var importId: Int64
    /// Values the import had inserted, now removed.
    public var removed: Int
    /// Values it had replaced or confirmed, now put back as they were.
    public var restored: Int
    /// Values a later import changed since (kept as the later import left them; only with force).
    public var changedLater: Int
}

extension WorkspaceDatabase {
    static let maxReportedProblems = 50
    /// `options_json` of an import without overrides (every API write), as the encoder writes it (`DirectJSONTests.importOptions` checks).
    static let noOverridesJSON = #"{"channel":null,"currency":null,"device":null,"market":null}"#

    /// Imports observations from a CSV stream in one transaction. Any invalid row rejects the whole
    /// file (nothing is written) unless `skipInvalid`; a file that changes nothing writes nothing.
    public func importObservations(from source: ByteSource, request: ImportRequest, actor: String,
                                   callbacks: ImportCallbacks = ImportCallbacks()) throws -> ImportSummary {
        try importObservations(from: source, request: request, actor: actor, callbacks: callbacks, pipelineAfterRows: ImportPipeline.afterRows)
    }

    /// The same, parsing on a thread of its own past `pipelineAfterRows` rows (tests choose 0 or never).
    func importObservations(from source: ByteSource, request: ImportRequest, actor: String, callbacks: ImportCallbacks,
                            pipelineAfterRows: Int) throws -> ImportSummary {
        try writer.writeWithoutTransaction { db in
            // Read (or found current) outside the transaction, so it is kept for the next import and report; inside, the
            // import checks its version again and reuses it while no other process changed the catalog.
            _ = try reference(db)
            // A larger page cache keeps the series being appended to in memory (bounded: 32 MB), once the file proves
            // large: resizing the cache and back drops pages a small write (an API call) would read again.
            var previousCache: Int?
            defer { if let previousCache { try? db.cachedStatement(sql: "PRAGMA cache_size = \(previousCache)").execute() } }
            let enlargeCache = {
                guard previousCache == nil else { return }
                previousCache = try Int.fetchOne(db.cachedStatement(sql: "PRAGMA cache_size")) ?? -2000
                try db.cachedStatement(sql: "PRAGMA cache_size = -32768").execute()
            }
            var summary: ImportSummary?
            var failure: Error?
            try db.inCachedTransaction(.immediate) {
                do {
                    let result = try self.runImport(db, source: source, request: request, actor: actor, callbacks: callbacks,
                                                    pipelineAfterRows: pipelineAfterRows, largeFile: enlargeCache)
                    summary = result
                    return result.outcome == .imported ? .commit : .rollback
                } catch {
                    failure = error
                    return .rollback
                }
            }
            if let failure { throw failure }
            return summary!
        }
    }

    private func runImport(_ db: Database, source: ByteSource, request: ImportRequest, actor: String,
                           callbacks: ImportCallbacks, pipelineAfterRows: Int, largeFile: () throws -> Void) throws -> ImportSummary {
        let reference = try reference(db)
        let catalog = reference.importable
        let metricIds = reference.metricIds

        // Bytes already in memory (every API batch) are hashed before the batch is inserted, the rest while they are read.
        let hashAtStart = (source as? MemoryByteSource).map { ContentHash.sha256Hex($0.bytes) }
        var batch = ImportBatchRecord(
            source: request.source, fileName: request.fileName, contentHash: hashAtStart, format: request.mapping?.name ?? request.format,
            optionsJson: request.overrides == ImportOverrides() ? Self.noOverridesJSON
                : String(decoding: try LinkStarJSON.encoder(pretty: false).encode(request.overrides), as: UTF8.self),
            rowsRead: 0, rowsSkipped: 0, rowsRejected: 0, inserted: 0, updated: 0, unchanged: 0, notesJson: nil,
            actor: actor, importedAt: nowText())
        try batch.insertStarted(db)
        let writer = try ObservationWriter(db, importId: batch.id!)
        let commentPrefix = request.mapping?.commentPrefix ?? "#"
        let hasher = ChunkHasher()
        let reader = CSVReader(source: source, delimiter: request.mapping?.delimiter, commentPrefix: commentPrefix,
                               name: request.fileName, observe: { if hashAtStart == nil { hasher.update($0) } })

        // The header: the first line that is neither blank nor a comment.
        var headerRecord: CSVRecord?
        while let record = try reader.next() {
            if record.isBlank || record.string(0).trimmingCharacters(in: .whitespaces).hasPrefix(commentPrefix) { continue }
            headerRecord = record
            break
        }
        guard let header = headerRecord else {
            throw LinkStarError(.invalid, "\(request.fileName): no header row found; the file is empty",
                                details: [.init(file: request.fileName, line: 1, message: "empty file")])
        }
        let headerFields = header.strings
        let mapping = try request.mapping ?? (request.format == "auto"
            ? ImportFormatDetector.detect(header: headerFields, catalog: catalog)
            : ImportPresets.mapping(request.format))
        var interpreter = try interpreters.interpreter(
            for: InterpreterCache.Key(referenceVersion: reference.version, headers: headerFields, headerLine: header.line, mapping: mapping,
                                      overrides: request.overrides, fileName: request.fileName)) {
            try ImportInterpreter(header: header, mapping: mapping, overrides: request.overrides, catalog: catalog, fileName: request.fileName)
        }

        // Parsing (reading, interpreting) and writing are two stages: past `pipelineAfterRows` rows, parsing runs on a
        // thread of its own, a batch of rows ahead of the writer (a large file uses both cores); before, both run here.
        var parsing = ImportParsing(reader: reader, interpreter: interpreter, headerFields: headerFields, callbacks: callbacks,
                                    fileName: request.fileName, maxProblems: Self.maxReportedProblems)
        var counts = ImportCounts()
        var duplicateProblems: [LinkStarError.Detail] = []
        var dbMetric: [Int64] = [], dbSegment: [Int64] = []
        let currencyStrings = CurrencyCStrings()
        var currencyPointers: [UnsafePointer<CChar>] = []
        var aggregate: [AggregateKey: Double] = [:]

        func resolveIds(_ batch: ParsedBatch) throws {
            while dbMetric.count < batch.metricKeys.count {
                dbMetric.append(metricIds[batch.metricKeys[dbMetric.count]]!)
            }
            while dbSegment.count < batch.segments.count {
                let segment = batch.segments[dbSegment.count]
                // A segment the reference data (read in this transaction) holds has its id there; a new one is inserted.
                if let id = reference.id(of: segment) {
                    dbSegment.append(id)
                    continue
                }
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO segment (channel, market, device) VALUES (?, ?, ?)")
                    .execute(arguments: [segment.channel, segment.market, segment.device])
                dbSegment.append(try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM segment WHERE channel = ? AND market = ? AND device = ?"),
                                                    arguments: [segment.channel, segment.market, segment.device])!)
            }
            if currencyPointers.count < batch.currencies.count {
                currencyPointers = currencyStrings.pointers(for: batch.currencies)
            }
        }

        func reportDuplicates(_ lines: [Int]) {
            for line in lines {
                counts.rowsImported -= 1
                counts.rowsRejected += 1
                counts.problems += 1
                if duplicateProblems.count < Self.maxReportedProblems {
                    duplicateProblems.append(LinkStarError.Detail(file: request.fileName, line: line,
                                                                  message: "a value for the same metric, segment and day appears earlier in this file"))
                }
            }
        }

        /// Writes one parsed batch (or, for aggregated presets, adds it to the per-day sums).
        func write(_ batch: ParsedBatch) throws {
            try resolveIds(batch)
            for (o, line) in zip(batch.values, batch.lines) {
                if mapping.aggregate {
                    aggregate[AggregateKey(metric: o.metric, segment: o.segment, day: o.day, currency: o.currency), default: 0] += o.value
                    continue
                }
                reportDuplicates(try writer.add(metric: dbMetric[Int(o.metric)], segment: dbSegment[Int(o.segment)], day: o.day,
                                                value: o.value, currency: o.currency >= 0 ? currencyPointers[Int(o.currency)] : nil, tag: line))
            }
        }

        var parsed = ParsedBatch()
        var more = true
        while more, parsing.counts.rowsRead < pipelineAfterRows {
            parsed.clear()
            more = try parsing.fill(&parsed, rows: min(ParsedBatch.rows, pipelineAfterRows - parsing.counts.rowsRead))
            try write(parsed)
            if more { try largeFile() }
        }
        if more {
            try largeFile()
            let pipeline = ImportPipeline(parsing)
            do {
                while let next = try pipeline.next() {
                    try write(next)
                    pipeline.recycle(next)
                }
            } catch {
                pipeline.stop()
                throw error
            }
            parsing = pipeline.finished()
        }
        interpreter = parsing.interpreter
        for line in try writer.flush() { reportDuplicates([line]) }
        // Aggregated presets: write the per-day sums now (every name was resolved with its batch).
        if !aggregate.isEmpty {
            for (key, value) in aggregate.sorted(by: { ($0.key.day, $0.key.segment, $0.key.metric) < ($1.key.day, $1.key.segment, $1.key.metric) }) {
                _ = try writer.add(metric: dbMetric[Int(key.metric)], segment: dbSegment[Int(key.segment)], day: key.day, value: value,
                                   currency: key.currency >= 0 ? currencyPointers[Int(key.currency)] : nil, tag: 0)
            }
            _ = try writer.flush()
        }
        // The parsing side's counts and problems, then the writing side's duplicates, in line order.
        counts.add(parsing.counts)
        var problems = (parsing.problems + duplicateProblems).enumerated()
            .sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
        if problems.count > Self.maxReportedProblems { problems.removeLast(problems.count - Self.maxReportedProblems) }
        let (firstDay, lastDay) = (parsing.firstDay, parsing.lastDay)
        let (usedMetrics, usedSegments) = (parsing.usedMetrics, parsing.usedSegments)
        try writer.writeSpans()
        try writer.writeCells()
        counts.inserted = writer.inserted
        counts.updated = writer.updated
        counts.unchanged = writer.unchanged
        callbacks.progress?(reader.linesRead, reader.bytesRead)

        var notes = interpreter.notes
        if interpreter.skippedRateValues > 0 {
            notes.append("\(interpreter.skippedRateValues) rows of derived metrics (rates) not stored: rates are recomputed from counts")
        }
        if mapping.aggregate && counts.valuesRead > 0 {
            notes.append("rows with the same day and segment were summed (\(mapping.name) reports one row per campaign or product)")
        }
        // Bytes in memory were hashed before the batch was inserted (`batchHashWrittenOnce` checks both ways agree).
        let contentHash = hashAtStart ?? hasher.finish()
        let previous = try db.firstInt64(cached: "SELECT id FROM import_batch WHERE content_hash = ?1 AND id <> ?2 AND reverted_at IS NULL ORDER BY id DESC LIMIT 1",
                                         [.text(contentHash), .int(batch.id!)])
        if counts.problems > 0 && !request.skipInvalid && !request.dryRun {
            let found: Message = counts.problems == 1 ? "1 problem" : "\(counts.problems) problems"
            let rows: Message = counts.rowsRejected == 1 ? "1 row" : "\(counts.rowsRejected) rows"
            throw LinkStarError(.invalid, "\(request.fileName) rejected: \(found) in \(rows); nothing was imported (--skip-invalid FILE imports the valid rows)",
                                details: problems)
        }
        let outcome: ImportOutcome = request.dryRun ? .dryRun : (counts.inserted + counts.updated > 0 ? .imported : .unchanged)
        batch.contentHash = contentHash
        batch.format = mapping.name
        batch.rowsRead = counts.rowsRead
        batch.rowsSkipped = counts.rowsSkipped
        batch.rowsRejected = counts.rowsRejected
        batch.inserted = counts.inserted
        batch.updated = counts.updated
        batch.unchanged = counts.unchanged
        // Most imports (every API write) have no notes: "[]" is what the encoder writes for them.
        batch.notesJson = notes.isEmpty ? "[]" : String(decoding: try JSONEncoder().encode(notes), as: UTF8.self)
        let summary = ImportSummary(
            outcome: outcome, importId: outcome == .imported ? batch.id : nil, file: request.fileName, format: mapping.name,
            contentHash: contentHash, previousImportId: previous, rowsRead: counts.rowsRead, rowsImported: counts.rowsImported,
            rowsSkipped: counts.rowsSkipped, rowsRejected: counts.rowsRejected, valuesRead: counts.valuesRead,
            inserted: counts.inserted, updated: counts.updated, unchanged: counts.unchanged,
            firstDay: firstDay == .max ? nil : Day(ordinal: Int(firstDay)),
            lastDay: lastDay == .min ? nil : Day(ordinal: Int(lastDay)),
            metrics: usedMetrics.indices.filter { usedMetrics[$0] }.map { interpreter.metricKeys[$0] }.sorted(),
            segments: usedSegments.indices.filter { usedSegments[$0] }.map { interpreter.segments[$0].description }.sorted(),
            notes: notes, problemCount: counts.problems, problems: problems)
        if outcome == .imported {
            try batch.storeOutcome(db, hashInserted: hashAtStart != nil)
            try audit(db, actor: actor, action: "import", entity: "import", entityId: String(batch.id!), before: ImportSummary?.none,
                      after: ImportAuditSnapshot(summary))
        }
        return summary
    }

    /// Reverts an import: removes the values it inserted and puts back exactly what it replaced (or confirmed), so the
    /// observations are as they were before it. Refused when a later, unreverted import changed some of the same cells,
    /// unless `force` (those cells keep the later import's values); refused for imports made before imports kept what
    /// they replaced, when they replaced anything. One transaction, audited.
    public func revertImport(id: Int64, force: Bool, actor: String) async throws -> ImportRevertReport {
        try await writer.write { db in
            guard var batch = try ImportBatchRecord.fetchOne(db, key: id) else {
                throw LinkStarError(.notFound, "no import #\(id)", details: [.init(field: "id", message: "no import #\(id)")])
            }
            if batch.revertedAt != nil {
                throw LinkStarError(.conflict, "import #\(id) was already reverted", details: [.init(field: "id", message: "already reverted")])
            }
            if !batch.keepsReplaced && batch.updated + batch.unchanged > 0 {
                throw LinkStarError(.conflict, "import #\(id) replaced or confirmed \(batch.updated + batch.unchanged) values before LinkStar kept what imports replace: it cannot be reverted exactly",
                                    details: [.init(field: "id", message: "made before 0006")])
            }
            let later = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM observation_replaced r JOIN import_batch b ON b.id = r.import_id
                WHERE r.previous_import_id = ? AND b.reverted_at IS NULL
                """, arguments: [id]) ?? 0
            if later > 0 && !force {
                throw LinkStarError(.conflict, later == 1 ? "1 value of import #\(id) was changed by a later import since; revert that one first, or use --force to keep the later value"
                                        : "\(later) values of import #\(id) were changed by a later import since; revert that one first, or use --force to keep the later values",
                                    details: [.init(field: "force", message: "\(later) cells changed later")], hint: .overrideWithReason)
            }
            if later > 0 {
                // The later imports now replaced what this import had replaced (or nothing, where it had inserted).
                try db.execute(sql: """
                    UPDATE observation_replaced AS r SET value = o.value, currency = o.currency, previous_import_id = o.previous_import_id
                    FROM observation_replaced AS o
                    WHERE r.previous_import_id = ?1 AND o.import_id = ?1
                      AND o.day = r.day AND o.segment_id = r.segment_id AND o.metric_id = r.metric_id
                    """, arguments: [id])
                try db.execute(sql: "DELETE FROM observation_replaced WHERE previous_import_id = ?", arguments: [id])
            }
            // Every cell whose observations this revert changes, for the daily rollup.
            var cells = CellRollup.TouchedCells()
            for row in try Row.fetchAll(db, sql: "SELECT DISTINCT day, segment_id FROM observation WHERE import_id = ?", arguments: [id]) {
                cells.insert(day: row[0], segment: row[1])
            }
            try db.execute(sql: """
                UPDATE observation SET value = r.value, currency = r.currency, import_id = r.previous_import_id
                FROM observation_replaced AS r
                WHERE r.import_id = ?1 AND observation.import_id = ?1
                  AND observation.day = r.day AND observation.segment_id = r.segment_id AND observation.metric_id = r.metric_id
                """, arguments: [id])
            let restored = db.changesCount
            let touched = try Row.fetchAll(db, sql: "SELECT DISTINCT segment_id, metric_id FROM observation WHERE import_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM observation WHERE import_id = ?", arguments: [id])
            let removed = db.changesCount
            try self.recomputeSpans(db, series: touched.map { ($0["segment_id"], $0["metric_id"]) })
            try CellRollup.rebuild(db, touched: cells)
            try db.execute(sql: "DELETE FROM observation_replaced WHERE import_id = ?", arguments: [id])
            batch.revertedAt = self.nowText()
            batch.revertedBy = actor
            try batch.update(db)
            let report = ImportRevertReport(importId: id, removed: removed, restored: restored, changedLater: later)
            try self.audit(db, actor: actor, action: "import.revert", entity: "import", entityId: String(id), before: ImportRevertReport?.none,
                           after: report, reason: force && later > 0 ? "forced: \(later) cells changed later keep their values" : nil)
            return report
        }
    }

    /// Past imports, newest first.
    public func imports(limit: Int = 50) async throws -> [ImportBatchView] {
        try await writer.read { db in
            try ImportBatchRecord.order(ImportBatchRecord.Columns.id.desc).limit(limit).fetchAll(db).map { r in
                ImportBatchView(id: r.id!, source: r.source, file: r.fileName, contentHash: r.contentHash, format: r.format,
                                rowsRead: r.rowsRead, rowsSkipped: r.rowsSkipped, rowsRejected: r.rowsRejected, inserted: r.inserted,
                                updated: r.updated, unchanged: r.unchanged, actor: r.actor, importedAt: Self.date(r.importedAt),
                                revertedAt: r.revertedAt.map(Self.date), revertedBy: r.revertedBy)
            }
        }
    }
}

/// Hashes the file's chunks as the reader streams them. A small input (an API write) is hashed in place; past
/// `inlineBytes`, chunks are copied and hashed on a thread of their own while the import parses and inserts (SHA-256
/// was a tenth of a large import's time), at most `maxPending` chunks ahead.
final class ChunkHasher: @unchecked Sendable {  // `hasher` is touched by the caller until the first hand-off, then only on `queue`.
    private var hasher = ContentHasher()
    /// Bytes seen so far: past `inlineBytes` every chunk is handed off (the count only grows, so order is kept).
    private var bytesSeen = 0
    private let queue = DispatchQueue(label: "linkstar.import.hash")
    private let pending = DispatchSemaphore(value: ChunkHasher.maxPending)
    static let inlineBytes = 256 * 1024
    static let maxPending = 8

    func update(_ bytes: UnsafeRawBufferPointer) {
        bytesSeen += bytes.count
        if bytesSeen <= Self.inlineBytes {
            hasher.update(bytes)
            return
        }
        let copy = [UInt8](bytes)
        pending.wait()
        queue.async {
            copy.withUnsafeBytes { self.hasher.update($0) }
            self.pending.signal()
        }
    }

    func finish() -> String {
        queue.sync { hasher.finish() }
    }
}

struct ImportCounts {
    var rowsRead = 0, rowsImported = 0, rowsSkipped = 0, rowsRejected = 0
    var valuesRead = 0, inserted = 0, updated = 0, unchanged = 0, problems = 0

    /// Adds another side's counts.
    mutating func add(_ other: ImportCounts) {
        rowsRead += other.rowsRead; rowsImported += other.rowsImported; rowsSkipped += other.rowsSkipped
        rowsRejected += other.rowsRejected; valuesRead += other.valuesRead; inserted += other.inserted
        updated += other.updated; unchanged += other.unchanged; problems += other.problems
    }
}

/// The values of a run of rows, parsed and waiting to be written, with the interpreter's interned names as they were
/// after the last of them (the writer resolves new ones to database ids).
struct ParsedBatch: Sendable {
    /// Rows per batch.
    static let rows = 4_096
    var values: [ParsedObservation] = []
    /// The file line of each value (duplicates are reported by line).
    var lines: [Int] = []
    var metricKeys: [String] = []
    var segments: [Segment] = []
    var currencies: [String] = []

    mutating func clear() {
        values.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
    }
}

/// The parsing side of an import: reads rows, interprets them, counts what it skipped and rejected (with the problems),
/// and hands on the values of the rows it accepted.
struct ImportParsing: @unchecked Sendable {  // used by one thread at a time: the importer's, then the pipeline's, then the importer's again
    let reader: CSVReader
    var interpreter: ImportInterpreter
    let headerFields: [String]
    let callbacks: ImportCallbacks
    let fileName: String
    let maxProblems: Int
    var counts = ImportCounts()
    var problems: [LinkStarError.Detail] = []
    var firstDay = Int32.max, lastDay = Int32.min
    var usedMetrics: [Bool] = [], usedSegments: [Bool] = []
    private var nextProgress = 65_536
    private var observations: [ParsedObservation] = []
    private var rowProblems: [LinkStarError.Detail] = []

    init(reader: CSVReader, interpreter: ImportInterpreter, headerFields: [String], callbacks: ImportCallbacks, fileName: String, maxProblems: Int) {
        self.reader = reader
        self.interpreter = interpreter
        self.headerFields = headerFields
        self.callbacks = callbacks
        self.fileName = fileName
        self.maxProblems = maxProblems
    }

    /// The interpreter's interned names, as the writer needs them.
    private func snapshotNames(into batch: inout ParsedBatch) {
        if batch.metricKeys.count != interpreter.metricKeys.count { batch.metricKeys = interpreter.metricKeys }
        if batch.segments.count != interpreter.segments.count { batch.segments = interpreter.segments }
        if batch.currencies.count != interpreter.currencies.count { batch.currencies = interpreter.currencies }
    }

    private mutating func note(_ problem: LinkStarError.Detail) {
        counts.problems += 1
        if problems.count < maxProblems { problems.append(problem) }
    }

    /// Parses up to `rows` rows into `batch` (cleared by the caller). False once the input is at its end.
    mutating func fill(_ batch: inout ParsedBatch, rows: Int) throws -> Bool {
        var read = 0
        defer { snapshotNames(into: &batch) }
        while read < rows {
            guard let record = try reader.next() else { return false }
            read += 1
            counts.rowsRead += 1
            if counts.rowsRead >= nextProgress {
                nextProgress += 65_536
                callbacks.progress?(reader.linesRead, reader.bytesRead)
            }
            observations.removeAll(keepingCapacity: true)
            rowProblems.removeAll(keepingCapacity: true)
            switch interpreter.interpret(record, into: &observations, problems: &rowProblems) {
            case .skippedBlank, .skippedTotal:
                counts.rowsSkipped += 1
                continue
            case .invalid:
                counts.rowsRejected += 1
                for problem in rowProblems { note(problem) }
                callbacks.rejected?(headerFields, record, rowProblems)
                continue
            case .observations:
                break
            }
            if observations.isEmpty {
                counts.rowsSkipped += 1
                continue
            }
            counts.rowsImported += 1
            for o in observations {
                counts.valuesRead += 1
                if o.day < firstDay { firstDay = o.day }
                if o.day > lastDay { lastDay = o.day }
                while usedMetrics.count <= Int(o.metric) { usedMetrics.append(false) }
                while usedSegments.count <= Int(o.segment) { usedSegments.append(false) }
                usedMetrics[Int(o.metric)] = true
                usedSegments[Int(o.segment)] = true
                batch.values.append(o)
                batch.lines.append(record.line)
            }
        }
        return true
    }
}

/// Parsing on a thread of its own, at most `depth` batches ahead of the writer. The writer takes batches with `next()`
/// (nil at the end of the input; a parsing error is thrown there), and `stop()`s the parser when it fails itself;
/// `finished()` hands the parsing side back once its thread has ended.
final class ImportPipeline: @unchecked Sendable {  // its state is guarded by `condition`
    /// Rows an import parses on its own thread before handing the rest to a pipeline (an API write never reaches it).
    static let afterRows = 16_384
    static let depth = 4

    private let condition = NSCondition()
    private var ready: [ParsedBatch] = []
    private var spare: [ParsedBatch] = []
    private var ended = false
    private var failure: (any Error)?
    private var stopped = false
    private var threadDone = false
    private var parsing: ImportParsing

    init(_ parsing: ImportParsing) {
        self.parsing = parsing
        let thread = Thread { [self] in self.run() }
        thread.name = "linkstar.import.parse"
        thread.start()
    }

    private func run() {
        var parsing = condition.withLock { self.parsing }
        var more = true
        while more {
            var batch = condition.withLock { spare.popLast() } ?? ParsedBatch()
            batch.clear()
            do {
                more = try parsing.fill(&batch, rows: ParsedBatch.rows)
            } catch {
                condition.withLock { failure = error; ended = true; condition.broadcast() }
                more = false
                break
            }
            condition.lock()
            while ready.count >= Self.depth && !stopped { condition.wait() }
            if stopped { condition.unlock(); break }
            ready.append(batch)
            if !more { ended = true }
            condition.broadcast()
            condition.unlock()
        }
        condition.withLock {
            self.parsing = parsing
            ended = true
            threadDone = true
            condition.broadcast()
        }
    }

    /// The next parsed batch in file order; nil at the end of the input. Throws the parser's error.
    func next() throws -> ParsedBatch? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !ended { condition.wait() }
        if !ready.isEmpty {
            let batch = ready.removeFirst()
            condition.broadcast()
            return batch
        }
        if let failure { throw failure }
        return nil
    }

    /// Gives a written batch's storage back for reuse.
    func recycle(_ batch: ParsedBatch) { condition.withLock { if spare.count < Self.depth { spare.append(batch) } } }

    /// Stops the parser (the writer failed) and waits for its thread to end.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !threadDone { condition.wait() }
        condition.unlock()
    }

    /// The parsing side once its thread has ended.
    func finished() -> ImportParsing {
        condition.lock()
        defer { condition.unlock() }
        while !threadDone { condition.wait() }
        return parsing
    }
}

struct AggregateKey: Hashable {
    var metric: Int32
    var segment: Int32
    var day: Int32
    var currency: Int32
}

/// The audit snapshot of an import: its counts, not its problems.
struct ImportAuditSnapshot: Codable, JSONMembers {
    var file: String
    var format: String
    var contentHash: String
    var rowsRead: Int
    var rowsRejected: Int
    var inserted: Int
    var updated: Int
    var unchanged: Int

    init(_ s: ImportSummary) {
        file = s.file
        format = s.format
        contentHash = s.contentHash
        rowsRead = s.rowsRead
        rowsRejected = s.rowsRejected
        inserted = s.inserted
        updated = s.updated
        unchanged = s.unchanged
    }

    func encode(to encoder: any Encoder) throws { try encodeMembers(to: encoder) }

    /// The JSON members, keys in ascending order (`JSONMembers`).
    func writeMembers(to w: inout JSONMemberWriter) throws {
        try w.write("content_hash", contentHash)
        try w.write("file", file)
        try w.write("format", format)
        try w.write("inserted", inserted)
        try w.write("rows_read", rowsRead)
        try w.write("rows_rejected", rowsRejected)
        try w.write("unchanged", unchanged)
        try w.write("updated", updated)
    }
}

/// One observation sent as data (an API batch), in the long format's fields.
public struct ObservationInput: Codable, Sendable, Equatable {
    public var date: String
    public var channel: String
    public var market: String
    public var device: String
    public var metric: String
    public var value: Double
    public var currency: String?

    public init(date: String, channel: String, market: String, device: String, metric: String, value: Double, currency: String? = nil) {
        self.date = date
        self.channel = channel
        self.market = market
        self.device = device
        self.metric = metric
        self.value = value
        self.currency = currency
    }
}

extension WorkspaceDatabase {
    /// Imports a batch of observations through the same importer as files (same validation, all or nothing).
    /// Problems name the batch element and field, e.g. `observations[3].value`.
    public func importObservations(_ batch: [ObservationInput], actor: String) throws -> ImportSummary {
        if batch.isEmpty { throw LinkStarError.invalidField("observations", "the batch is empty") }
        // Each element's key fields as data, not as CSV cells: no blank date read as a summary row, no `*` segment.
        var problems: [LinkStarError.Detail] = []
        for (index, o) in batch.enumerated() where problems.count < Self.maxReportedProblems {
            func check(_ field: String, _ body: () throws -> Void) {
                do { try body() } catch let error as LinkStarError {
                    problems.append(.init(field: "observations[\(index)].\(field)", message: error.details.first?.text ?? error.summary))
                } catch {}
            }
            check("date") { _ = try Day(parsing: o.date, field: "date") }
            check("channel") { if try Segment.normaliseChannel(o.channel, field: "channel") == Segment.any { throw LinkStarError.invalidField("channel", "must be a concrete channel, not *") } }
            check("market") { if try Segment.normaliseMarket(o.market, field: "market") == Segment.any { throw LinkStarError.invalidField("market", "must be a concrete market, not *") } }
            check("device") { if try Segment.normaliseDevice(o.device, field: "device") == Segment.any { throw LinkStarError.invalidField("device", "must be a concrete device, not *") } }
            check("metric") { _ = try MetricKey.validate(o.metric, field: "metric") }
            check("currency") {
                if let code = o.currency, !(code.count == 3 && code.allSatisfy({ $0.isASCII && $0.isLetter })) {
                    throw LinkStarError.invalidField("currency", "\(Excerpt.quoted(code)) is not a 3-letter currency code")
                }
            }
        }
        if !problems.isEmpty { throw LinkStarError(.invalid, "the batch was rejected; nothing was written", details: problems) }
        let columns = ["date", "channel", "market", "device", "metric", "value", "currency"]
        var csv = columns.joined(separator: ",") + "\n"
        for o in batch {
            csv += [o.date, o.channel, o.market, o.device, o.metric, String(o.value), o.currency ?? ""].map(CSVField.quote)
                .joined(separator: ",") + "\n"
        }
        do {
            // The long preset, told the delimiter it was written with (nothing to guess).
            var mapping = try ImportPresets.mapping("long")
            mapping.delimiter = UInt8(ascii: ",")
            return try importObservations(from: MemoryByteSource(csv), request: ImportRequest(fileName: "batch", format: "long", mapping: mapping,
                                                                                              source: "api"),
                                          actor: actor)
        } catch let error as LinkStarError {
            // CSV line n is batch element n - 2 (line 1 is the header).
            let details = error.details.map { d -> LinkStarError.Detail in
                guard let line = d.line else { return d }
                let field = "observations[\(line - 2)]" + (d.column.map { $0 - 1 < columns.count ? ".\(columns[$0 - 1])" : "" } ?? "")
                return LinkStarError.Detail(field: field, message: d.text)
            }
            throw LinkStarError(error.kind, error.kind == .invalid ? "the batch was rejected; nothing was written" : error.summary, details: details)
        }
    }
}

/// The interpreter the last import started with, by everything it is made from. Every API write sends the same header
/// under the same mapping, catalog and name, so each write starts from a copy instead of resolving the header against
/// the mapping and the catalog again. The interpreter is a value: what an import interns goes into its own copy.
final class InterpreterCache: @unchecked Sendable {
    /// What an interpreter is made from; the catalog by the reference version it was read at (read at the start of the
    /// import's transaction, before it changes anything: a committed version, which always means the same catalog).
    struct Key: Equatable {
        var referenceVersion: Int64
        var headers: [String]
        var headerLine: Int
        var mapping: ImportMapping
        var overrides: ImportOverrides
        var fileName: String
    }

    private let lock = NSLock()
    private var last: (key: Key, interpreter: ImportInterpreter)?

    /// The kept interpreter when `key` is the last one's, else the one `make` makes (kept when it makes one).
    func interpreter(for key: Key, make: () throws -> ImportInterpreter) rethrows -> ImportInterpreter {
        if let last = lock.withLock({ last }), last.key == key { return last.interpreter }
        let made = try make()
        lock.withLock { last = (key, made) }
        return made
    }
}
