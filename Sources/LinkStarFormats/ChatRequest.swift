import Crypto
import Foundation
import LinkStarCore

/// One HTTP request to a channel: where, which headers, which body. Built from a `ChatMessage` exactly as each vendor
/// documents it, signed with the channel's secret at `now`.
public struct ChatRequest: Sendable, Equatable {
    public var url: URL
    public var headers: [String: String]
    public var body: Data

    /// The request for `message` on a channel of `kind` at `url`, signed with `secret` (when the channel has one).
    /// `document` is what a generic webhook receives (the digest as data); chat kinds ignore it. `deliveryId` (the same
    /// on every attempt of one message) goes to a generic webhook as `X-LinkStar-Delivery`, so it can drop repeats.
    public static func build(_ kind: ChannelKind, url: URL, secret: String?, message: ChatMessage, document: Data? = nil,
                             deliveryId: String? = nil, now: Date) throws -> ChatRequest {
        var url = url
        var headers = ["Content-Type": "application/json; charset=utf-8"]
        let body: [String: Any]
        switch kind {
        case .dingtalk:
            body = dingtalk(message)
            if let secret {
                let timestamp = String(Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
                let sign = ChatSigning.dingtalk(timestamp: timestamp, secret: secret)
                url = try appendingQuery(url, [("timestamp", timestamp), ("sign", sign)])
            }
        case .feishu:
            var payload = feishu(message)
            if let secret {
                let timestamp = String(Int64(now.timeIntervalSince1970.rounded(.down)))
                payload["timestamp"] = timestamp
                payload["sign"] = ChatSigning.feishu(timestamp: timestamp, secret: secret)
            }
            body = payload
        case .wecom:
            body = wecom(message)
        case .slack:
            body = slack(message)
        case .webhook:
            let data = try document ?? JSONSerialization.data(withJSONObject: ["title": message.title, "lines": message.lines], options: [.sortedKeys])
            if let deliveryId { headers["X-LinkStar-Delivery"] = deliveryId }
            if let secret {
                let timestamp = String(Int64(now.timeIntervalSince1970.rounded(.down)))
                headers["X-LinkStar-Timestamp"] = timestamp
                headers["X-LinkStar-Signature"] = "sha256=" + ChatSigning.webhook(timestamp: timestamp, body: data, secret: secret)
            }
            return ChatRequest(url: url, headers: headers, body: data)
        }
        return ChatRequest(url: url, headers: headers, body: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    static func appendingQuery(_ url: URL, _ items: [(String, String)]) throws -> URL {
        // The values are already URL-encoded where a vendor asks for it (DingTalk's sign); append them as they are.
        let query = items.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let text = url.absoluteString + (url.query == nil ? "?" : "&") + query
        guard let appended = URL(string: text) else { throw LinkStarError.invalidField("url", "cannot carry the signature") }
        return appended
    }

    static func markdownBody(_ message: ChatMessage, mention: (String, ChatIdentity?) -> String) -> String {
        var parts = ["### \(message.title)"] + message.lines.map { message.render($0, mention: mention) }
        if let link = message.link { parts.append("[\(link)](\(link))") }
        return parts.joined(separator: "\n\n")
    }

    /// DingTalk: `msgtype: markdown`; mentions go in `at.atMobiles` / `at.atUserIds` and must also appear in the text.
    static func dingtalk(_ message: ChatMessage) -> [String: Any] {
        var mobiles: [String] = [], userIds: [String] = []
        let text = markdownBody(message) { handle, identity in
            if let id = identity?.dingtalkUserId {
                if !userIds.contains(id) { userIds.append(id) }
                return "@\(id)"
            }
            if let mobile = identity?.dingtalkMobile {
                if !mobiles.contains(mobile) { mobiles.append(mobile) }
                return "@\(mobile)"
            }
            return "@\(handle)"
        }
        return ["msgtype": "markdown", "markdown": ["title": message.title, "text": text],
                "at": ["atMobiles": mobiles, "atUserIds": userIds, "isAtAll": false]]
    }

    /// Feishu: `msg_type: post`, one paragraph per line, `{"tag": "at", "user_id": open_id}` for a mention.
    static func feishu(_ message: ChatMessage) -> [String: Any] {
        var paragraphs: [[[String: Any]]] = message.lines.map { line in
            message.pieces(of: line).map { piece -> [String: Any] in
                switch piece {
                case .text(let text): ["tag": "text", "text": text]
                case .mention(let handle):
                    if let id = message.identity(of: handle)?.feishuOpenId { ["tag": "at", "user_id": id] } else { ["tag": "text", "text": "@\(handle)"] }
                }
            }
        }
        if let link = message.link { paragraphs.append([["tag": "a", "text": link, "href": link]]) }
        return ["msg_type": "post", "content": ["post": ["zh_cn": ["title": message.title, "content": paragraphs]]]]
    }

    /// WeCom: `msgtype: markdown`, `<@userid>` for a mention.
    static func wecom(_ message: ChatMessage) -> [String: Any] {
        ["msgtype": "markdown", "markdown": ["content": markdownBody(message) { handle, identity in
            identity?.wecomUser.map { "<@\($0)>" } ?? "@\(handle)"
        }]]
    }

    /// Slack: `text` (the fallback for notifications) plus a header and a section block, `<@U…>` for a mention.
    static func slack(_ message: ChatMessage) -> [String: Any] {
        let lines = message.lines.map { message.render($0) { handle, identity in identity?.slackId.map { "<@\($0)>" } ?? "@\(handle)" } }
        var body = lines.joined(separator: "\n")
        if let link = message.link { body += "\n<\(link)>" }
        // Slack caps a header at 150 characters and a section's text at 3,000.
        return ["text": message.title + "\n" + body,
                "blocks": [["type": "header", "text": ["type": "plain_text", "text": String(message.title.prefix(150))]],
                           ["type": "section", "text": ["type": "mrkdwn", "text": String(body.prefix(3_000))]]]]
    }
}

/// The signatures, exactly as the vendors document them (test vectors: `Tests/Fixtures/reference/make_chat_signature_vectors.py`).
public enum ChatSigning {
    /// DingTalk 加签: HMAC-SHA256 keyed with the secret over `timestamp + "\n" + secret` (milliseconds), Base64, then
    /// URL-encoded for the query string.
    public static func dingtalk(timestamp: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp)\n\(secret)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return urlEncoded(Data(mac).base64EncodedString())
    }

    /// Feishu 签名校验: HMAC-SHA256 keyed with `timestamp + "\n" + secret` (seconds) over an empty message, Base64.
    public static func feishu(timestamp: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(), using: SymmetricKey(data: Data("\(timestamp)\n\(secret)".utf8)))
        return Data(mac).base64EncodedString()
    }

    /// The generic webhook: HMAC-SHA256 keyed with the secret over `timestamp + "." + body`, lowercase hex; sent as
    /// `X-LinkStar-Signature: sha256=…` with `X-LinkStar-Timestamp`, so a receiver can verify both.
    public static func webhook(timestamp: String, body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).".utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
        return Hex.lowercase(mac)
    }

    /// Percent-encoding as Python's `urllib.parse.quote_plus` (what DingTalk's own sample uses): unreserved characters kept.
    static func urlEncoded(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
