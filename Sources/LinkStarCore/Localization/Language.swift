import Foundation

/// The language a person reads: every human-readable string is rendered in one of these.
/// What a program reads (`--json`, the API's field names, enum values, metric keys, exit codes) never depends on it.
public enum Language: String, CaseIterable, Sendable, Codable, Hashable {
    case en
    case zh

    /// Parses `zh`, `zh-CN`, `zh_CN.UTF-8`, `en`, `en-US`, `C`, `POSIX` (case-insensitive).
    public static func parse(_ text: String, field: String = "lang") throws -> Language {
        guard let language = recognise(text) else {
            throw LinkStarError.unknownValue(Message("language"), text, field: field, among: allCases.map(\.rawValue))
        }
        return language
    }

    /// The language a locale or language tag names, or nil when it names neither (or is empty).
    public static func recognise(_ text: String) -> Language? {
        let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
        if lowered.isEmpty { return nil }
        if lowered == "c" || lowered == "posix" || lowered.hasPrefix("c.") { return .en }
        let primary = lowered.split(whereSeparator: { "-_.@".contains($0) }).first.map(String.init) ?? lowered
        return Language(rawValue: primary)
    }

    /// The language from the POSIX locale variables (`LC_ALL`, then `LC_MESSAGES`, then `LANG`), or nil.
    public static func fromLocale(_ environment: [String: String]) -> Language? {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty { return recognise(value) }
        }
        return nil
    }

    /// The reader's language: `flag` (`--lang`), else `LINKSTAR_LANG`, else the workspace default,
    /// else the locale (`LC_ALL`/`LC_MESSAGES`/`LANG`), else English.
    public static func resolve(flag: String?, environment: [String: String], workspaceDefault: Language?) throws -> Language {
        if let flag { return try parse(flag, field: "lang") }
        if let value = environment["LINKSTAR_LANG"], !value.isEmpty { return try parse(value, field: "LINKSTAR_LANG") }
        if let workspaceDefault { return workspaceDefault }
        return fromLocale(environment) ?? .en
    }

    /// The first supported language of an HTTP `Accept-Language` header (weights respected), else English.
    public static func fromAcceptLanguage(_ header: String?) -> Language {
        guard let header else { return .en }
        var best: (Language, Double)?
        for part in header.split(separator: ",").prefix(32) {
            let pieces = part.split(separator: ";")
            guard let tag = pieces.first, let language = recognise(String(tag)) else { continue }
            var weight = 1.0
            for piece in pieces.dropFirst() {
                let trimmed = piece.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("q="), let q = Double(trimmed.dropFirst(2)), q.isFinite { weight = min(max(q, 0), 1) }
            }
            if weight > 0, best == nil || weight > best!.1 { best = (language, weight) }
        }
        return best?.0 ?? .en
    }
}

extension CodingUserInfoKey {
    /// The language `Message` values are rendered in when encoded (English when absent).
    public static let language = CodingUserInfoKey(rawValue: "linkstar.language")!
}
