import Foundation

/// Who a person is in each chat, so a message can @-mention them (the vendor notifies them).
public struct ChatIdentity: Codable, Sendable, Equatable {
    /// One identity field, as `person set` names it.
    public enum Field: String, CaseIterable, Codable, Sendable {
        case dingtalkMobile = "dingtalk_mobile"
        case dingtalkUserId = "dingtalk_user_id"
        case feishuOpenId = "feishu_open_id"
        case wecomUser = "wecom_user"
        case slackId = "slack_id"

        /// Checks one value: mobiles are digits with an optional `+` and country code; Feishu open ids start with
        /// `ou_`; Slack member ids are `U…` or `W…`; user ids are letters, digits, `.`, `_`, `-`, `@`. At most 64.
        public func validate(_ text: String) throws -> String {
            try Segment.refuseInvisible(text, field: rawValue)
            let value = text.trimmingCharacters(in: .whitespaces)
            let ascii = value.unicodeScalars.allSatisfy { $0.isASCII }
            let idCharacters = value.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) || $0 == "." || $0 == "_" || $0 == "-" || $0 == "@"
            }
            let valid: Bool = switch self {
            case .dingtalkMobile:
                (6...20).contains(value.count) && ascii && value.unicodeScalars.enumerated().allSatisfy { i, c in ("0"..."9").contains(c) || (i == 0 && c == "+") }
            case .feishuOpenId: value.hasPrefix("ou_") && value.count <= 64 && ascii && idCharacters
            case .slackId: (value.hasPrefix("U") || value.hasPrefix("W")) && (2...32).contains(value.count) && ascii && idCharacters
            case .dingtalkUserId, .wecomUser: (1...64).contains(value.count) && ascii && idCharacters
            }
            guard valid else { throw LinkStarError.invalidField(rawValue, "is not a valid \(rawValue)") }
            return value
        }
    }

    public var dingtalkMobile: String?
    public var dingtalkUserId: String?
    public var feishuOpenId: String?
    public var wecomUser: String?
    public var slackId: String?

    public init(dingtalkMobile: String? = nil, dingtalkUserId: String? = nil, feishuOpenId: String? = nil, wecomUser: String? = nil,
                slackId: String? = nil) {
        self.dingtalkMobile = dingtalkMobile
        self.dingtalkUserId = dingtalkUserId
        self.feishuOpenId = feishuOpenId
        self.wecomUser = wecomUser
        self.slackId = slackId
    }

    public subscript(field: Field) -> String? {
        get {
            switch field {
            case .dingtalkMobile: dingtalkMobile
            case .dingtalkUserId: dingtalkUserId
            case .feishuOpenId: feishuOpenId
            case .wecomUser: wecomUser
            case .slackId: slackId
            }
        }
        set {
            switch field {
            case .dingtalkMobile: dingtalkMobile = newValue
            case .dingtalkUserId: dingtalkUserId = newValue
            case .feishuOpenId: feishuOpenId = newValue
            case .wecomUser: wecomUser = newValue
            case .slackId: slackId = newValue
            }
        }
    }

    /// The identity a mention in a message of `kind` uses, and which field it is; nil when the person has none.
    public func mention(for kind: ChannelKind) -> (field: Field, value: String)? {
        for field in kind.identityFields { if let value = self[field] { return (field, value) } }
        return nil
    }
}
