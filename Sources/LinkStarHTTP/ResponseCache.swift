import Foundation
import Hummingbird
import LinkStarStore

/// Caches computed responses for as long as the workspace does not change (its change token: every write is audited;
/// a token different from the last one seen drops every kept body), and authenticated tokens for as long as its
/// credentials do not change (its credential version: a data import leaves it, a revocation moves it).
///
/// An answer is computed once per version however many requests ask for it at the same time (they wait for the one
/// computation), and an answer someone asked for since the previous write is computed again right after a write, on
/// its own task, so the reader who asks next finds it computed or being computed instead of starting from the beginning.
/// A write request's own commits start that task once the request's response is written (`DeferredRefresh`): starting
/// a task wakes another thread, and the request would wait for it.
final class ResponseCache: @unchecked Sendable {
    /// How a response body is computed (its parameters and language captured): what a refresh runs again.
    typealias Recipe = @Sendable () async throws -> ByteBuffer

    private let principals: VersionedCache<Principal>
    private var lookups = 0
    private let lock = NSLock()

    /// An answer asked for: how to compute it, when it was last asked (a sequence number), and its body when one is
    /// kept for the current version.
    private struct Entry {
        var recipe: Recipe
        var asked: UInt64
        var body: ByteBuffer?
        /// The `generation` the body was kept in: only the current one's is served.
        var generation: UInt64
    }
    private var entries: [String: Entry] = [:]
    /// The keys of the entries asked for since the previous refresh: what a refresh looks at, instead of every entry.
    private var due: Set<String> = []
    /// The change token the kept bodies are for, and a number that moves with it (bodies of older ones are dropped).
    private var version: Int64 = -1
    private var generation: UInt64 = 0
    private var askSequence: UInt64 = 0
    /// Computations under way, by key, with the version they are for.
    private var inFlight: [String: (version: Int64, task: Task<ByteBuffer, any Error>)] = [:]
    /// The refresh loop: running, and whether a write came in while it ran (it then goes round again).
    private var refreshing: Task<Void, Never>?
    private var refreshAgain = false
    /// The version the latest write made: what the next round computes at.
    private var refreshVersion: Int64 = 0
    private var counts = Counts()
    private let capacity: Int
    private let refreshLimit: Int

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

    /// The commit observation that starts refreshes (`buildApplication`): kept as long as the cache.
    var commits: CommitObservation? {
        get { lock.withLock { commitObservation } }
        set { lock.withLock { commitObservation = newValue } }
    }
    private var commitObservation: CommitObservation?

    /// `capacity` answers are remembered (the least recently asked goes first); a refresh computes at most
    /// `refreshLimit` of them, the most recently asked.
    init(capacity: Int = 256, refreshLimit: Int = 16) {
        principals = VersionedCache(capacity: capacity)
        self.capacity = capacity
        self.refreshLimit = refreshLimit
    }

    /// The principal a token (by its hash) was found to be at this credential version.
    func principal(forHash hash: String, credentials version: Int64) -> Principal? { principals.value(hash, version: version) }

    /// Keeps the principal a token (by its hash) stands for at this credential version, once it was looked up.
    func store(principal: Principal?, forHash hash: String, credentials version: Int64) {
        lock.withLock { lookups += 1 }
        if let principal { principals.store(principal, hash, version: version) }
    }

    /// A different token from the last one seen: the kept bodies are dropped (all at once, by moving the generation).
    private func sync(_ token: Int64) {
        if token != version {
            version = token
            generation += 1
        }
    }

    /// The body for `key` at `version`: kept, being computed (waited for), or computed now by `recipe` (made only when the
    /// key is new: an error making it is the request's, and nothing is remembered).
    func answer(_ key: String, version token: Int64, recipe makeRecipe: @autoclosure () throws -> Recipe) async throws -> ByteBuffer {
        // One lookup when the body is kept: the common case, as cheap as it can be.
        let (kept, recipe) = lock.withLock { () -> (ByteBuffer?, Recipe?) in
            sync(token)
            askSequence += 1
            if let index = entries.index(forKey: key) {
                entries.values[index].asked = askSequence
                due.insert(key)
                if entries.values[index].generation == generation, let body = entries.values[index].body {
                    counts.kept += 1
                    return (body, nil)
                }
                return (nil, entries.values[index].recipe)
            }
            return (nil, nil)
        }
        if let kept { return kept }
        let made = try recipe ?? makeRecipe()
        if recipe == nil {
            lock.withLock {
                if entries.count >= capacity, let oldest = entries.min(by: { $0.value.asked < $1.value.asked })?.key {
                    entries[oldest] = nil
                    due.remove(oldest)
                }
                entries[key] = Entry(recipe: made, asked: askSequence, body: nil, generation: 0)
                due.insert(key)
            }
        }
        return try await body(key, version: token, recipe: made, refresh: false)
    }

