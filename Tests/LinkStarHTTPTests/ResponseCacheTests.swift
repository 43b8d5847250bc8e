import Foundation
import NIOCore
import Testing
@testable import LinkStarHTTP

/// The response cache on its own, with recipes the test controls: failures, and writes that come while a refresh runs.
@Suite("Response cache")
struct ResponseCacheTests {
    /// A value the test and the recipes share.
    final class Shared: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Int
        init(_ value: Int) { self.value = value }
        var current: Int { lock.withLock { value } }
        func set(_ new: Int) { lock.withLock { value = new } }
        @discardableResult func next() -> Int { lock.withLock { value += 1; return value } }
    }

    /// Waits until `gate` is opened (a recipe held back while the test does something).
    final class Gate: @unchecked Sendable {
        private let lock = NSLock()
        private var open = false
        private var entered = false
        func pass() async {
            lock.withLock { entered = true }
            while !lock.withLock({ open }) { try? await Task.sleep(for: .milliseconds(1)) }
        }
        func waitUntilEntered() async { while !lock.withLock({ entered }) { try? await Task.sleep(for: .milliseconds(1)) } }
        func openIt() { lock.withLock { open = true } }
    }

    struct Refused: Error {}

    @Test("a refresh takes the most recently asked answers up to its limit; the rest wait for the next; a forgotten one never comes")
    func refreshesTakeTheMostRecentlyAskedFirst() async throws {
        // Given room for 4 answers and refreshes of 2: "a" to "e" asked in that order ("a" forgotten to make room).
        let cache = ResponseCache(capacity: 4, refreshLimit: 2)
        let log = NSLock()
        nonisolated(unsafe) var order: [String] = []
        func recipe(_ key: String) -> ResponseCache.Recipe {
            { log.withLock { order.append(key) }; return ByteBuffer(string: key) }
        }
        for key in ["a", "b", "c", "d", "e"] { _ = try await cache.answer(key, version: 1, recipe: recipe(key)) }
        log.withLock { order = [] }
        // When three writes come, each refreshed before the next.
        for version in 2...4 {
            cache.refreshAfterWrite(version: Int64(version))
            await cache.refreshesFinished()
        }
        // Then: "e" and "d" first, then "c" and "b"; "a" never (it is no longer remembered).
        #expect(log.withLock { order } == ["e", "d", "c", "b"])
        #expect(cache.servedCounts.refreshed == 4)
    }

    @Test("a write request's commits only note their version; the refresh starts when the request says so, at the newest")
    func deferredRefreshStartsWhenTold() async throws {
        // Given an answer asked for at version 1.
        let cache = ResponseCache()
        let data = Shared(1)
        let recipe: ResponseCache.Recipe = { ByteBuffer(string: "v\(data.current)") }
        _ = try await cache.answer("k", version: 1, recipe: recipe)
        // When two commits come inside a write request's handling.
        let deferred = ResponseCache.DeferredRefresh()
        ResponseCache.DeferredRefresh.$current.withValue(deferred) {
            data.set(2)
            cache.refreshAfterWrite(version: 2)
            data.set(3)
            cache.refreshAfterWrite(version: 3)
        }
        // Then nothing has started: the version is noted.
        await cache.refreshesFinished()
        #expect(cache.servedCounts.refreshed == 0)
        #expect(deferred.noted)
        // When the request's response is written, one refresh runs, at the newest version.
        cache.start(deferred)
        await cache.refreshesFinished()
        #expect(cache.servedCounts.refreshed == 1)
        #expect(!deferred.noted)
        #expect(String(buffer: try await cache.answer("k", version: 3, recipe: recipe)) == "v3")
        #expect(cache.servedCounts.kept == 1)
        // And starting it a second time finds nothing to start.
        cache.start(deferred)
        await cache.refreshesFinished()
        #expect(cache.servedCounts.refreshed == 1)

        // A commit under the same request after its refresh was started (a task the request left behind, which
        // inherits it) is not noted where nobody would start it: it starts its own refresh.
        _ = try await cache.answer("k", version: 3, recipe: recipe)
        await ResponseCache.DeferredRefresh.$current.withValue(deferred) {
            data.set(4)
            cache.refreshAfterWrite(version: 4)
            await cache.refreshesFinished()
        }
        #expect(!deferred.noted)
        #expect(cache.servedCounts.refreshed == 2)
        #expect(String(buffer: try await cache.answer("k", version: 4, recipe: recipe)) == "v4")
    }

    @Test("a write after which no answer was asked for starts no refresh")
    func nothingDueStartsNothing() async throws {
        let cache = ResponseCache()
        let recipe: ResponseCache.Recipe = { ByteBuffer(string: "x") }
        _ = try await cache.answer("k", version: 1, recipe: recipe)
        cache.refreshAfterWrite(version: 2)
        await cache.refreshesFinished()
        #expect(cache.servedCounts.refreshed == 1)
        // Nobody asked since that refresh: the next write has nothing due and starts no task.
        #expect(!cache.refreshDue)
        cache.refreshAfterWrite(version: 3)
        #expect(!cache.refreshDue)
        await cache.refreshesFinished()
        #expect(cache.servedCounts.refreshed == 1)
        // Asked again at version 3 (computed for the request), then a write: due again.
        _ = try await cache.answer("k", version: 3, recipe: recipe)
        #expect(cache.refreshDue)
        cache.refreshAfterWrite(version: 4)
        await cache.refreshesFinished()
        #expect(cache.servedCounts.refreshed == 2)
    }

    @Test("a reader waiting on a refresh that fails computes its own answer")
    func failedRefreshLeavesTheReaderToCompute() async throws {
        let cache = ResponseCache()
        let data = Shared(1), failing = Shared(0)
        let gate = Gate()
        let recipe: ResponseCache.Recipe = {
            if failing.current == 1 {
                await gate.pass()
                throw Refused()
            }
            return ByteBuffer(string: "answer \(data.current)")
        }
        #expect(String(buffer: try await cache.answer("k", version: 1, recipe: recipe)) == "answer 1")

        // Given a write and a refresh that will fail, when a reader asks while it runs, then it gets a computed answer.
        data.set(2)
        failing.set(1)
        cache.refreshAfterWrite(version: 2)
        await gate.waitUntilEntered()
        let reader = Task { try await cache.answer("k", version: 2, recipe: { ByteBuffer(string: "answer \(data.current)") }) }
        while cache.servedCounts.joined == 0 { try await Task.sleep(for: .milliseconds(1)) }
        failing.set(0)
        gate.openIt()
        #expect(String(buffer: try await reader.value) == "answer 2")
        await cache.refreshesFinished()
        #expect(cache.servedCounts == .init(computedForRequests: 2, refreshed: 1, joined: 1, kept: 0))
        // The reader's answer was kept.
        #expect(String(buffer: try await cache.answer("k", version: 2, recipe: recipe)) == "answer 2")
        #expect(cache.servedCounts.kept == 1)
    }

    @Test("writes during a refresh make it go round once more, at the newest version, not once per write")
    func writesDuringARefreshAreCoalesced() async throws {
        let cache = ResponseCache()
        let version = Shared(1), computations = Shared(0)
        let gate = Gate()
        let recipe: ResponseCache.Recipe = {
            let n = computations.next()
            if n == 2 { await gate.pass() }   // the first refresh is held back
            return ByteBuffer(string: "computed \(n)")
        }
        _ = try await cache.answer("k", version: 1, recipe: recipe)
        _ = try await cache.answer("other", version: 1, recipe: { ByteBuffer(string: "other") })
        version.set(2)
        cache.refreshAfterWrite(version: Int64(version.current))
        await gate.waitUntilEntered()
        // A reader asks for "k" at the version being refreshed (it waits for that computation); nobody asks for "other".
        let reader = Task { try await cache.answer("k", version: 2, recipe: recipe) }
        while cache.servedCounts.joined == 0 { try await Task.sleep(for: .milliseconds(1)) }
        for _ in 0..<5 {
            version.next()
            cache.refreshAfterWrite(version: Int64(version.current))
        }
        gate.openIt()
        #expect(String(buffer: try await reader.value) == "computed 2")
        await cache.refreshesFinished()
        // The first write's round refreshed both; the one more round for the five writes during it refreshed only "k".
        #expect(cache.servedCounts.refreshed == 3)
        #expect(computations.current == 3)
        #expect(String(buffer: try await cache.answer("k", version: 7, recipe: recipe)) == "computed 3")
    }
}
