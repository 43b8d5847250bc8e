import Foundation
import GRDB
import LinkStarCore
import LinkStarFormats
import LinkStarMigrations
import Logging

/// The one type that owns a workspace's database: it runs the migrations when it opens and
/// exposes every use case as a method. Each write method is one transaction and writes its
/// audit entries inside that transaction.
public final class WorkspaceDatabase: Sendable {
    /// The connection: a `DatabasePool` on disk, a `DatabaseQueue` in memory for tests.
    let writer: any DatabaseWriter
    /// The clock, injected so tests and demos are repeatable.
    let clock: @Sendable () -> Date
    let logger: Logger
    /// Overviews already computed, kept while the workspace does not change.
    let overviews = VersionedCache<Overview>()
    /// The notification key of a database without a file (in memory): it lives as long as the database.
    let ephemeralNotifyKey = SecretBox.newKey()
    /// The server's cheap look for commits (`changeToken()`); nil for a CLI process or a database in memory.
    let changeWatch: ChangeWatch?
    /// Where reports read observed values: the daily rollup, or the observations (the direct computation, for tests).
    let cellSource: CellSource
    /// The metric catalog and segment list last read, reused while `reference_version` stays the same.
    let references = ReferenceCache()
    /// The interpreter the last import started with (`InterpreterCache`).
    let interpreters = InterpreterCache()
    /// Window tables read from the rollup, reused while their days are unchanged (a server's; nil for a CLI process).
    let cellTables: CellTableCache?
    /// The server's WAL checkpoint, off the writer's path; nil for a CLI process or a database in memory.
    let backgroundCheckpoint: BackgroundCheckpoint?

