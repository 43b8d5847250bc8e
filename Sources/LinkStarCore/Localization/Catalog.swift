import Foundation

/// The one catalog of human-readable text: every English template LinkStar shows, with its Chinese.
///
/// Sections live in `Catalog+*.swift`; `CatalogTests` fails when a template lacks a language or a placeholder.
/// With `LINKSTAR_CATALOG_CHECK=1` in the environment, rendering a template that is not in the catalog prints
/// `linkstar: untranslated: …` to stderr, so the end-to-end tests catch text that bypasses it.
public enum Catalog {
    /// Every section as (English template, Chinese template) pairs.
    public static var entries: [(en: String, zh: String)] {
        terms + errors + output + help + notify
    }

    /// English template → Chinese template.
    static let zh: [String: String] = Dictionary(entries.map { ($0.en, $0.zh) }, uniquingKeysWith: { first, _ in first })

    /// A metric as a person reads it: in English its key (what commands take), in Chinese a built-in metric's
    /// Chinese name (a workspace's own metrics keep their key).
    public static func metricName(_ key: String, _ language: Language) -> String {
        language == .zh ? metricsZH[key]?.name ?? key : key
    }

    /// Whether `template` has an entry (templates without letters need none: `{0}: {1}`).
    public static func contains(_ template: String) -> Bool {
        zh[template] != nil || !needsTranslation(template)
    }

    /// Whether a template has English words in it (Latin letters outside its placeholders).
    public static func needsTranslation(_ template: String) -> Bool {
        template.replacingOccurrences(of: #"\{\d+\}"#, with: "", options: .regularExpression)
            .unicodeScalars.contains { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
    }

    /// The template in `language`.
    static func template(_ template: String, _ language: Language) -> String {
        // English is the template itself: looked up (its text hashed) only to report a missing entry when checking.
        if language == .en && !checking { return template }
        if let translated = zh[template] { return language == .zh ? translated : template }
        if checking, needsTranslation(template) { reportMissing(template) }
        return template
    }

    /// A stored English string in `language`: the catalog template it matches, with its arguments translated when they match too.
    static func translateStored(_ text: String, _ language: Language) -> String {
        guard language != .en else { return text }
        if let direct = zh[text] { return direct }
        for (template, regex) in storedPatterns {
            let range = NSRange(text.startIndex..., in: text)
            guard let match = regex.firstMatch(in: text, range: range) else { continue }
            var values: [String] = []
            for group in 1..<match.numberOfRanges {
                let value = Range(match.range(at: group), in: text).map { String(text[$0]) } ?? ""
                if let metric = metricsZH[value] { values.append(language == .zh ? metric.name : value); continue }
                values.append(value.count < text.count ? translateStored(value, language) : value)
            }
            return Message.fill(Catalog.template(template, language), values)
        }
        return text
    }

    /// Templates with placeholders as anchored patterns, longest first (the most specific wins).
    private static let storedPatterns: [(String, NSRegularExpression)] = zh.keys
        .filter { $0.contains("{0}") && needsTranslation($0) }
        .sorted { $0.count > $1.count }
        .compactMap { template in
            var pattern = "^"
            var rest = Substring(template)
            while let open = rest.range(of: #"\{\d+\}"#, options: .regularExpression) {
                pattern += NSRegularExpression.escapedPattern(for: String(rest[..<open.lowerBound])) + "(.+?)"
                rest = rest[open.upperBound...]
            }
            pattern += NSRegularExpression.escapedPattern(for: String(rest)) + "$"
            return (try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])).map { (template, $0) }
        }

    private static let checking = ProcessInfo.processInfo.environment["LINKSTAR_CATALOG_CHECK"] == "1"

    private static let reported = ReportedTemplates()

    private static func reportMissing(_ template: String) {
        guard reported.insert(template) else { return }
        FileHandle.standardError.write(Data("linkstar: untranslated: \(template)\n".utf8))
    }
}

/// Templates already reported as missing (each once per process).
private final class ReportedTemplates: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: Set<String> = []

    func insert(_ template: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return seen.insert(template).inserted
    }
}
