import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import LinkStarCore

/// A local stand-in for each vendor's webhook, on loopback: it checks each request's signature and shape the way the
/// vendor documents them, answers the vendor's way (errors included), and can be told to fail, stall or hang.
/// Every path starts with the vendor: `/dingtalk/robot/send`, `/feishu/hook/…`, `/wecom/send`, `/slack/services/…`, `/webhook`.
final class VendorReceiver: @unchecked Sendable {
    /// One request as received.
    struct Received: Sendable {
        var vendor: String
        var query: [String: String]
        /// Header names in lowercase.
        var headers: [String: String]
        var body: Data
        var at: Date
        /// The signature checked out (and the timestamp was within an hour of the sender's clock).
        var signed: Bool
        /// The body has the vendor's documented shape.
        var shaped: Bool
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
        /// The text a person reads, whatever the vendor.
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// What to do with the next requests to a vendor.
    enum Reply: Sendable {
        /// The vendor's error in a 200 (DingTalk/WeCom errcode, Feishu code).
        case vendorError(Int)
        case status(Int, retryAfter: String?)
        /// Answer after this many seconds.
        case stall(Double)
        /// Never answer, and do not count the request as received (it was lost on the way).
        case hang
    }

    static let secret = "SECtest0123456789abcdef"
    private let lock = NSLock()
    private var log: [Received] = []
    private var replies: [String: [Reply]] = [:]
    private var hangers: [CheckedContinuation<Void, Never>] = []
    private var hung = 0
    /// The sender's clock, for the vendors' one-hour timestamp window.
    let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date = { Date() }) { self.now = now }

    var received: [Received] { lock.withLock { log } }
    var hangingCount: Int { lock.withLock { hung } }
    func received(_ vendor: String) -> [Received] { received.filter { $0.vendor == vendor } }

    /// Queues replies for the next requests to `vendor` (then it answers normally).
    func script(_ vendor: String, _ next: [Reply]) { lock.withLock { replies[vendor, default: []] += next } }

    /// Lets every hanging request go (its answer goes nowhere: the sender is gone).
    func releaseHanging() {
        let waiting = lock.withLock { () -> [CheckedContinuation<Void, Never>] in defer { hangers = [] }; return hangers }
        for continuation in waiting { continuation.resume() }
    }

    private func nextReply(_ vendor: String) -> Reply? {
        lock.withLock {
            guard var queue = replies[vendor], !queue.isEmpty else { return nil }
            let reply = queue.removeFirst()
            replies[vendor] = queue
            return reply
        }
    }

    /// Runs the receiver on a free loopback port for the duration of `body`.
    func serve<T: Sendable>(_ body: @Sendable (_ base: String) async throws -> T) async throws -> T {
        let router = Router()
        for vendor in ["dingtalk", "feishu", "wecom", "slack", "webhook"] {
            router.post("/\(vendor)/**") { request, _ in try await self.handle(vendor, request) }
            router.post("/\(vendor)") { request, _ in try await self.handle(vendor, request) }
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in try await body("http://127.0.0.1:\(client.port!)") }
    }

