import Foundation

/// The workspace settings a person may change with `config set`, each with its bounds and default.
public enum WorkspaceSetting: String, CaseIterable, Codable, Sendable {
    /// The share of a rate's denominator that must be on matched cells, else the rate is partial (0 to 1).
    case coverageThreshold = "coverage_threshold"
    /// Days the newest value of a series may lag before it is stale (0 to 365).
    case staleAfterDays = "stale_after_days"
    /// Days a review may be overdue before new actions on its layer are refused (0 to 90).
    case reviewGraceDays = "review_grace_days"
    /// The language people read when neither `--lang` nor `LINKSTAR_LANG` says otherwise (`en` or `zh`).
    case lang
    /// The time zone times are shown in (an IANA name such as `Asia/Shanghai`); times are stored in UTC.
    case timezone
    /// When the daily report (日报) is sent, `HH:MM` in the workspace's time zone, or `off`.
    case digestTime = "digest_time"
    /// The address people open the web pages at (linked from chat messages), or empty for none.
    case publicURL = "public_url"

    /// The value used when none is set, as stored text.
    public var defaultValue: String {
        switch self {
        case .coverageThreshold: String(LikeForLike.defaultCoverageThreshold)
        case .staleAfterDays: "2"
        case .reviewGraceDays: String(ReviewRules.defaultGraceDays)
        case .lang: Language.en.rawValue
        case .timezone: "UTC"
        case .digestTime: "09:00"
        case .publicURL: ""
        }
    }

    /// What the setting means, for `config list` and the README.
    public var summary: Message {
        switch self {
        case .coverageThreshold: "share of a rate's denominator on cells that report both sides, below which the rate is partial (0 to 1, 80% = 0.8)"
        case .staleAfterDays: "days the newest value of a series may lag before data check calls it stale (0 to 365)"
        case .reviewGraceDays: "days a review may be overdue before new actions on its layer are refused (0 to 90)"
        case .lang: "the language people read when --lang and LINKSTAR_LANG are not given (en or zh)"
        case .timezone: "the time zone times are shown in, e.g. Asia/Shanghai (stored in UTC)"
        case .digestTime: "when notify sends the daily report, HH:MM in the workspace's time zone, or off"
        case .publicURL: "the web pages' address, linked from chat messages (https://…, or none)"
        }
    }

    /// Parses a key people type (case-insensitive, `-` or `_`).
    public static func parse(_ text: String, field: String = "key") throws -> WorkspaceSetting {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_")
        guard let setting = WorkspaceSetting(rawValue: key) else {
            throw LinkStarError.unknown(Message("setting"), text, field: field, among: allCases.map(\.rawValue), kind: .invalid)
        }
        return setting
    }

    /// Validates a value and returns it as stored text.
    public func normalise(_ text: String, field: String = "value") throws -> String {
        switch self {
        case .coverageThreshold:
            let value = try NumberInput.parse(text, field: field)
            guard (0...1).contains(value) else { throw LinkStarError.invalidField(field, "must be between 0 and 1 (or 0% to 100%)") }
            return String(value)
        case .staleAfterDays, .reviewGraceDays:
            let range = self == .staleAfterDays ? 0...365 : ReviewRules.graceDaysRange
            guard let days = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(days) else {
                throw LinkStarError.invalidField(field, "must be a whole number of days from \(range.lowerBound) to \(range.upperBound)")
            }
            return String(days)
        case .lang:
            return try Language.parse(text, field: field).rawValue
        case .timezone:
            return try DisplayTime.zone(parsing: text, field: field).identifier
        case .digestTime:
            return try DigestTime.parse(text, field: field)?.description ?? "off"
        case .publicURL:
            return try PublicURL.parse(text, field: field)?.absoluteString ?? ""
        }
    }
}
