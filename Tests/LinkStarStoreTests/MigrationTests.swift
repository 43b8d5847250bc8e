import Foundation
import GRDB
import LinkStarCore
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

    @Test("0005 keeps every KPI's meaning: the store-revenue roas becomes blended_roas, old acos tacos, audited; rates keep applying; page views move")
    func trueNumbersMigration() async throws {
        let queue = try DatabaseQueue()
        try WorkspaceDatabase.migrator.migrate(queue, upTo: "0004_tokens")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO layer (key, position, name_en, name_zh, covers) VALUES ('traffic', 1, 'Traffic', '流量层', 'ads'),
                    ('landing', 2, 'Landing', '承接层', 'pages'), ('conversion', 3, 'Conversion', '转化层', 'checkout'),
                    ('retention', 4, 'Retention', '留存层', 'crm'), ('feedback', 5, 'Feedback', '反哺层', 'loop');
                INSERT INTO metric (key, name, definition, unit, direction, layer_key, builtin, created_at) VALUES
                    ('revenue', 'Revenue', 'r', 'currency', 'up', 'conversion', 1, '2026-01-01T00:00:00Z'),
                    ('ad_spend', 'Ad spend', 's', 'currency', 'down', 'traffic', 1, '2026-01-01T00:00:00Z'),
                    ('clicks', 'Clicks', 'c', 'count', 'up', 'traffic', 1, '2026-01-01T00:00:00Z'),
                    ('orders', 'Orders', 'o', 'count', 'up', 'conversion', 1, '2026-01-01T00:00:00Z'),
                    ('sessions', 'Sessions', 's', 'count', 'up', 'traffic', 1, '2026-01-01T00:00:00Z'),
                    ('product_views', 'Product views', 'Product detail page views', 'count', 'up', 'landing', 1, '2026-01-01T00:00:00Z');
                INSERT INTO metric (key, name, definition, unit, direction, layer_key, numerator_key, denominator_key, builtin, created_at) VALUES
                    ('roas', 'Return on ad spend', 'revenue / ad_spend', 'ratio', 'up', 'traffic', 'revenue', 'ad_spend', 1, '2026-01-01T00:00:00Z'),
                    ('acos', 'Advertising cost of sales', 'ad_spend / revenue', 'ratio', 'down', 'traffic', 'ad_spend', 'revenue', 1, '2026-01-01T00:00:00Z');
                INSERT INTO kpi (layer_key, metric_id, channel, market, device, target_value, created_at, updated_at)
                    SELECT 'traffic', id, 'amazon', 'US', '*', 20, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM metric WHERE key = 'roas';
                INSERT INTO setting (key, value, updated_by, updated_at) VALUES ('reporting_currency', 'USD', 'a', '2026-01-01T00:00:00Z');
                INSERT INTO fx_rate (reporting_currency, currency, rate, set_by, set_at) VALUES ('USD', 'MYR', 0.22, 'a', '2026-01-01T00:00:00Z');
                INSERT INTO segment (id, channel, market, device) VALUES (1, 'amazon', 'US', 'all');
                INSERT INTO import_batch (id, source, format, actor, imported_at) VALUES (1, 'file', 'amazon-business', 'a', '2026-01-01T00:00:00Z');
                INSERT INTO observation (day, segment_id, metric_id, value, import_id)
                    SELECT 20400, 1, id, 3000, 1 FROM metric WHERE key = 'product_views';
                """)
        }
        let database = try WorkspaceDatabase(queue)
        let kpi = try #require(try await database.kpis().first)
        #expect(kpi.metric == "blended_roas")
        let metrics = Dictionary(uniqueKeysWithValues: try await database.metrics().map { ($0.key, $0) })
        #expect(metrics["blended_roas"]?.formula == "revenue / ad_spend")
        #expect(metrics["tacos"]?.formula == "ad_spend / revenue")
        #expect(metrics["roas"]?.formula == "ad_sales / ad_spend")
        #expect(metrics["acos"]?.formula == "ad_spend / ad_sales")
        // Every metric 0005 adds or changes matches the catalog a new workspace gets (formula, unit, source, definition).
        let added = ["page_views", "product_views", "ad_sales", "ad_orders", "roas", "acos", "tacos", "blended_roas", "cpc", "cpa"]
            + MetricCatalog.loopMetrics.map(\.key)
        for definition in MetricCatalog.all where added.contains(definition.key) {
            let migrated = try #require(metrics[definition.key], "\(definition.key)")
            #expect(migrated.formula == definition.formula?.description, "\(definition.key)")
            #expect(migrated.unit == definition.unit && migrated.source == definition.source, "\(definition.key)")
            #expect(migrated.definition == definition.definition, "\(definition.key)")
        }
        let audit = try await database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT action || ' ' || entity_id FROM audit_entry WHERE actor = 'migration' ORDER BY id")
        }
        #expect(audit == ["metric.rename roas", "kpi.metric \(kpi.id)", "metric.rename acos"])
        let fx = try await database.fx()
        #expect(fx.rates.map(\.from) == [Day.firstSupported])
        #expect(fx.rates.first?.rate == 0.22)
        let moved = try await database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT m.key FROM observation o JOIN metric m ON m.id = o.metric_id")
        }
        #expect(moved == "page_views")
    }
}
