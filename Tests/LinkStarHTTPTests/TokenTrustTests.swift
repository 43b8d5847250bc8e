import Foundation
import Hummingbird
import HummingbirdTesting
import LinkStarCore
import Logging
import Testing
@testable import LinkStarHTTP
@testable import LinkStarStore

/// A token the server checked is trusted until the workspace's credentials change (migration 0015's version), not
/// only until the next write: a data import does not make every request look its token up again; a revocation or a
/// person's new role, by this server or by another process, takes effect at the next request.
@Suite("Token trust across writes")
struct TokenTrustTests {
    /// A workspace file opened as the server opens it (a pool and its change watch), an admin and an editor with a token
    /// each, and an app over it whose response cache the test can look at.
    static func make(_ path: String) async throws -> (WorkspaceDatabase, admin: CreatedToken, editor: CreatedToken, ResponseCache,
                                                      some ApplicationProtocol) {
        let database = try WorkspaceDatabase.openFile(at: path, access: .pool)
        _ = try await database.seedDefaults(actor: "setup")
        _ = try await database.addPerson(NewPerson(handle: "lin.wei", displayName: "Lin Wei", role: .admin), actor: "setup")
        _ = try await database.addPerson(NewPerson(handle: "chen.jie", displayName: "Chen Jie", role: .editor), actor: "setup")
        let admin = try await database.createToken(person: "lin.wei", role: .admin, actor: "setup")
        let editor = try await database.createToken(person: "chen.jie", role: .editor, actor: "setup")
        let cache = ResponseCache()
        let app = buildApplication(database: database, configuration: APIConfiguration(), routeTable: RouteTable(),
                                   logger: Logger(label: "test"), cache: cache)
        return (database, admin, editor, cache, app)
    }

    static func importOne(_ client: some TestClientProtocol, token: String, value: Int) async throws -> HTTPResponse.Status {
        let body = #"{"observations":[{"date":"2026-11-15","channel":"amazon","market":"US","device":"mobile","metric":"orders","value":\#(value)}]}"#
        return try await client.execute(uri: "/api/v1/observations", method: .post,
                                        headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                        body: ByteBuffer(string: body)) { $0.status }
    }

    static func layers(_ client: some TestClientProtocol, token: String) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/api/v1/layers", method: .get, headers: [.authorization: "Bearer \(token)"]) { $0.status }
    }

    @Test("imports leave the checked tokens trusted; another process's revocation and role change count at the next request")
    func trustLastsUntilCredentialsChange() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trust-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let (database, admin, editor, cache, app) = try await Self.make(path)
        try await app.test(.router) { client in
            // Given each token checked once.
            #expect(try await Self.importOne(client, token: editor.token, value: 1) == .created)
            #expect(try await Self.layers(client, token: admin.token) == .ok)
            #expect(cache.tokensLookedUp == 2)

            // When imports follow one another, each a commit: no token is looked up again.
            for value in 2...6 {
                #expect(try await Self.importOne(client, token: editor.token, value: value) == .created)
                #expect(try await Self.layers(client, token: admin.token) == .ok)
            }
            #expect(cache.tokensLookedUp == 2)

            // When another process lowers the editor's person to viewer: the next import is refused, after a look-up.
            let cli = try WorkspaceDatabase.openFile(at: path, access: .single)
            _ = try await cli.editPerson("chen.jie", PersonChanges(role: .viewer), actor: "lin.wei")
            #expect(try await Self.importOne(client, token: editor.token, value: 7) == .forbidden)
            #expect(cache.tokensLookedUp == 3)

            // When another process revokes the admin's token: refused at the next request.
            _ = try await cli.revokeToken(id: admin.info.id, actor: "lin.wei")
            #expect(try await Self.layers(client, token: admin.token) == .unauthorized)
            // An unknown token is looked up every time (it is never kept).
            #expect(try await Self.layers(client, token: "ls_unknown") == .unauthorized)
            #expect(try await Self.layers(client, token: "ls_unknown") == .unauthorized)
            #expect(cache.tokensLookedUp == 6)
        }
    }
}
