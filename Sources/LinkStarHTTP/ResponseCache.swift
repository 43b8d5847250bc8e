import Foundation
import Hummingbird
import LinkStarStore

/// Caches computed responses and authenticated tokens for as long as the workspace does not change
/// (its change token: every write is audited). Two `VersionedCache`s, each cleared when the token moves.
final class ResponseCache: Sendable {
    private let responses: VersionedCache<ByteBuffer>
    private let principals: VersionedCache<Principal>

    init(capacity: Int = 256) {
        responses = VersionedCache(capacity: capacity)
        principals = VersionedCache(capacity: capacity)
    }

    func principal(forHash hash: String, version token: Int64) -> Principal? { principals.value(hash, version: token) }

    func store(principal: Principal, forHash hash: String, version token: Int64) { principals.store(principal, hash, version: token) }

    func response(for key: String, version token: Int64) -> ByteBuffer? { responses.value(key, version: token) }

    func store(response: ByteBuffer, for key: String, version token: Int64) { responses.store(response, key, version: token) }
}