    private func handle(_ vendor: String, _ request: Request) async throws -> Response {
        let body = Data(buffer: try await request.body.collect(upTo: 1 << 22))
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let reply = nextReply(vendor)
        if case .hang = reply {
            lock.withLock { hung += 1 }
            await withCheckedContinuation { continuation in lock.withLock { hangers.append(continuation) } }
            return Response(status: .serviceUnavailable)
        }
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let (signed, shaped) = check(vendor, query: query, headers: headers, body: body, json: json)
        lock.withLock { log.append(Received(vendor: vendor, query: query, headers: headers, body: body, at: Date(), signed: signed, shaped: shaped)) }
        switch reply {
        case .stall(let seconds): try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
        case .status(let status, let retryAfter):
            var fields = HTTPFields()
            if let retryAfter { fields[.retryAfter] = retryAfter }
            return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: "{\"error\":\"\(status)\"}")))
        default: break
        }
        var code: Int?
        if case .vendorError(let value) = reply { code = value }
        if !signed { code = vendor == "feishu" ? 19021 : 310000 }
        return answer(vendor, code: code)
    }

    private func answer(_ vendor: String, code: Int?) -> Response {
        let text: String
        switch vendor {
        case "dingtalk", "wecom": text = code.map { "{\"errcode\":\($0),\"errmsg\":\"sign not match\"}" } ?? "{\"errcode\":0,\"errmsg\":\"ok\"}"
        case "feishu":
            text = code.map { "{\"code\":\($0),\"msg\":\"sign match fail or timestamp is not within one hour from current time\",\"data\":{}}" }
                ?? "{\"StatusCode\":0,\"StatusMessage\":\"success\",\"code\":0,\"data\":{},\"msg\":\"success\"}"
        case "slack": return Response(status: code == nil ? .ok : .forbidden, body: .init(byteBuffer: ByteBuffer(string: code == nil ? "ok" : "invalid_token")))
        default: return Response(status: code == nil ? .noContent : .unauthorized)
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The vendor's own checks, written from its documentation (not from LinkStar's code).
    private func check(_ vendor: String, query: [String: String], headers: [String: String], body: Data, json: [String: Any]?) -> (Bool, Bool) {
        let key = SymmetricKey(data: Data(Self.secret.utf8))
        func fresh(_ seconds: Double?) -> Bool { seconds.map { abs($0 - now().timeIntervalSince1970) <= 3_600 } ?? false }
        switch vendor {
        case "dingtalk":
            // timestamp (ms) and sign in the query; sign = Base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), URL-encoded.
            guard let timestamp = query["timestamp"], let sign = query["sign"] else { return (false, false) }
            let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp)\n\(Self.secret)".utf8), using: key)
            let signed = sign == Data(mac).base64EncodedString() && fresh(Double(timestamp).map { $0 / 1000 })
            let markdown = json?["markdown"] as? [String: Any]
            let at = json?["at"] as? [String: Any]
            let text = markdown?["text"] as? String ?? ""
            let mentioned = ((at?["atMobiles"] as? [String]) ?? []) + ((at?["atUserIds"] as? [String]) ?? [])
            let shaped = json?["msgtype"] as? String == "markdown" && markdown?["title"] is String && at != nil
                && mentioned.allSatisfy { text.contains("@" + $0) }
            return (signed, shaped)
        case "feishu":
            // timestamp (s) and sign in the body; sign = Base64(HMAC-SHA256(key: timestamp + "\n" + secret, message: empty)).
            guard let timestamp = json?["timestamp"] as? String, let sign = json?["sign"] as? String else { return (false, false) }
            let mac = HMAC<SHA256>.authenticationCode(for: Data(), using: SymmetricKey(data: Data("\(timestamp)\n\(Self.secret)".utf8)))
            let signed = sign == Data(mac).base64EncodedString() && fresh(Double(timestamp))
            let type = json?["msg_type"] as? String
            let post = ((json?["content"] as? [String: Any])?["post"] as? [String: Any])?["zh_cn"] as? [String: Any]
            return (signed, (type == "post" && post?["title"] is String && post?["content"] is [Any]) || type == "interactive")
        case "wecom":
            let markdown = json?["markdown"] as? [String: Any]
            return (true, json?["msgtype"] as? String == "markdown" && markdown?["content"] is String)
        case "slack":
            return (true, json?["text"] is String && json?["blocks"] is [Any])
        default:
            // X-LinkStar-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + "." + body)).
            guard let timestamp = headers["x-linkstar-timestamp"], let signature = headers["x-linkstar-signature"] else { return (false, json != nil) }
            let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).".utf8) + body, using: key)
            let hex = mac.map { String(format: "%02x", $0) }.joined()
            return (signature == "sha256=" + hex && fresh(Double(timestamp)), json?["topic"] is String)
        }
    }
}
