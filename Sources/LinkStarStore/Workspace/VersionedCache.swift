import Foundation

/// Values kept for as long as the workspace's change token (the newest audit entry id: every write is audited, also
/// by other processes) stays the same; all dropped when it moves. Bounded. A long-lived process (`serve`) gains from
/// it; a CLI process computes once and exits.
public final class VersionedCache<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var version: Int64 = -1
    private var values: [String: Value] = [:]
    private let capacity: Int

    public init(capacity: Int = 64) { self.capacity = capacity }

    private func sync(_ token: Int64) {
        if token != version {
            version = token
            values.removeAll(keepingCapacity: true)
        }
    }

    /// The value kept under `key` at this version of the workspace.
    public func value(_ key: String, version token: Int64) -> Value? {
        lock.withLock { sync(token); return values[key] }
    }

    /// Keeps a value computed at this version of the workspace (never over a newer version's values).
    public func store(_ value: Value, _ key: String, version token: Int64) {
        lock.withLock {
            guard token >= version else { return }
            sync(token)
            if values.count >= capacity { values.removeAll(keepingCapacity: true) }
            values[key] = value
        }
    }
}
