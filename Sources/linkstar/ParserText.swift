import LinkStarCore

/// The argument parser's own messages (usage errors, `Usage:` lines) in the reader's language, line by line,
/// through the catalog's templates (`Error: {0}`, `Missing expected argument '{0}'`, …).
enum ParserText {
    static func translate(_ text: String, _ language: Language) -> String {
        guard language != .en else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.isEmpty ? "" : Message(stored: String(line)).text(language) }
            .joined(separator: "\n")
    }
}
