import Foundation
import Hummingbird
import LinkStarStore

/// Caches computed responses and authenticated tokens for as long as the workspace does not change
/// (its change token: every write is audited). Bounded; cleared whenever the token moves.
final class ResponseCache: @unchecked Sendable {
    private let lock = NSLock()
    private var version: Int64 = -1
    private var responses: [String: ByteBuffer] = [:]
    private var principals: [String: Principal] = [:]
    private let capacity: Int

    init(capacity: Int = 256) { self.capacity = capacity }

    private func sync(_ token: Int64) {
        if token != version {
            version = token
            responses.removeAll(keepingCapacity: true)
            principals.removeAll(keepingCapacity: true)
        }
    }

    func principal(forHash hash: String, version token: Int64) -> Principal? {
        lock.withLock { sync(token); return principals[hash] }
    }

    func store(principal: Principal, forHash hash: String, version token: Int64) {
        lock.withLock {
            sync(token)
            if principals.count >= capacity { principals.removeAll(keepingCapacity: true) }
            principals[hash] = principal
        }
    }

    func response(for key: String, version token: Int64) -> ByteBuffer? {
        lock.withLock { sync(token); return responses[key] }
    }

    func store(response: ByteBuffer, for key: String, version token: Int64) {
        lock.withLock {
            sync(token)
            if responses.count >= capacity { responses.removeAll(keepingCapacity: true) }
            responses[key] = response
        }
    }
}