    /// Wraps a connection and migrates it to the latest schema.
    public convenience init(_ writer: any DatabaseWriter, clock: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "linkstar.store")) throws {
        try self.init(writer, clock: clock, logger: logger, changeWatch: nil)
    }

    /// `keepsTables`: keep window tables between reports (`CellTableCache`); by default a server's database does.
    init(_ writer: any DatabaseWriter, clock: @escaping @Sendable () -> Date, logger: Logger, changeWatch: ChangeWatch?,
         cellSource: CellSource = .rollup, keepsTables: Bool? = nil, backgroundCheckpoint: BackgroundCheckpoint? = nil) throws {
        self.writer = writer
        self.clock = clock
        self.logger = logger
        self.changeWatch = changeWatch
        self.backgroundCheckpoint = backgroundCheckpoint
        self.cellSource = cellSource
        cellTables = keepsTables ?? (changeWatch != nil) ? CellTableCache() : nil
        // Migrating takes the write lock; a database that is up to date is only read.
        let migrator = Self.migrator
        if try !writer.read({ db in try migrator.hasCompletedMigrations(db) }) {
            try migrator.migrate(writer)
        }
    }

    /// How a process uses the database file.
    public enum Access: Sendable {
        /// One connection: short-lived CLI processes (cheapest to open).
        case single
        /// A WAL pool with concurrent readers: the server.
        case pool
    }

    /// Opens (or creates) the workspace database file at `path`. The file is in WAL mode either way,
    /// so CLI processes and a running server share it safely.
    public static func openFile(at path: String, access: Access = .single, clock: @escaping @Sendable () -> Date = { Date() },
                                logger: Logger = Logger(label: "linkstar.store")) throws -> WorkspaceDatabase {
        try openFile(at: path, access: access, clock: clock, logger: logger, checkpointPages: BackgroundCheckpoint.defaultPages)
    }

    /// `openFile`, a server's WAL checkpointed in the background once it holds `checkpointPages` pages (tests use fewer).
    static func openFile(at path: String, access: Access, clock: @escaping @Sendable () -> Date, logger: Logger,
                         checkpointPages: Int32) throws -> WorkspaceDatabase {
        var configuration = Configuration()
        configuration.busyMode = .timeout(TimeInterval(WorkspaceDatabase.busyTimeoutSeconds))
        configuration.foreignKeysEnabled = true
        switch access {
        case .pool:
            let pool = try DatabasePool(path: path, configuration: configuration)
            let checkpoint = BackgroundCheckpoint(path: path, pages: checkpointPages)
            pool.writeWithoutTransaction { db in checkpoint.install(on: db) }
            // After the pool has created the file in WAL mode, which a read-only connection cannot do.
            return try WorkspaceDatabase(pool, clock: clock, logger: logger, changeWatch: try ChangeWatch(path: path),
                                         backgroundCheckpoint: checkpoint)
        case .single:
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let mode = try queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            if mode?.lowercased() != "wal" {
                try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
            }
            return try WorkspaceDatabase(queue, clock: clock, logger: logger)
        }
    }

    /// A fresh, migrated in-memory database (tests, dry runs).
    public static func inMemory(clock: @escaping @Sendable () -> Date = { Date() }) throws -> WorkspaceDatabase {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        return try WorkspaceDatabase(DatabaseQueue(configuration: configuration), clock: clock)
    }

    /// The migrator applying `Migrations/*.sql` in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for file in MigrationFiles.all {
            let sql = file.sql
            let fill = fills[file.name]
            migrator.registerMigration(file.name) { db in
                try db.execute(sql: sql)
                try fill?(db)
            }
        }
        return migrator
    }

    /// Derived tables a migration adds and Swift fills, in the migration's transaction (what SQL alone cannot compute).
    static let fills: [String: @Sendable (Database) throws -> Void] = [
        // 0011's per-cell table is dropped by 0012, which fills its per-day successor.
        "0012_cell_day": { db in try CellRollup.rebuildAll(db, versioned: false) },
    ]

    /// Names of the migrations applied to this database.
    public func appliedMigrations() async throws -> [String] {
        try await writer.read { db in try Self.migrator.appliedIdentifiers(db).sorted() }
    }

    /// Calls `action` right after each transaction this process commits, on the committing thread, with the change token
    /// the commit made (read there, on the connection that wrote it), for as long as the returned observation is kept:
    /// a server refreshes the answers readers asked for as soon as a write lands.
    public func observeCommits(_ action: @escaping @Sendable (_ changeToken: Int64) -> Void) -> CommitObservation {
        let observation = CommitObservation(action)
        writer.add(transactionObserver: observation, extent: .observerLifetime)
        return observation
    }

    /// Reads on the calling thread, waiting there for a reader: no hop to the reader's queue and back (two thread
    /// switches each way on a busy server). For the short reads a request or a refresh makes in series with others.
    /// A pool's reader reads in a transaction of cached statements (`inCachedReadTransaction`); its connections are
    /// read-only, as in GRDB's `read`.
    /// Inside `afterOwnWrite`, it reads on the writer connection instead (see there).
    func readHere<T>(_ value: (Database) throws -> T) throws -> T {
        guard let pool = writer as? DatabasePool else { return try writer.read(value) }
        if Self.readsOnWriter { return try pool.writeWithoutTransaction { db in try db.inCachedReadTransaction(value) } }
        return try pool.unsafeRead { db in try db.inCachedReadTransaction(value) }
    }

    /// Set by `afterOwnWrite` for the task and the tasks it starts: `readHere` reads on the writer connection.
    @TaskLocal static var readsOnWriter = false

    /// Runs `body` (answers computed again right after this process's own write) with its reports reading on the writer
    /// connection, in a read transaction, instead of on a reader: every commit of another connection empties a
    /// reader's page cache, so a reader reads each page of the report again from the file (about 17 reads per
    /// one-observation write and funnel), while the writer's cache still holds the pages its write touched. Writes wait
    /// while one report reads (well under a millisecond for a funnel); requests' own reports stay on the readers.
    public static func afterOwnWrite<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        try await $readsOnWriter.withValue(true) { try await body() }
    }

    /// The metric catalog and the segment list as `db` sees them (read again only after either changed).
    func reference(_ db: Database) throws -> ReferenceData { try references.data(db) }

    /// The observed values of `metrics` over `range` on the segments inside `filter`, from this workspace's cell source.
    func cells(_ db: Database, metrics: [String], range: DayRange, filter: Segment) throws -> CellTable {
        try CellTable.read(db, metrics: metrics, range: range, filter: filter, source: cellSource, reference: try reference(db),
                           kept: cellTables)
    }

    /// `cells`, with the passes over its windows computed once per version of their days when the table is kept.
    func cellPasses(_ db: Database, metrics: [String], range: DayRange, filter: Segment) throws -> WindowPasses {
        try CellTable.readPasses(db, metrics: metrics, range: range, filter: filter, source: cellSource, reference: try reference(db),
                                 kept: cellTables)
    }

    /// The current time as stored (ISO 8601, UTC).
    func nowText() -> String { LinkStarJSON.timestamp(clock()) }

    /// The injected clock's current time (what a report says it was generated at).
    public func now() -> Date { clock() }

    // MARK: - Audit

    /// Appends one audit entry; call inside the write transaction that makes the change.
    func audit(_ db: Database, actor: String, action: String, entity: String, entityId: String,
               before: (some Encodable)?, after: (some Encodable)?, reason: String? = nil) throws {
        let encoder = LinkStarJSON.encoder(pretty: false)
        func json(_ value: (some Encodable)?) throws -> String? {
            guard let value else { return nil }
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        // One prepared statement (every write appends an entry): none of the record machinery.
        try db.execute(cached: """
            INSERT INTO audit_entry (at, actor, action, entity, entity_id, before_json, after_json, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """, [.text(nowText()), .text(actor), .text(action), .text(entity), .text(entityId), .text(try json(before)),
                  .text(try json(after)), .text(reason)])
        logger.debug("audit \(action) \(entity)#\(entityId) by \(actor)")
    }

    // MARK: - Lookups shared by use cases

    /// The person with this handle, or a not-found error suggesting the nearest handle.
    func personRecord(_ handle: String, field: String, _ db: Database) throws -> PersonRecord {
        let normalised = handle.trimmingCharacters(in: .whitespaces).lowercased()
        if let person = try PersonRecord.filter(PersonRecord.Columns.handle == normalised).fetchOne(db) { return person }
        let handles = try String.fetchAll(db, sql: "SELECT handle FROM person ORDER BY handle")
        if handles.isEmpty {
            throw LinkStarError(.notFound, "unknown person \(Excerpt.quoted(handle)): there are no people yet",
                                details: [.init(field: field, message: "unknown person \(Excerpt.quoted(handle))")], hint: .addPerson)
        }
        throw LinkStarError.unknown("person", handle, field: field, among: handles)
    }

    /// The metric with this key, or a not-found error suggesting the nearest key.
    func metricRecord(_ key: String, field: String, _ db: Database) throws -> MetricRecord {
        let normalised = key.trimmingCharacters(in: .whitespaces).lowercased()
        if let metric = try MetricRecord.filter(MetricRecord.Columns.key == normalised).fetchOne(db) { return metric }
        let keys = try String.fetchAll(db, sql: "SELECT key FROM metric ORDER BY key")
        throw LinkStarError.unknown("metric", key, field: field, among: keys)
    }

    /// The layer row, which `init` seeds.
    func layerRecord(_ key: LayerKey, _ db: Database) throws -> LayerRecord {
        guard let layer = try LayerRecord.fetchOne(db, key: key.rawValue) else {
            throw LinkStarError(.notFound, "layer '\(key.rawValue)' is not in this workspace", hint: .initWorkspace)
        }
        return layer
    }

    /// Handles by person id.
    func handlesById(_ db: Database) throws -> [Int64: String] {
        var map: [Int64: String] = [:]
        for person in try PersonRecord.fetchAll(db) { if let id = person.id { map[id] = person.handle } }
        return map
    }

    static func date(_ text: String) -> Date { LinkStarJSON.parseTimestamp(text) ?? Date(timeIntervalSince1970: 0) }
}

