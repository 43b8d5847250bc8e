import Foundation
import LinkStarCore

/// The argument parser's own messages (usage errors, help headings, `(default: …)`) in the reader's language,
/// line by line, through the catalog's templates (`Error: {0}`, `OPTIONS:`, `(default: {0})`, …).
enum ParserText {
    static func translate(_ text: String, _ language: Language) -> String {
        guard language != .en else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.isEmpty ? "" : defaults(Message(stored: String(line)).text(language), language) }
            .joined(separator: "\n")
    }

    private static let defaultPattern = try! NSRegularExpression(pattern: #"\(default: ([^()]*)\)"#)

    /// `(default: auto)` inside an option's help line.
    static func defaults(_ line: String, _ language: Language) -> String {
        var result = line
        for match in defaultPattern.matches(in: line, range: NSRange(line.startIndex..., in: line)).reversed() {
            guard let whole = Range(match.range, in: result), let value = Range(match.range(at: 1), in: result) else { continue }
            let message = Message(template: "(default: {0})", arguments: [.text(String(result[value]))])
            result.replaceSubrange(whole, with: message.text(language))
        }
        return result
    }
}
