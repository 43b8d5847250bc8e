import Foundation
import GRDB
import LinkStarCore
import Testing
@testable import LinkStarStore

/// The server's change token (`ChangeWatch`): the audit log is read again only after a commit, and a commit by this
/// process or by another one always moves the token.
@Suite("Change token")
struct ChangeTokenTests {
    @Test("in the server, the token moves with every write, its own or another process's, and only then is the audit log read")
    func serverWatch() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("linkstar.sqlite").path
        let server = try WorkspaceDatabase.openFile(at: path, access: .pool)
        let watch = try #require(server.changeWatch)
        let first = try await server.changeToken()
        // Nothing committed: the same token, remembered for the data version it was read at.
        let version = try watch.dataVersion()
        #expect(try await server.changeToken() == first)
        #expect(watch.versions(at: version)?.change == first)
        // A write through the server's own pool.
        _ = try await server.addPerson(NewPerson(handle: "chen.jie", displayName: "Chen Jie", role: .editor), actor: "a")
        let second = try await server.changeToken()
        #expect(second > first)
        #expect(try watch.dataVersion() != version)
        // A write by another process (a CLI connection of its own to the same file).
        let cli = try WorkspaceDatabase.openFile(at: path, access: .single)
        #expect(cli.changeWatch == nil)
        _ = try await cli.addPerson(NewPerson(handle: "zhang.min", displayName: "Zhang Min", role: .viewer), actor: "a")
        let third = try await server.changeToken()
        #expect(third > second)
        #expect(try await cli.changeToken() == third)
        #expect(try await server.changeToken() == third)
    }

    @Test("a database in memory has no watch and reads the audit log each time")
    func inMemory() async throws {
        let database = try WorkspaceDatabase.inMemory()
        #expect(database.changeWatch == nil)
        let before = try await database.changeToken()
        _ = try await database.addPerson(NewPerson(handle: "chen.jie", displayName: "Chen Jie", role: .editor), actor: "a")
        #expect(try await database.changeToken() > before)
    }
}