    /// `mayJoin` false: computes even when another computation is under way (after a joined one failed).
    private func body(_ key: String, version token: Int64, recipe: @escaping Recipe, refresh: Bool, mayJoin: Bool = true) async throws -> ByteBuffer {
        let (task, started, kept) = lock.withLock { () -> (Task<ByteBuffer, any Error>?, Bool, ByteBuffer?) in
            sync(token)
            if let entry = entries[key], entry.generation == generation, let body = entry.body { return (nil, false, body) }
            if mayJoin, let running = inFlight[key], running.version == token {
                if !refresh { counts.joined += 1 }
                return (running.task, false, nil)
            }
            let task = Task { try await recipe() }
            inFlight[key] = (token, task)
            if refresh { counts.refreshed += 1 } else { counts.computedForRequests += 1 }
            return (task, true, nil)
        }
        if let kept { return kept }
        do {
            let body = try await task!.value
            if started { keep(body, key, version: token) }
            return body
        } catch {
            if started { lock.withLock { if inFlight[key]?.version == token { inFlight[key] = nil } } }
            // Another's computation failed (a refresh's, say): this request's own answer is computed once more here.
            if !started && !refresh { return try await self.body(key, version: token, recipe: recipe, refresh: false, mayJoin: false) }
            throw error
        }
    }

    /// Keeps a body computed at `token` (never over a newer version's) and ends its computation's entry.
    private func keep(_ body: ByteBuffer, _ key: String, version token: Int64) {
        lock.withLock {
            if inFlight[key]?.version == token { inFlight[key] = nil }
            guard token >= version else { return }
            sync(token)
            if let index = entries.index(forKey: key) {
                entries.values[index].body = body
                entries.values[index].generation = generation
            }
        }
    }

    /// After a write that made the workspace's version `version` (read at its commit, before anything is computed: an
    /// answer kept under it is never older than what it says): computes again, at that version, the answers asked for
    /// since the previous refresh (the most recently asked first, at most `refreshLimit`). Writes that come while a
    /// refresh runs make it go round once more, at the newest write's version, with the answers asked for meanwhile:
    /// refreshes never pile up, and an answer nobody asks for again is not computed again.
    /// Inside a write request's handling (`DeferredRefresh.current` set), the version is noted there and the refresh
    /// starts when the request's response is written; nothing starts when no answer was asked for since the previous
    /// refresh and none is running.
    func refreshAfterWrite(version: Int64) {
        if let deferred = DeferredRefresh.current, deferred.note(version) { return }
        lock.withLock {
            refreshVersion = version
            if refreshing != nil {
                refreshAgain = true
                return
            }
            guard !due.isEmpty else { return }
            refreshing = Task { await self.refreshLoop() }
        }
    }

    /// Whether a refresh would compute anything now: an answer was asked for since the previous one, or one is running.
    var refreshDue: Bool { lock.withLock { !due.isEmpty || refreshing != nil } }

    /// The refresh of a write request's commits, noted while the request is handled and started once its response is
    /// written (`DeferredRefreshMiddleware`).
    final class DeferredRefresh: @unchecked Sendable {
        /// The request being handled, when it writes.
        @TaskLocal static var current: DeferredRefresh?
        private let lock = NSLock()
        private var version: Int64?
        private var taken = false

        /// A commit made the workspace's version `version` (the newest commit's is kept). False once the noted version
        /// was taken (a task the request started, which inherits it, commits later): that commit starts its own refresh.
        func note(_ version: Int64) -> Bool {
            lock.withLock {
                if taken { return false }
                self.version = max(self.version ?? version, version)
                return true
            }
        }
        /// Whether a commit was noted and not started yet.
        var noted: Bool { lock.withLock { version != nil } }
        /// The noted version, taken (nil when there is none); later commits are no longer noted.
        func take() -> Int64? { lock.withLock { defer { version = nil; taken = true }; return version } }
    }

    /// Starts the refresh a request's commits noted (once: a second call finds nothing).
    func start(_ deferred: DeferredRefresh) {
        if let version = deferred.take() { refreshAfterWrite(version: version) }
    }

    private func refreshLoop() async {
        while true {
            let (refreshed, version) = lock.withLock { () -> ([(String, Recipe)], Int64) in
                refreshAgain = false
                let asked = self.due.compactMap { key in entries[key].map { (key: key, entry: $0) } }
                    .sorted { $0.entry.asked > $1.entry.asked }.prefix(refreshLimit)
                for (key, _) in asked { self.due.remove(key) }
                return (asked.map { ($0.key, $0.entry.recipe) }, refreshVersion)
            }
            // Right after this process's write: the store reads these on its writer, whose page cache is warm.
            await WorkspaceDatabase.afterOwnWrite {
                for (key, recipe) in refreshed { _ = try? await body(key, version: version, recipe: recipe, refresh: true) }
            }
            let done = lock.withLock { () -> Bool in
                if refreshAgain { return false }
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

    /// Tokens looked up in the database so far, because none was kept at the current credential version.
    var tokensLookedUp: Int { lock.withLock { lookups } }
}
