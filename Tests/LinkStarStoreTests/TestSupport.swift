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
        _ = try await database.seedDefaults(actor: "setup")
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
