import Foundation
import GRDB
import LinkStarCore
import Testing
@testable import LinkStarStore

/// The credential version (migration 0015): what a server checks before it trusts a token it looked up earlier.
@Suite("Credential version: moved by every change to tokens or people, by nothing else")
struct CredentialVersionTests {
    @Test("data imports, events and KPIs move the change token only; tokens and people move the credential version")
    func whatMovesIt() async throws {
        let database = try await Fixture.workspace()
        _ = try await database.addPerson(NewPerson(handle: "chen.jie", displayName: "Chen Jie", role: .editor), actor: "setup")
        var last = try await database.versions()

        /// Runs `change` and says whether each version moved.
        func moved(_ change: () async throws -> Void) async throws -> (change: Bool, credentials: Bool) {
            try await change()
            let now = try await database.versions()
            defer { last = now }
            return (now.change != last.change, now.credentials != last.credentials)
        }

        // Given writes that do not touch credentials: the change token moves, the credential version stays.
        #expect(try await moved { _ = try Fixture.importText(database, longCSV([("2026-11-01", "shopee/MY/mobile", "orders", 5, "")])) } == (true, false))
        #expect(try await moved {
            _ = try await database.addEvent(NewEvent(kind: .promo, title: "11.11", period: try DayRange(parsing: "2026-11-11")), actor: "setup")
        } == (true, false))

        // When a token is created or revoked, or a person is added, edited, deactivated: both move.
        var tokenId: Int64 = 0
        #expect(try await moved { tokenId = try await database.createToken(person: "chen.jie", role: .editor, actor: "setup").info.id } == (true, true))
        #expect(try await moved { _ = try await database.revokeToken(id: tokenId, actor: "setup") } == (true, true))
        #expect(try await moved { _ = try await database.addPerson(NewPerson(handle: "wang.fang", displayName: "Wang Fang", role: .viewer), actor: "setup") } == (true, true))
        #expect(try await moved { _ = try await database.editPerson("chen.jie", PersonChanges(role: .viewer), actor: "setup") } == (true, true))
        #expect(try await moved { _ = try await database.setPersonActive("chen.jie", active: false, actor: "setup") } == (true, true))
    }

    @Test("a server sees another process's revocation through its change watch, and a restore draws a new version")
    func otherProcessesAndRestore() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = try await MaintenanceTests.workspace(folder)
        let server = try WorkspaceDatabase.openFile(at: location.databasePath, access: .pool)
        let token = try await server.createToken(person: "lin.wei", role: .admin, actor: "lin.wei")
        let backup = folder.appendingPathComponent("b.sqlite").path
        _ = try Workspace.backup(location, to: backup)
        let before = try await server.versions()
        #expect(try await server.versions() == before)   // nothing committed: the remembered versions

        // When another process (its own connection) revokes the token.
        let cli = try WorkspaceDatabase.openFile(at: location.databasePath, access: .single)
        _ = try await cli.revokeToken(id: token.info.id, actor: "lin.wei")
        // Then the server's next look has a new credential version, the one in the file.
        let after = try await server.versions()
        #expect(after.credentials != before.credentials && after.change > before.change)
        #expect(try await cli.versions() == after)

        // When the backup (taken before the revocation) is restored: a new credential version, neither one seen before.
        _ = try await Workspace.restore(location, from: backup, actor: "lin.wei")
        let restored = try await Workspace.open(location).versions()
        #expect(restored.credentials != before.credentials && restored.credentials != after.credentials)
    }
}
