import Foundation
import GRDB
import LinkStarCore
import LinkStarPlaybooks
@testable import LinkStarStore

/// A fixed clock that tests can move forward.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ text: String = "2026-11-25T09:00:00Z") { current = LinkStarJSON.parseTimestamp(text)! }

    var now: Date { lock.withLock { current } }
    func advance(seconds: TimeInterval) { lock.withLock { current += seconds } }
    var function: @Sendable () -> Date { { self.now } }
}

enum Fixture {
    /// A fresh in-memory workspace with layers and the catalog seeded and the default playbooks synced.
    static func workspace(clock: TestClock = TestClock()) async throws -> WorkspaceDatabase {
        let database = try WorkspaceDatabase.inMemory(clock: clock.function)
        _ = try await database.seedDefaults(actor: "setup", since: try Day(parsing: "2026-01-01"))  // an established workspace
        _ = try await database.syncPlaybooks(defaultSources(), actor: "setup")
        return database
    }

    static func defaultSources() -> [PlaybookSource] {
        DefaultPlaybooks.all.map { PlaybookSource(fileName: $0.fileName, content: $0.markdown) }
    }

    /// The repository root, found from this file's path.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The demo workspace built in `folder` at `clock`'s time, opened.
    static func demo(in folder: URL, clock: TestClock) async throws -> WorkspaceDatabase {
        let location = WorkspaceLocation.inDirectory(folder.path)
        _ = try await DemoWorkspace.build(location, clock: clock.function)
        return try Workspace.open(location, clock: clock.function)
    }

    /// A new empty temporary folder.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("linkstar-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every row of every table, as text, to compare whole databases.
    static func dump(_ database: WorkspaceDatabase) async throws -> [String] {
        try await database.writer.read { db in
            var lines: [String] = []
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            for table in tables {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)") {
                    lines.append("\(table): \(row.description)")
                }
            }
            return lines
        }
    }
}

extension Fixture {
    static var fixtures: URL { repositoryRoot.appendingPathComponent("Tests/Fixtures") }

    /// Imports a fixture file.
    static func importFixture(_ database: WorkspaceDatabase, _ name: String, format: String = "auto",
                              overrides: ImportOverrides = ImportOverrides(), mapping: ImportMapping? = nil,
                              dryRun: Bool = false, skipInvalid: Bool = false,
                              callbacks: ImportCallbacks = ImportCallbacks()) throws -> ImportSummary {
        try database.importObservations(
            from: try FileByteSource(path: fixtures.appendingPathComponent(name).path),
            request: ImportRequest(fileName: name, format: format, mapping: mapping, overrides: overrides, dryRun: dryRun,
                                   skipInvalid: skipInvalid),
            actor: "importer", callbacks: callbacks)
    }

    /// Imports CSV text.
    static func importText(_ database: WorkspaceDatabase, _ text: String, name: String = "inline.csv", format: String = "auto",
                           overrides: ImportOverrides = ImportOverrides()) throws -> ImportSummary {
        try database.importObservations(from: MemoryByteSource(text),
                                        request: ImportRequest(fileName: name, format: format, overrides: overrides),
                                        actor: "importer")
    }

    /// The stored value (and currency) of one observation.
    static func value(_ database: WorkspaceDatabase, _ metric: String, _ segment: String, _ day: String) async throws -> (Double, String?)? {
        let s = try Segment(parsing: segment)
        let d = try Day(parsing: day)
        return try await database.writer.read { db in
            try Row.fetchOne(db, sql: """
                SELECT o.value, o.currency FROM observation o JOIN metric m ON m.id = o.metric_id JOIN segment s ON s.id = o.segment_id
                WHERE m.key = ? AND s.channel = ? AND s.market = ? AND s.device = ? AND o.day = ?
                """, arguments: [metric, s.channel, s.market, s.device, d.ordinal]).map { ($0[0] as Double, $0[1] as String?) }
        }
    }
}
