import Foundation
import GRDB
@testable import LinkStarStore

enum Fixture {
    /// Every row of every table, as text, to compare whole databases.
    static func dump(_ database: WorkspaceDatabase) async throws -> [String] {
        try await database.writer.read { db in
            var lines: [String] = []
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)") { lines.append("\(table): \(row)") }
            }
            return lines
        }
    }
}
