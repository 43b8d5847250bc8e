import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import LinkStarCore
import LinkStarMigrations

/// The outcome of `linkstar backup`.
public struct BackupReport: Codable, Sendable, Equatable {
    public var file: String
    public var bytes: Int64
    /// The newest audit entry in the copy: every change up to it is in the backup.
    public var lastAuditId: Int64
    public var migrations: [String]
    public var seconds: Double
}

/// The outcome of `linkstar restore`.
public struct RestoreReport: Codable, Sendable, Equatable {
    public var restoredFrom: String
    /// Where the replaced database was kept.
    public var previousKeptAs: String?
    public var lastAuditId: Int64
    /// Migrations the restored copy lacked and got on opening (an older backup).
    public var migrated: [String]
}

/// One finding of `linkstar doctor`.
public struct DoctorFinding: Codable, Sendable, Equatable {
    /// `integrity`, `foreign_key`, `migration`, `permissions`, `journal`.
    public var check: String
    public var message: Message
}

/// `linkstar doctor`: the database's health.
public struct DoctorReport: Codable, Sendable, Equatable {
    public var database: String
    public var integrity: String
    public var foreignKeyViolations: Int
    public var appliedMigrations: [String]
    public var shippedMigrations: [String]
    public var fileModes: [String: String]
    public var journalMode: String
    public var findings: [DoctorFinding]
    public var healthy: Bool
    /// Cells of the daily totals (`cell_day`) that differ from the observations; nil before migration 0012.
    public var rollupCellsDiffering: Int?
}

/// What `doctor --repair` did to the daily totals.
public struct RollupRebuildReport: Codable, Sendable, Equatable {
    /// Cells written from the observations.
    public var cells: Int
    /// Cells that differed before (missing, extra or with other values).
    public var differed: Int
}

