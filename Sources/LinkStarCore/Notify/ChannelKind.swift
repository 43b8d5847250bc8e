import Foundation

/// Where a message goes: a group robot of a chat the team works in, or any HTTPS endpoint of its own.
public enum ChannelKind: String, CaseIterable, Codable, Sendable {
    /// DingTalk custom robot (自定义机器人), signed with 加签.
    case dingtalk
    /// Feishu / Lark custom bot (自定义机器人), signed with 签名校验.
    case feishu
    /// WeCom group robot (群机器人).
    case wecom
    /// Slack incoming webhook.
    case slack
    /// Any endpoint: the digest as JSON, signed with an `X-LinkStar-Signature` HMAC header.
    case webhook

    /// Parses a kind name.
    public static func parse(_ text: String, field: String = "kind") throws -> ChannelKind {
        try Segment.refuseInvisible(text, field: field)
        guard let kind = ChannelKind(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw LinkStarError.unknownValue("kind", text, field: field, among: allCases.map(\.rawValue))
        }
        return kind
    }

    /// How many messages the vendor accepts per robot: at most `count` in any `seconds` (DingTalk 20/min, WeCom
    /// 20/min, Feishu 5/s, Slack about 1/s); a generic webhook is held to one a second.
    public var rateLimit: (count: Int, seconds: Int) {
        switch self {
        case .dingtalk, .wecom: (20, 60)
        case .feishu: (5, 1)
        case .slack, .webhook: (1, 1)
        }
    }

    /// The person's chat identities a mention of this kind can use, in order of preference.
    public var identityFields: [ChatIdentity.Field] {
        switch self {
        case .dingtalk: [.dingtalkUserId, .dingtalkMobile]
        case .feishu: [.feishuOpenId]
        case .wecom: [.wecomUser]
        case .slack: [.slackId]
        case .webhook: []
        }
    }
}

/// A channel's webhook address: HTTPS (plain HTTP only to loopback, for tests and a local relay), no credentials,
/// at most 2,000 characters.
public enum ChannelURL {
    public static func validate(_ text: String, field: String = "url") throws -> URL {
        try Segment.refuseInvisible(text, field: field)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count <= 2_000, let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw LinkStarError.invalidField(field, "is not a webhook URL (https://…)")
        }
        guard url.user == nil, url.password == nil else { throw LinkStarError.invalidField(field, "must not carry a user name or password") }
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw LinkStarError.invalidField(field, "must be https:// (plain http only to this machine)")
        }
        return url
    }

    /// The address as it may be shown: scheme, host and the path's first part (robot URLs carry their access token
    /// in the path or the query, which is a secret).
    public static func redacted(_ url: URL) -> String {
        let parts = url.path.split(separator: "/", omittingEmptySubsequences: true)
        let shown = parts.isEmpty ? "" : "/" + parts[0] + (parts.count > 1 ? "/…" : "")
        return "\(url.scheme ?? "https")://\(url.host ?? "")\(url.port.map { ":\($0)" } ?? "")\(shown)\(url.query == nil ? "" : "?…")"
    }
}

/// A channel's name: 1–40 characters, lowercase letters, digits, `.`, `_`, `-`.
public enum ChannelName {
    public static func validate(_ text: String, field: String = "name") throws -> String {
        try Segment.refuseInvisible(text, field: field)
        let name = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard (1...40).contains(name.count), name.unicodeScalars.allSatisfy({ CharacterSet.lowercaseLetters.contains($0) && $0.isASCII
            || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-" }) else {
            throw LinkStarError.invalidField(field, "must be 1 to 40 letters, digits, '.', '_' or '-'")
        }
        return name
    }
}

/// A channel's signing secret: 1–200 printable ASCII characters (what the vendors issue).
public enum ChannelSecret {
    public static func validate(_ text: String, field: String = "secret") throws -> String {
        guard (1...200).contains(text.count), text.unicodeScalars.allSatisfy({ (0x21...0x7e).contains($0.value) }) else {
            throw LinkStarError.invalidField(field, "must be 1 to 200 printable ASCII characters without spaces")
        }
        return text
    }
}

/// A channel to add, validated.
public struct NewChannel: Sendable, Equatable {
    public var name: String
    public var kind: ChannelKind
    public var url: URL
    public var secret: String?

    /// Checks every field; DingTalk and Feishu robots with signing need the secret, which the others may have.
    public static func parse(name: String, kind: String, url: String, secret: String?) throws -> NewChannel {
        NewChannel(name: try ChannelName.validate(name), kind: try ChannelKind.parse(kind), url: try ChannelURL.validate(url),
                   secret: try secret.map { try ChannelSecret.validate($0) })
    }
}
