import Foundation
import Hummingbird
import HummingbirdTesting
import LinkStarCore
import LinkStarHTTP
import LinkStarStore
import Testing

/// Many writers through the API and a CLI process at once, on one workspace file.
@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("parallel API writers and a CLI process: exact counts, no errors")
    func writers() async throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["init", "--dir", cli.folder.path]).status == 0)
        #expect(try cli.run(["person", "add", "chen.jie", "--name", "Chen Jie", "--role", "editor"]).status == 0)
        let database = try WorkspaceDatabase.openFile(at: cli.databasePath, access: .pool)
        let token = try await database.createToken(person: "chen.jie", role: .editor, actor: "setup").token
        let app = buildApplication(database: database)
        let apiWrites = 60, cliWrites = 15

        // The CLI process writes events while the API takes parallel requests.
        let cliTask = Task.detached { () -> [Int32] in
            (1...cliWrites).map { i in
                (try? cli.run(["event", "add", "--kind", "other", "--title", "cli \(i)", "--from", "2026-11-01"]).status) ?? -1
            }
        }
        let statuses = try await app.test(.router) { client in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 1...apiWrites {
                    group.addTask {
                        let body = #"{"kind":"promo","title":"api \#(i)","from":"2026-11-11"}"#
                        return try await client.execute(uri: "/api/v1/events", method: .post,
                                                        headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                                        body: ByteBuffer(string: body)) { $0.status }
                    }
                }
                var all: [HTTPResponse.Status] = []
                for try await status in group { all.append(status) }
                return all
            }
        }
        let cliStatuses = await cliTask.value
        #expect(statuses.count == apiWrites)
        #expect(statuses.allSatisfy { $0 == .created })
        #expect(cliStatuses.allSatisfy { $0 == 0 })
        let events = try await database.events()
        #expect(events.count == apiWrites + cliWrites)
        #expect(Set(events.map(\.title)).count == apiWrites + cliWrites)
        #expect(try await database.auditEntries(entity: "event", limit: 1000).count == apiWrites + cliWrites)
    }
}
