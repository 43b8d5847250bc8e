import Foundation
import Hummingbird
import LinkStarStore

/// Caches computed responses and authenticated tokens for as long as the workspace does not change
/// (its change token: every write is audited). Two `VersionedCache`s, each cleared when the token moves.
///
/// An answer is computed once per version however many requests ask for it at the same time (they wait for the one
/// computation), and an answer someone asked for since the previous write is computed again right after a write, on
/// its own task, so the reader who asks next finds it computed or being computed instead of starting from the beginning.
final class ResponseCache: @unchecked Sendable {
    /// How a response body is computed (its parameters and language captured): what a refresh runs again.
    typealias Recipe = @Sendable () async throws -> ByteBuffer

    private let responses: VersionedCache<ByteBuffer>
    private let principals: VersionedCache<Principal>
    private let lock = NSLock()
    /// Recently asked answers by key: how to compute them, when they were last asked (a sequence number), and whether
    /// they were asked since the last refresh. At most `recentLimit`; the least recently asked goes first.
    private var recent: [String: (recipe: Recipe, asked: UInt64, askedSinceRefresh: Bool)] = [:]
    private var askSequence: UInt64 = 0
    /// Computations under way, by key, with the version they are for.
    private var inFlight: [String: (version: Int64, task: Task<ByteBuffer, any Error>)] = [:]
    /// The refresh loop: running, and whether a write came in while it ran (it then goes round again).
    private var refreshing: Task<Void, Never>?
    private var refreshAgain = false
    private var counts = Counts()
    private let recentLimit: Int

    /// How answers were served: for tests and the benchmarks' understanding, not a rule.
    struct Counts: Equatable {
        /// Answers computed because a request asked and none was kept or under way.
        var computedForRequests = 0
        /// Answers computed again after a write.
        var refreshed = 0
        /// Requests that waited for a computation another request or a refresh had started.
        var joined = 0
        /// Requests answered from the kept body.
        var kept = 0
    }

    init(capacity: Int = 256, recentLimit: Int = 16) {
        responses = VersionedCache(capacity: capacity)
        principals = VersionedCache(capacity: capacity)
        self.recentLimit = recentLimit
    }

    func principal(forHash hash: String, version token: Int64) -> Principal? { principals.value(hash, version: token) }

    func store(principal: Principal, forHash hash: String, version token: Int64) { principals.store(principal, hash, version: token) }

    /// The body for `key` at `version`: kept, being computed (waited for), or computed now by `recipe`.
    func answer(_ key: String, version: Int64, recipe: @escaping Recipe) async throws -> ByteBuffer {
        lock.withLock {
            askSequence += 1
            recent[key] = (recipe, askSequence, true)
            if recent.count > recentLimit, let oldest = recent.min(by: { $0.value.asked < $1.value.asked })?.key { recent[oldest] = nil }
        }
        return try await body(key, version: version, recipe: recipe, refresh: false)
    }

    /// `mayJoin` false: computes even when another computation is under way (after a joined one failed).
    private func body(_ key: String, version: Int64, recipe: @escaping Recipe, refresh: Bool, mayJoin: Bool = true) async throws -> ByteBuffer {
        if let kept = responses.value(key, version: version) {
            if !refresh { lock.withLock { counts.kept += 1 } }
            return kept
        }
        let (task, started) = lock.withLock { () -> (Task<ByteBuffer, any Error>, Bool) in
            if mayJoin, let running = inFlight[key], running.version == version {
                if !refresh { counts.joined += 1 }
                return (running.task, false)
            }
            let task = Task { try await recipe() }
            inFlight[key] = (version, task)
            if refresh { counts.refreshed += 1 } else { counts.computedForRequests += 1 }
            return (task, true)
        }
        do {
            let body = try await task.value
            if started { responses.store(body, key, version: version) }
            finish(key, version: version, started: started)
            return body
        } catch {
            finish(key, version: version, started: started)
            // Another's computation failed (a refresh's, say): this request's own answer is computed once more here.
            if !started && !refresh { return try await body(key, version: version, recipe: recipe, refresh: false, mayJoin: false) }
            throw error
        }
    }

    private func finish(_ key: String, version: Int64, started: Bool) {
        guard started else { return }
        lock.withLock { if inFlight[key]?.version == version { inFlight[key] = nil } }
    }

    /// After a write: computes again, at the version `token` reads, the answers asked for since the previous refresh.
    /// Writes that come while a refresh runs make it go round once more (at the newest version, with the answers it
    /// just computed, which are already out of date): refreshes never pile up.
    func refreshAfterWrite(token: @escaping @Sendable () async throws -> Int64) {
        lock.withLock {
            if refreshing != nil {
                refreshAgain = true
                return
            }
            refreshing = Task { await self.refreshLoop(token: token) }
        }
    }

    private func refreshLoop(token: @Sendable () async throws -> Int64) async {
        while true {
            let due = lock.withLock { () -> [(String, Recipe)] in
                refreshAgain = false
                let asked = recent.filter { $0.value.askedSinceRefresh }.sorted { $0.value.asked > $1.value.asked }
                for (key, _) in asked { recent[key]?.askedSinceRefresh = false }
                return asked.map { ($0.key, $0.value.recipe) }
            }
            // The version is read before computing: an answer stored under it is never older than what it says.
            if !due.isEmpty, let version = try? await token() {
                for (key, recipe) in due { _ = try? await body(key, version: version, recipe: recipe, refresh: true) }
            }
            let done = lock.withLock { () -> Bool in
                if refreshAgain {
                    // A newer write came while these were computed: they are due again, at its version.
                    for (key, _) in due { recent[key]?.askedSinceRefresh = true }
                    return false
                }
                refreshing = nil
                return true
            }
            if done { return }
        }
    }

    /// Waits until no refresh is running (tests).
    func refreshesFinished() async {
        while let running = lock.withLock({ refreshing }) { await running.value }
    }

    /// How answers were served so far.
    var servedCounts: Counts { lock.withLock { counts } }
}
