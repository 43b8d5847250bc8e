import Foundation

/// Answers of expensive read use cases, kept for as long as the workspace's change token (the newest audit entry
/// id: every write is audited, also by other processes) stays the same; all dropped when it moves. Bounded.
/// A long-lived process (`serve`) gains from it; a CLI process computes once and exits.
final class ReadMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var version: Int64 = -1
    private var overviews: [String: Overview] = [:]
    private let capacity = 64

    private func sync(_ token: Int64) {
        if token != version {
            version = token
            overviews.removeAll(keepingCapacity: true)
        }
    }

    /// The overview kept under `key` at this version of the workspace.
    func overview(_ key: String, version token: Int64) -> Overview? {
        lock.withLock { sync(token); return overviews[key] }
    }

    /// Keeps an overview computed at this version of the workspace.
    func store(_ overview: Overview, _ key: String, version token: Int64) {
        lock.withLock {
            // An answer computed under an older token is not kept over a newer one.
            guard token >= version else { return }
            sync(token)
            if overviews.count >= capacity { overviews.removeAll(keepingCapacity: true) }
            overviews[key] = overview
        }
    }
}
