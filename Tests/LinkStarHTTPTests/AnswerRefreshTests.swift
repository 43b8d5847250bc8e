import Foundation
import Hummingbird
import HummingbirdTesting
import LinkStarCore
import Logging
import Testing
@testable import LinkStarHTTP
@testable import LinkStarStore

/// Answers are computed once per version of the workspace, and the ones readers asked for are computed again right
/// after a write: what the next reader gets is always what the database says after that write.
@Suite("Answers after a write")
struct AnswerRefreshTests {
    static let window = "/api/v1/funnel?from=2026-11-08&to=2026-11-14&market=MY"

    /// The fixture's workspace with 14 days of checkouts and orders on shopee/MY/mobile, and an app over it whose
    /// response cache the test can look at.
    static func make() async throws -> (APIFixture, ResponseCache, some ApplicationProtocol) {
        let (f, _) = try await APIFixture.make()
        let rows = (1...14).flatMap { d in
            [ObservationInput(date: String(format: "2026-11-%02d", d), channel: "shopee", market: "MY", device: "mobile", metric: "checkouts", value: 100),
             ObservationInput(date: String(format: "2026-11-%02d", d), channel: "shopee", market: "MY", device: "mobile", metric: "orders",
                              value: d > 7 ? 40 : 70)]
        }
        _ = try f.database.importObservations(rows, actor: "setup")
        let cache = ResponseCache()
        let app = buildApplication(database: f.database, configuration: APIConfiguration(), routeTable: RouteTable(),
                                   logger: Logger(label: "test"), cache: cache)
        return (f, cache, app)
    }

    /// The funnel's JSON computed directly from the database, as the API writes it.
    static func direct(_ database: WorkspaceDatabase, market: String = "MY") async throws -> String {
        let report = try await database.funnel(period: DayRange(from: Day(parsing: "2026-11-08"), to: Day(parsing: "2026-11-14")),
                                               segment: Segment(channel: "*", market: market, device: "*"), compare: .previous)
        return String(decoding: try LinkStarJSON.encoder(pretty: false).encode(report), as: UTF8.self)
    }

    static func write(_ client: some TestClientProtocol, _ f: APIFixture, day: Int, orders: Int) async throws {
        let body = String(format: #"{"observations":[{"date":"2026-11-%02d","channel":"shopee","market":"MY","device":"mobile","metric":"orders","value":%d}]}"#, day, orders)
        let (status, _) = try await client.call(.post, "/api/v1/observations", token: f.editor, json: body)
        #expect(status == .created)
    }

    static func text(_ client: some TestClientProtocol, _ uri: String, _ token: String) async throws -> String {
        try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
            #expect(response.status == .ok)
            return String(buffer: response.body)
        }
    }

    @Test("an answer asked for before a write is computed again after it, and the next reader gets the new numbers without computing")
    func refreshedAfterAWrite() async throws {
        let (f, cache, app) = try await Self.make()
        try await app.test(.router) { client in
            let first = try await Self.text(client, Self.window, f.viewer)
            #expect(first == (try await Self.direct(f.database)))
            #expect(try await Self.text(client, Self.window, f.viewer) == first)
            #expect(cache.servedCounts == .init(computedForRequests: 1, refreshed: 0, joined: 0, kept: 1))

            // Given a write inside the window, when the refresh has run, then the next reader is served what it computed.
            try await Self.write(client, f, day: 10, orders: 55)
            await cache.refreshesFinished()
            #expect(cache.servedCounts.refreshed == 1)
            let after = try await Self.text(client, Self.window, f.viewer)
            #expect(after != first)
            #expect(after == (try await Self.direct(f.database)))
            #expect(cache.servedCounts == .init(computedForRequests: 1, refreshed: 1, joined: 0, kept: 2))

            // An answer nobody asked for since the previous write is not computed again.
            try await Self.write(client, f, day: 11, orders: 56)
            await cache.refreshesFinished()
            try await Self.write(client, f, day: 12, orders: 57)
            await cache.refreshesFinished()
            #expect(cache.servedCounts.refreshed == 2)
            #expect(try await Self.text(client, Self.window, f.viewer) == (try await Self.direct(f.database)))
            #expect(cache.servedCounts.computedForRequests == 2)
        }
    }

