import Foundation
import GRDB
import LinkStarCore
import LinkStarMigrations
import Testing
@testable import LinkStarStore

/// Backup, restore, doctor and export on real files.
@Suite("Backup, restore, doctor, export", .serialized)
struct MaintenanceTests {
    static func workspace(_ folder: URL) async throws -> WorkspaceLocation {
        let location = WorkspaceLocation.inDirectory(folder.appendingPathComponent("ws").path)
        _ = try await Workspace.initialize(location, actor: "lin.wei",
                                           firstAdmin: NewPerson(handle: "lin.wei", displayName: "Lin Wei", role: .admin))
        return location
    }

    /// Keeps adding events from its own connection until told to stop; counts what it committed.
    final class Writer: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false
        private(set) var committed = 0
        var isStopped: Bool { lock.withLock { stopped } }
        func stop() { lock.withLock { stopped = true } }
        func run(_ location: WorkspaceLocation, index: Int) async throws {
            let database = try WorkspaceDatabase.openFile(at: location.databasePath)
            let period = try DayRange(parsing: "2026-11-01")
            while !isStopped {
                _ = try await database.addEvent(NewEvent(kind: .other, title: "writer \(index) #\(committed)", period: period), actor: "lin.wei")
                lock.withLock { committed += 1 }
            }
        }
    }

    @Test("a backup taken while 4 writers run restores to a database that passes doctor, with every write committed before it began")
    func backupUnderWrites() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = try await Self.workspace(folder)
        let writers = (0..<4).map { _ in Writer() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, writer) in writers.enumerated() { group.addTask { try await writer.run(location, index: index) } }
            try await Task.sleep(for: .milliseconds(300))
            let source = try Workspace.open(location)
            let committedBefore = try await source.changeToken()
            let backupFile = folder.appendingPathComponent("backup.sqlite").path
            let report = try Workspace.backup(location, to: backupFile)
            try await Task.sleep(for: .milliseconds(200))
            writers.forEach { $0.stop() }
            try await group.waitForAll()
            #expect(report.lastAuditId >= committedBefore)
            #expect(writers.allSatisfy { $0.committed > 0 })

            // Restore into a fresh place: integrity, keys, migrations and permissions are all fine.
            let restoredLocation = WorkspaceLocation.inDirectory(folder.appendingPathComponent("restored").path)
            try FileManager.default.createDirectory(atPath: folder.appendingPathComponent("restored").path, withIntermediateDirectories: true)
            let restore = try await Workspace.restore(restoredLocation, from: backupFile, actor: "lin.wei")
            #expect(restore.previousKeptAs == nil)
            #expect(restore.lastAuditId == report.lastAuditId)
            let doctor = try Workspace.doctor(restoredLocation)
            #expect(doctor.healthy, "\(doctor.findings)")
            // Every audit entry committed before the backup began is in the restored copy, exactly.
            let restored = try Workspace.open(restoredLocation)
            let original = try await source.auditRows(upTo: committedBefore)
            #expect(try await restored.auditRows(upTo: committedBefore) == original)
            #expect(original.count == Int(committedBefore))
            let mode = try FileManager.default.attributesOfItem(atPath: backupFile)[.posixPermissions] as? Int
            #expect(mode.map { $0 & 0o777 } == 0o600)
        }
    }

    @Test("restore keeps the replaced file, refuses a newer schema or a damaged file, migrates an older one, and is audited")
    func restoreRules() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = try await Self.workspace(folder)
        let backupFile = folder.appendingPathComponent("b.sqlite").path
        _ = try Workspace.backup(location, to: backupFile)
        #expect(throws: LinkStarError.self) { try Workspace.backup(location, to: backupFile) }   // never overwrites

        let database = try Workspace.open(location)
        _ = try await database.addEvent(NewEvent(kind: .other, title: "after the backup", period: try DayRange(parsing: "2026-11-01")), actor: "lin.wei")
        let report = try await Workspace.restore(location, from: backupFile, actor: "lin.wei")
        #expect(report.previousKeptAs == location.databasePath + ".before-restore")
        let restored = try Workspace.open(location)
        #expect(try await restored.events().isEmpty)   // the event after the backup is not in it
        let entries = try await restored.auditEntries(entity: "workspace", limit: 5)
        #expect(entries.first?.action == "workspace.restore")
        // The kept file still has the event.
        #expect(try await WorkspaceDatabase.openFile(at: report.previousKeptAs!).events().count == 1)
        // A second restore would need the kept file moved away.
        await #expect(throws: LinkStarError.self) { try await Workspace.restore(location, from: backupFile, actor: "lin.wei") }

        // A newer schema is refused; so is a file that is not a workspace.
        let newer = folder.appendingPathComponent("newer.sqlite").path
        try FileManager.default.copyItem(atPath: backupFile, toPath: newer)
        try await DatabaseQueue(path: newer).write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('0099_future')") }
        let other = WorkspaceLocation.inDirectory(folder.appendingPathComponent("other").path)
        let refusal = await #expect(throws: LinkStarError.self) { try await Workspace.restore(other, from: newer, actor: "a") }
        #expect(refusal?.message.contains("newer schema") == true)
        let junk = folder.appendingPathComponent("junk.sqlite").path
        try Data("not a database at all, just text".utf8).write(to: URL(fileURLWithPath: junk))
        await #expect(throws: LinkStarError.self) { try await Workspace.restore(other, from: junk, actor: "a") }

        // An older schema (a backup made before 0006) is migrated on restore.
        let older = folder.appendingPathComponent("older.sqlite").path
        let queue = try DatabaseQueue(path: older)
        try WorkspaceDatabase.migrator.migrate(queue, upTo: "0005_true_numbers")
        try queue.close()
        try FileManager.default.createDirectory(atPath: folder.appendingPathComponent("other").path, withIntermediateDirectories: true)
        let migrated = try await Workspace.restore(other, from: older, actor: "a")
        #expect(migrated.migrated == MigrationFiles.all.map(\.name).filter { $0 > "0005_true_numbers" })
        #expect(try Workspace.doctor(other).healthy)
    }

    @Test("doctor reports a world-readable file and a damaged database; export is one JSON document with every table")
    func doctorAndExport() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = try await Self.workspace(folder)
        #expect(try Workspace.doctor(location).healthy)
        chmod(location.databasePath, 0o644)
        let loose = try Workspace.doctor(location)
        #expect(!loose.healthy)
        #expect(loose.findings.contains { $0.check == "permissions" })
        chmod(location.databasePath, 0o600)

        let file = folder.appendingPathComponent("export.json")
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        try Workspace.export(location, to: handle)
        try handle.close()
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let tables = try #require(document["tables"] as? [String: [[String: Any]]])
        #expect(tables["person"]?.first?["handle"] as? String == "lin.wei")
        #expect(tables["metric"]?.count == MetricCatalog.all.count)
        #expect((document["migrations"] as? [String]) == MigrationFiles.all.map(\.name))
        #expect(tables["cell_day"] == nil && tables["cell"] == nil, "the daily totals are derived, not exported")
    }

    @Test("doctor finds daily totals that differ from the observations (changed, missing, extra); --repair rebuilds them, audited")
    func rollupCheckAndRepair() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = try await Self.workspace(folder)
        let database = try Workspace.open(location)
        _ = try Fixture.importText(database, longCSV([
            (nov(1), "shopee/MY/all", "sessions", 100, ""), (nov(1), "shopee/MY/all", "revenue", 12.5, "MYR"),
            (nov(1), "amazon/US/all", "sessions", 300, ""), (nov(2), "amazon/US/all", "sessions", 310, ""),
        ]))
        let healthy = try Workspace.doctor(location)
        #expect(healthy.healthy && healthy.rollupCellsDiffering == 0)
        let direct = try WorkspaceDatabase(database.writer, clock: database.clock, logger: database.logger, changeWatch: nil, cellSource: .observations)
        let period = try DayRange(parsing: "2026-11-01..2026-11-02")

        // Edited by hand: one value changed, one cell deleted, one cell that has no observations.
        try await database.writer.write { db in
            var days: [Int: [(segment: Int64, entries: [UInt8])]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT day, packed FROM cell_day") { days[row[0]] = try #require(CellRollup.decodeDay([UInt8](row[1] as Data))) }
            let first = try #require(days.keys.min()), second = first + 1
            #expect(days[first]?.count == 2 && days[second]?.count == 1)
            days[first]![0].entries[4] ^= 1                                 // a value changed
            days[first]!.remove(at: 1)                                      // a cell deleted
            days[second + 5] = days[second]                                 // a cell without observations
            try db.execute(sql: "DELETE FROM cell_day")
            for (day, cells) in days {
                try db.execute(sql: "INSERT INTO cell_day (day, packed) VALUES (?, ?)", arguments: [day, Data(CellRollup.encodeDay(cells))])
            }
        }
        let broken = try Workspace.doctor(location)
        #expect(!broken.healthy)
        #expect(broken.rollupCellsDiffering == 3)
        #expect(broken.findings.contains { $0.check == "rollup" })
        #expect(try await database.funnel(period: period) != (try await direct.funnel(period: period)))

        let repaired = try Workspace.rebuildRollup(location, actor: "lin.wei")
        #expect(repaired == RollupRebuildReport(cells: 3, differed: 3))
        #expect(try Workspace.doctor(location).healthy)
        #expect(try await database.funnel(period: period) == (try await direct.funnel(period: period)))
        let audit = try await database.writer.read { db in try String.fetchOne(db, sql: "SELECT action FROM audit_entry ORDER BY id DESC LIMIT 1") }
        #expect(audit == "rollup.rebuild")
    }

    @Test("a day whose packed bytes are damaged: reports refuse naming the repair, a write on that day rebuilds it whole, doctor counts it")
    func damagedDay() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = try await Self.workspace(folder)
        let database = try Workspace.open(location)
        _ = try Fixture.importText(database, longCSV([
            (nov(1), "shopee/MY/all", "sessions", 100, ""), (nov(1), "amazon/US/all", "sessions", 300, ""),
            (nov(1), "amazon/US/all", "orders", 9, ""), (nov(2), "amazon/US/all", "sessions", 310, ""),
        ]))
        let direct = try WorkspaceDatabase(database.writer, clock: database.clock, logger: database.logger, changeWatch: nil, cellSource: .observations)
        let period = try DayRange(parsing: "2026-11-01..2026-11-02")
        let day = try Day(parsing: nov(1)).ordinal
        // Cut short by one byte: the second cell claims more metrics than the bytes hold.
        try await database.writer.write { db in
            let packed = try #require(try Data.fetchOne(db, sql: "SELECT packed FROM cell_day WHERE day = ?", arguments: [day]))
            try db.execute(sql: "UPDATE cell_day SET packed = ? WHERE day = ?", arguments: [packed.dropLast(), day])
        }
        await #expect(throws: DatabaseError.self) { _ = try await database.funnel(period: period) }
        do {
            _ = try await database.funnel(period: period)
        } catch let error as DatabaseError {
            #expect(error.message?.contains("doctor --repair") == true)
        }
        let broken = try Workspace.doctor(location)
        #expect(!broken.healthy && (broken.rollupCellsDiffering ?? 0) >= 1)

        // A one-value write on the damaged day rebuilds the whole day, so every cell of it is right again.
        _ = try Fixture.importText(database, longCSV([(nov(1), "amazon/US/all", "orders", 10, "")]))
        #expect(try Workspace.doctor(location).healthy)
        #expect(try await database.funnel(period: period) == (try await direct.funnel(period: period)))
    }

    @Test("reading a day's cells never leaves its bytes: random and cut-short bytes stop the walk, they never trap")
    func cellWalkStaysInBounds() {
        var random = SeededGenerator(seed: 12)
        let good = CellRollup.encodeDay([(3, [UInt8](repeating: 1, count: 30)), (7, [UInt8](repeating: 2, count: 15))])
        var inputs: [[UInt8]] = (0...good.count).map { Array(good.prefix($0)) }
        for _ in 0..<2_000 { inputs.append((0..<Int.random(in: 0...80, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }) }
        // Headers that claim huge counts, zero counts and descending segments.
        inputs.append(CellRollup.encodeDay([(1, [])]))
        inputs.append(good + CellRollup.encodeDay([(2, [UInt8](repeating: 0, count: 15))]))
        inputs.append(Array(good.prefix(8)) + [0xFF, 0xFF, 0xFF, 0xFF] + Array(good.dropFirst(12)))
        for bytes in inputs {
            var seen = 0
            let wellFormed = bytes.withUnsafeBytes { CellRollup.forEachCell($0) { _, entries in seen += entries.count } }
            #expect(wellFormed == (CellRollup.decodeDay(bytes) != nil), "\(bytes)")
            #expect(seen <= bytes.count)
        }
        #expect(good.withUnsafeBytes { CellRollup.forEachCell($0) { _, _ in } })
    }
}

extension WorkspaceDatabase {
    /// Audit rows up to an id, as text (for comparing two databases).
    func auditRows(upTo id: Int64) async throws -> [String] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_entry WHERE id <= ? ORDER BY id", arguments: [id]).map { "\($0)" }
        }
    }
}