extension WorkspaceDatabase {
    /// "Today": the given override (a CLI `--today`, an API `?today=`), else the injected clock's UTC day.
    /// The only place a day is read from the clock.
    public func today(_ override: Day? = nil) -> Day { override ?? Day(clock()) }

    /// Seconds a write waits for another writer's lock before giving up with a `busy` error.
    public static let busyTimeoutSeconds = 10

    /// The domain form of a storage error an adapter cannot classify: a database that stayed locked past the
    /// busy timeout is `busy` (retry later: exit 8, HTTP 503); anything else is nil.
    public static func domainError(_ error: any Error) -> LinkStarError? {
        if let error = error as? LinkStarError { return error }
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return LinkStarError(.busy, "the workspace is busy: another process held the database lock for more than \(busyTimeoutSeconds) s (a large import?); retry in a moment")
        default:
            return nil
        }
    }
}

/// A commit callback registered by `observeCommits`: active while kept.
public final class CommitObservation: TransactionObserver, Sendable {
    private let action: @Sendable (Int64) -> Void

    init(_ action: @escaping @Sendable (Int64) -> Void) { self.action = action }

    public func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    public func databaseDidChange(with event: DatabaseEvent) {}
    /// The token is at least the commit's own (another process may have committed since): what a refresh computes at
    /// is then never older than the version it is kept under.
    public func databaseDidCommit(_ db: Database) {
        if let token = try? WorkspaceDatabase.newestAuditId(db) { action(token) }
    }
    public func databaseDidRollback(_ db: Database) {}
}