    @Test("an API write's refresh starts after its response is written; a write with no answer due keeps a plain body")
    func apiWriteRefreshesAfterItsResponse() async throws {
        let (f, cache, app) = try await Self.make()
        let body = #"{"observations":[{"date":"2026-11-10","channel":"shopee","market":"MY","device":"mobile","metric":"orders","value":%d}]}"#
        try await app.test(.router) { client in
            // No answer asked for yet: the write's response is its plain body, and no refresh runs.
            let plain = try await client.execute(uri: "/api/v1/observations", method: .post,
                                                 headers: [.authorization: "Bearer \(f.editor)", .contentType: "application/json"],
                                                 body: ByteBuffer(string: String(format: body, 41))) { response in
                #expect(response.status == .created)
                return String(buffer: response.body)
            }
            #expect(plain.contains("\"outcome\":\"imported\""))
            await cache.refreshesFinished()
            #expect(cache.servedCounts.refreshed == 0)
            // An answer asked for, then a write: its response is whole (the same summary shape), and the refresh runs
            // once it is written; the next reader is served the refreshed answer, which is the database's.
            _ = try await Self.text(client, Self.window, f.viewer)
            let written = try await client.execute(uri: "/api/v1/observations", method: .post,
                                                   headers: [.authorization: "Bearer \(f.editor)", .contentType: "application/json"],
                                                   body: ByteBuffer(string: String(format: body, 42))) { response in
                #expect(response.status == .created)
                #expect(response.headers[.contentLength] == String(response.body.readableBytes))
                return String(buffer: response.body)
            }
            #expect(written.contains("\"outcome\":\"imported\""))
            await cache.refreshesFinished()
            #expect(cache.servedCounts.refreshed == 1)
            #expect(try await Self.text(client, Self.window, f.viewer) == (try await Self.direct(f.database)))
            #expect(cache.servedCounts.kept == 1)
        }
    }

    @Test("a write this process commits by another way than the API (the web's forms, say) refreshes the answers too; one that fails does not")
    func refreshedAfterAnyCommit() async throws {
        let (f, cache, app) = try await Self.make()
        try await app.test(.router) { client in
            _ = try await Self.text(client, Self.window, f.viewer)
            // When the store commits a write directly, the asked-for answer is computed again at once.
            _ = try f.database.importObservations([ObservationInput(date: "2026-11-10", channel: "shopee", market: "MY", device: "mobile",
                                                                    metric: "orders", value: 61)], actor: "web")
            await cache.refreshesFinished()
            #expect(cache.servedCounts.refreshed == 1)
            #expect(try await Self.text(client, Self.window, f.viewer) == (try await Self.direct(f.database)))
            #expect(cache.servedCounts.computedForRequests == 1)
            // A rejected write commits nothing: no refresh.
            #expect(throws: (any Error).self) {
                _ = try f.database.importObservations([ObservationInput(date: "2026-13-40", channel: "shopee", market: "MY", device: "mobile",
                                                                        metric: "orders", value: 1)], actor: "web")
            }
            await cache.refreshesFinished()
            #expect(cache.servedCounts.refreshed == 1)
        }
    }

    @Test("a reader right behind a write gets the new numbers, computed once for that version whoever starts it")
    func readerRightBehindAWrite() async throws {
        let (f, cache, app) = try await Self.make()
        try await app.test(.router) { client in
            _ = try await Self.text(client, Self.window, f.viewer)
            for (round, day) in [8, 9, 10, 11, 12, 13, 14, 10, 10].enumerated() {
                let before = cache.servedCounts
                try await Self.write(client, f, day: day, orders: 30 + round)
                let answer = try await Self.text(client, Self.window, f.viewer)
                #expect(answer == (try await Self.direct(f.database)), "round \(round)")
                await cache.refreshesFinished()
                let now = cache.servedCounts
                #expect(now.computedForRequests + now.refreshed == before.computedForRequests + before.refreshed + 1, "round \(round)")
            }
        }
    }

    @Test("readers asking at the same time wait for one computation")
    func concurrentReadersShareOneComputation() async throws {
        let (f, cache, app) = try await Self.make()
        try await app.test(.router) { client in
            let uri = "/api/v1/funnel?from=2026-11-08&to=2026-11-14&channel=shopee"
            async let a = Self.text(client, uri, f.viewer)
            async let b = Self.text(client, uri, f.viewer)
            async let c = Self.text(client, uri, f.viewer)
            async let d = Self.text(client, uri, f.viewer)
            let answers = try await [a, b, c, d]
            #expect(Set(answers).count == 1)
            let counts = cache.servedCounts
            #expect(counts.computedForRequests == 1)
            #expect(counts.joined + counts.kept == 3)
        }
    }
}