extension Workspace {
    /// A consistent copy of the workspace in one step of SQLite's online backup, inside one read transaction: writers
    /// keep writing meanwhile (WAL) and the copy is the database as of the moment the backup began. Refuses an
    /// existing destination. The copy is created 0600.
    public static func backup(_ location: WorkspaceLocation, to path: String) throws -> BackupReport {
        let started = ContinuousClock.now
        let destination = URL(fileURLWithPath: path).standardizedFileURL.path
        if FileManager.default.fileExists(atPath: destination) {
            throw LinkStarError(.conflict, "\(destination) already exists; backups never overwrite a file",
                                details: [.init(field: "file", message: "exists")])
        }
        let source = try open(location)
        try createPrivateFile(destination)
        do {
            let copy = try DatabaseQueue(path: destination)
            try source.writer.backup(to: copy)
            let (lastAudit, migrations) = try copy.read { db in
                (try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit_entry") ?? 0,
                 try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"))
            }
            try copy.close()
            let bytes = (try FileManager.default.attributesOfItem(atPath: destination)[.size] as? NSNumber)?.int64Value ?? 0
            let elapsed = ContinuousClock.now - started
            return BackupReport(file: destination, bytes: bytes, lastAuditId: lastAudit, migrations: migrations,
                                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw WorkspaceDatabase.domainError(error) ?? error
        }
    }

    /// Replaces the workspace with a backup: the backup must pass the integrity check and have no migration this
    /// version does not know (a newer schema is refused; an older one is migrated on opening). The replaced database
    /// is kept as `*.before-restore`. Stop `linkstar serve` first. Audited in the restored database.
    public static func restore(_ location: WorkspaceLocation, from path: String, actor: String,
                               clock: @escaping @Sendable () -> Date = { Date() }) async throws -> RestoreReport {
        let source = URL(fileURLWithPath: path).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: source) else {
            throw LinkStarError(.notFound, "no backup at \(source)", details: [.init(field: "file", message: "not found")])
        }
        var configuration = Configuration()
        configuration.readonly = true
        let backup: DatabaseQueue
        do { backup = try DatabaseQueue(path: source, configuration: configuration) } catch {
            throw LinkStarError(.invalid, "\(source) is not a LinkStar database: \(error)", details: [.init(field: "file", message: "not a database")])
        }
        let shipped = MigrationFiles.all.map(\.name)
        let (integrity, applied) = try await backup.read { db -> (String, [String]) in
            let integrity = (try? String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")) ?? "not a database"
            let hasMigrations = try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'grdb_migrations'") ?? false
            let applied = hasMigrations ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") : []
            return (integrity, applied)
        }
        try backup.close()
        guard integrity == "ok" else {
            throw LinkStarError(.invalid, "\(source) fails the integrity check (\(Excerpt.shortened(integrity))): not restored",
                                details: [.init(field: "file", message: "integrity check failed")])
        }
        guard !applied.isEmpty else {
            throw LinkStarError(.invalid, "\(source) is not a LinkStar workspace (no migrations recorded): not restored",
                                details: [.init(field: "file", message: "not a workspace")])
        }
        let unknown = applied.filter { !shipped.contains($0) }
        guard unknown.isEmpty else {
            throw LinkStarError(.invalid, "\(source) has a newer schema (\(unknown.joined(separator: ", "))) than this linkstar knows: upgrade linkstar first",
                                details: [.init(field: "file", message: "newer schema")])
        }
        let target = location.databasePath
        var kept: String?
        if FileManager.default.fileExists(atPath: target) {
            let previous = target + ".before-restore"
            if FileManager.default.fileExists(atPath: previous) {
                throw LinkStarError(.conflict, "\(previous) exists from an earlier restore; move it away first",
                                    details: [.init(field: "file", message: "\(previous) exists")])
            }
            // Fold the WAL into the main file so the kept copy is complete on its own.
            let current = try DatabaseQueue(path: target)
            try await current.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try current.close()
            try FileManager.default.moveItem(atPath: target, toPath: previous)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
            kept = previous
        }
        try createPrivateFile(target)
        let reader = try DatabaseQueue(path: source, configuration: configuration)
        let destination = try DatabaseQueue(path: target)
        try reader.backup(to: destination)
        try destination.close()
        try reader.close()
        let restored = try WorkspaceDatabase.openFile(at: target, clock: clock)
        let migrated = shipped.filter { !applied.contains($0) }
        let lastAudit = try await restored.changeToken()
        try await restored.writer.write { db in
            // A new reference number: a process that read this workspace's catalog before must not take the restored
            // copy's (older, reused) number for the one it saw.
            try db.execute(sql: "UPDATE reference_version SET version = abs(random() / 4) WHERE id = 1")
            // The same for the credential version: a server's trust in the tokens it checked must not carry over.
            try db.execute(sql: "UPDATE credential_version SET version = abs(random() / 4) WHERE id = 1")
            try restored.audit(db, actor: actor, action: "workspace.restore", entity: "workspace", entityId: "database",
                               before: RestoreReport?.none,
                               after: ["from": source, "last_audit_id": String(lastAudit), "migrated": migrated.joined(separator: ",")])
        }
        return RestoreReport(restoredFrom: source, previousKeptAs: kept, lastAuditId: lastAudit, migrated: migrated)
    }

    /// Integrity and foreign-key checks, the applied migrations against the shipped ones, file permissions and the journal mode.
    public static func doctor(_ location: WorkspaceLocation) throws -> DoctorReport {
        guard FileManager.default.fileExists(atPath: location.databasePath) else {
            throw LinkStarError(.notFound, "no workspace at \(location.databasePath)", hint: .initWorkspace)
        }
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: location.databasePath, configuration: configuration)
        defer { try? queue.close() }
        let shipped = MigrationFiles.all.map(\.name)
        var findings: [DoctorFinding] = []
        let (integrity, violations, applied, journal, rollup) = try queue.read { db -> (String, Int, [String], String, Int?) in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
            let violations = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            let journal = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "?"
            let rollup = try db.tableExists("cell_day") && db.tableExists("observation") ? try CellRollup.differingCells(db) : nil
            return (integrity, violations, applied, journal, rollup)
        }
        if integrity != "ok" { findings.append(DoctorFinding(check: "integrity", message: Message(verbatim: Excerpt.shortened(integrity)))) }
        if violations > 0 { findings.append(DoctorFinding(check: "foreign_key", message: "\(violations) rows reference rows that do not exist")) }
        let unknown = applied.filter { !shipped.contains($0) }
        if !unknown.isEmpty {
            findings.append(DoctorFinding(check: "migration", message: "applied but not shipped with this linkstar: \(unknown.joined(separator: ", "))"))
        }
        if applied.filter({ shipped.contains($0) }) != Array(shipped.prefix(applied.filter { shipped.contains($0) }.count)) {
            findings.append(DoctorFinding(check: "migration", message: "applied migrations are not a prefix of the shipped ones"))
        }
        if journal.lowercased() != "wal" { findings.append(DoctorFinding(check: "journal", message: "journal mode is \(journal), not wal")) }
        if let rollup, rollup > 0 {
            findings.append(DoctorFinding(check: "rollup", message: "\(rollup) cells of the daily totals differ from the observations: linkstar doctor --repair rebuilds them"))
        }
        var modes: [String: String] = [:]
        for suffix in ["", "-wal", "-shm"] {
            let path = location.databasePath + suffix
            guard let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int else { continue }
            let name = (path as NSString).lastPathComponent
            modes[name] = String(format: "%04o", mode & 0o7777)
            if mode & 0o037 != 0 {
                findings.append(DoctorFinding(check: "permissions", message: "\(name) is \(String(format: "%04o", mode & 0o777)): readable or writable beyond its owner and group (chmod 600)"))
            } else if mode & 0o040 != 0 && suffix == "" {
                // 0640: shared with a group on purpose; not a finding.
            }
        }
        return DoctorReport(database: location.databasePath, integrity: integrity, foreignKeyViolations: violations,
                            appliedMigrations: applied, shippedMigrations: shipped, fileModes: modes, journalMode: journal,
                            findings: findings, healthy: findings.isEmpty, rollupCellsDiffering: rollup)
    }

    /// Rebuilds the daily totals (`cell_day`) from the observations in one transaction, audited: the repair for a rollup
    /// that `doctor` found differing (for example after the database was edited by hand).
    public static func rebuildRollup(_ location: WorkspaceLocation, actor: String) throws -> RollupRebuildReport {
        let database = try open(location)
        return try database.writer.write { db in
            let differed = try CellRollup.differingCells(db)
            try CellRollup.rebuildAll(db)
            let report = RollupRebuildReport(cells: try CellRollup.cellCount(db), differed: differed)
            try database.audit(db, actor: actor, action: "rollup.rebuild", entity: "workspace", entityId: "cell",
                               before: RollupRebuildReport?.none, after: report)
            return report
        }
    }

    /// The whole workspace as one portable JSON document, written row by row (memory stays flat): every table's
    /// rows as objects keyed by column, and the applied migrations. The daily rollup (`cell_day`) is left out: it is
    /// packed binary derived from the observations, which are in the document.
    public static func export(_ location: WorkspaceLocation, to output: FileHandle) throws {
        let database = try open(location)
        try database.writer.read { db in
            func write(_ text: String) { output.write(Data(text.utf8)) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            func json(_ value: DatabaseValue) throws -> String {
                switch value.storage {
                case .null: return "null"
                case .int64(let i): return String(i)
                case .double(let d): return d.isFinite ? String(data: try encoder.encode(d), encoding: .utf8)! : "null"
                case .string(let s): return String(data: try encoder.encode(s), encoding: .utf8)!
                case .blob(let data): return String(data: try encoder.encode(data.base64EncodedString()), encoding: .utf8)!
                }
            }
            let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            write("{\"format\":\"linkstar-export\",\"version\":1,\"migrations\":")
            write(String(data: try encoder.encode(migrations), encoding: .utf8)!)
            write(",\"tables\":{")
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' AND name NOT IN ('cell', 'cell_day', 'reference_version', 'cell_version')
                ORDER BY name
                """)
            for (index, table) in tables.enumerated() {
                if index > 0 { write(",") }
                write(String(data: try encoder.encode(table), encoding: .utf8)! + ":[")
                let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)")
                var first = true
                while let row = try cursor.next() {
                    var fields: [String] = []
                    for (column, value) in row { fields.append(String(data: try encoder.encode(column), encoding: .utf8)! + ":" + (try json(value))) }
                    write((first ? "\n" : ",\n") + "{" + fields.joined(separator: ",") + "}")
                    first = false
                }
                write("]")
            }
            write("}}\n")
        }
    }
}
