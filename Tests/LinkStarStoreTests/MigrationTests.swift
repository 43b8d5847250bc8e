import Foundation
import GRDB
import LinkStarFormats
import LinkStarMigrations
import Testing
@testable import LinkStarStore

@Suite("Migrations")
struct MigrationTests {
    static var migrationFolder: URL { Fixture.repositoryRoot.appendingPathComponent("Migrations") }

    static func sqlFilesOnDisk() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: migrationFolder.path).filter { $0.hasSuffix(".sql") }.sorted()
    }

    static func schema(_ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: """
            SELECT type, name, tbl_name, sql FROM sqlite_master
            WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY type, name
            """).map { "\($0["type"] as String) \($0["name"] as String) on \($0["tbl_name"] as String): \(($0["sql"] as String?) ?? "")" }
    }

    @Test("every numbered .sql file in Migrations/ is embedded, in order, and none else")
    func embeddedListMatchesFolder() throws {
        let files = try Self.sqlFilesOnDisk()
        #expect(!files.isEmpty)
        #expect(MigrationFiles.all.map { $0.name + ".sql" } == files)
        for file in files {
            #expect(file.range(of: #"^\d{4}_[a-z0-9_]+\.sql$"#, options: .regularExpression) != nil, "\(file) is not NNNN_name.sql")
        }
        for (name, sql) in MigrationFiles.all {
            let onDisk = try String(contentsOf: Self.migrationFolder.appendingPathComponent(name + ".sql"), encoding: .utf8)
            #expect(sql == onDisk, "embedded \(name) differs from the file")
        }
    }

    @Test("shipped migrations are never edited: each file matches the SHA-256 recorded when it shipped")
    func shippedMigrationsUnchanged() throws {
        // Migrations/SHA256SUMS is append-only: a new migration adds its line when it ships.
        let sums = try String(contentsOf: Self.migrationFolder.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        var recorded: [String: String] = [:]
        for line in sums.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            try #require(parts.count == 2, "bad line in SHA256SUMS: \(line)")
            recorded[String(parts[1])] = String(parts[0])
        }
        #expect(recorded.count >= 4)
        for file in try Self.sqlFilesOnDisk() {
            let hash = try #require(recorded[file], "\(file) has no recorded SHA-256: add it to Migrations/SHA256SUMS when it ships")
            let data = try Data(contentsOf: Self.migrationFolder.appendingPathComponent(file))
            #expect(ContentHash.sha256Hex(String(decoding: data, as: UTF8.self)) == hash, "\(file) was edited after it shipped: add a new migration instead")
        }
        #expect(Set(recorded.keys) == Set(try Self.sqlFilesOnDisk()), "a recorded migration file is missing")
    }

    @Test("migrating a fresh database gives exactly the schema the files describe")
    func schemaMatchesFiles() async throws {
        // Given the files applied by hand, in order, to a blank database
        let reference = try DatabaseQueue()
        try await reference.write { db in
            for file in try Self.sqlFilesOnDisk() {
                try db.execute(sql: try String(contentsOf: Self.migrationFolder.appendingPathComponent(file), encoding: .utf8))
            }
        }
        // When the store opens a fresh database
        let database = try WorkspaceDatabase.inMemory()
        // Then both schemas are identical, object for object
        let expected = try await reference.read(Self.schema)
        let actual = try await database.writer.read(Self.schema)
        #expect(!expected.isEmpty)
        #expect(actual == expected)
        #expect(try await database.appliedMigrations() == MigrationFiles.all.map(\.name))
    }

    @Test("tables are STRICT and foreign keys are enforced")
    func strictAndForeignKeys() async throws {
        let database = try WorkspaceDatabase.inMemory()
        try await database.writer.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb_%' AND name NOT LIKE 'sqlite_%'")
            for table in tables {
                let strict = try Bool.fetchOne(db, sql: "SELECT strict FROM pragma_table_list WHERE name = ?", arguments: [table])
                #expect(strict == true, "\(table) is not STRICT")
            }
            #expect(try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") == true)
        }
        await #expect(throws: DatabaseError.self) {
            try await database.writer.write { db in
                try db.execute(sql: "INSERT INTO layer (key, position, name_en, name_zh, covers, owner_id) VALUES ('traffic', 1, 'T', '流量层', 'x', 999)")
            }
        }
    }

    @Test("observations are keyed day / segment / metric")
    func observationKey() async throws {
        let database = try WorkspaceDatabase.inMemory()
        let columns = try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info('observation') WHERE pk > 0 ORDER BY pk").map { $0["name"] as String }
        }
        #expect(columns == ["day", "segment_id", "metric_id"])
    }

    @Test("the audit log is append-only")
    func auditAppendOnly() async throws {
        let database = try await Fixture.workspace()
        await #expect(throws: DatabaseError.self) {
            try await database.writer.write { db in try db.execute(sql: "DELETE FROM audit_entry") }
        }
        await #expect(throws: DatabaseError.self) {
            try await database.writer.write { db in try db.execute(sql: "UPDATE audit_entry SET actor = 'x'") }
        }
    }
}
