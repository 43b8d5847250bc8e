import Foundation

/// A message for a chat, already in the reader's language: a title, lines of text, the people it mentions and an
/// optional link. A mention is written in a line as `@{handle}`; each channel kind renders it its own way
/// (`@138…` for DingTalk, `<at user_id=…>` for Feishu, `<@id>` for WeCom and Slack), or as `@handle` when the person
/// has no identity in that chat.
public struct ChatMessage: Codable, Sendable, Equatable {
    /// Someone the message is addressed to.
    public struct Mention: Codable, Sendable, Equatable {
        public var handle: String
        public var identity: ChatIdentity
        public init(handle: String, identity: ChatIdentity) { self.handle = handle; self.identity = identity }
    }

    /// One piece of a line: text, or a mention.
    public enum Piece: Equatable, Sendable {
        case text(String)
        case mention(String)
    }

    public var title: String
    public var lines: [String]
    public var mentions: [Mention]
    /// A page with the details (the web overview), when a public URL is configured.
    public var link: String?

    public init(title: String, lines: [String], mentions: [Mention] = [], link: String? = nil) {
        self.title = title
        self.lines = lines
        self.mentions = mentions
        self.link = link
    }

    /// How a line mentions `handle`.
    public static func mentionToken(_ handle: String) -> String { "@{\(handle)}" }

    /// A line cut into text and mentions (only of people in `mentions`; any other `@{…}` stays text).
    public func pieces(of line: String) -> [Piece] {
        let known = Set(mentions.map(\.handle))
        var pieces: [Piece] = []
        var text = ""
        var rest = Substring(line)
        while let open = rest.range(of: "@{") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
            let handle = String(rest[open.upperBound..<close])
            text += rest[..<open.lowerBound]
            if known.contains(handle) {
                if !text.isEmpty { pieces.append(.text(text)); text = "" }
                pieces.append(.mention(handle))
            } else {
                text += rest[open.lowerBound...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        text += rest
        if !text.isEmpty { pieces.append(.text(text)) }
        return pieces
    }

    /// A line with each mention written by `mention` (given the handle and the person's identity).
    public func render(_ line: String, mention: (String, ChatIdentity?) -> String) -> String {
        pieces(of: line).map { piece in
            switch piece {
            case .text(let text): text
            case .mention(let handle): mention(handle, identity(of: handle))
            }
        }.joined()
    }

    /// The identity of a mentioned person.
    public func identity(of handle: String) -> ChatIdentity? { mentions.first { $0.handle == handle }?.identity }
}

/// What one delivery attempt came to.
public enum DeliveryResult: Equatable, Sendable {
    case delivered
    /// Worth another attempt (a rate limit, a server error, a vendor error code); `after` is the vendor's Retry-After.
    case retry(reason: String, after: Int?)
    /// Will not succeed as it is (the address is gone, the payload refused).
    case failed(reason: String)
}

/// When to try again, and how a vendor's answer is read.
public enum DeliveryPolicy {
    /// Attempts before a message is given up on (and reported as failed).
    public static let maxAttempts = 6
    /// Longest wait between attempts, seconds.
    public static let maxDelay = 3_600
    /// Every request's timeout, seconds.
    public static let requestTimeout = 10

    /// Seconds to wait after failed attempt `attempt` (1-based): 30, 60, 120, … up to an hour; never less than the
    /// vendor's Retry-After.
    public static func delay(afterAttempt attempt: Int, retryAfter: Int? = nil) -> Int {
        let exponent = min(max(attempt, 1) - 1, 16)
        let backoff = min(30 << exponent, maxDelay)
        return min(max(backoff, retryAfter ?? 0), maxDelay)
    }

    /// Reads an answer: HTTP status first (429, 408 and 5xx retry; other 4xx fail), then the vendor's own code in a
    /// 200 (DingTalk and WeCom `errcode`, Feishu `code`, Slack's `ok`): a non-zero code is retried, because a bad
    /// signature (Feishu 19021, DingTalk 310000) can come from a clock or a secret that is being fixed.
    public static func classify(_ kind: ChannelKind, status: Int, body: Data, retryAfter: String?) -> DeliveryResult {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        let wait = retryAfter.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map { min(max($0, 0), maxDelay) }
        switch status {
        case 200...299: break
        case 429: return .retry(reason: "HTTP 429 (rate limited)", after: wait)
        case 408, 500...599: return .retry(reason: "HTTP \(status)", after: wait)
        default: return .failed(reason: "HTTP \(status): \(text)")
        }
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        func code(_ keys: [String]) -> Int? {
            for key in keys { if let value = object?[key] as? Int { return value } }
            return nil
        }
        switch kind {
        case .dingtalk, .wecom:
            guard let errcode = code(["errcode"]) else { return .retry(reason: "no errcode in the answer: \(text)", after: nil) }
            return errcode == 0 ? .delivered : .retry(reason: "errcode \(errcode): \(object?["errmsg"] as? String ?? "")", after: nil)
        case .feishu:
            // Feishu answers {"code":0,…} (older bots {"StatusCode":0,…}).
            guard let value = code(["code", "StatusCode"]) else { return .retry(reason: "no code in the answer: \(text)", after: nil) }
            return value == 0 ? .delivered : .retry(reason: "code \(value): \(object?["msg"] as? String ?? "")", after: nil)
        case .slack:
            return text.trimmingCharacters(in: .whitespacesAndNewlines) == "ok" ? .delivered : .retry(reason: "Slack answered \(text)", after: nil)
        case .webhook:
            return .delivered
        }
    }
}
