import Foundation

/// Human-readable text: an English template from the catalog with its arguments, rendered in the reader's language.
///
/// Written as a string literal, e.g. `"no review #\(id)"`: the literal parts form the template (`no review #{0}`),
/// which is the catalog key; interpolated values are arguments. `Localizable` values and nested messages are
/// translated too; any other value (names, ids, user text) is shown as it is.
public struct Message: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation, Codable {
    /// One interpolated value.
    public indirect enum Argument: Sendable, Hashable {
        /// Shown as it is, in every language (a name, an id, a number, text a person wrote).
        case text(String)
        /// Translated like the message itself.
        case message(Message)
        /// A metric key: the key in English, a built-in metric's name in Chinese.
        case metric(String)
    }

    /// The English template, `{0}`, `{1}` … standing for the arguments.
    public var template: String
    public var arguments: [Argument]
    /// Read back from storage as English text: matched against the catalog's templates when rendered in another language.
    var fromStorage = false

    public init(template: String, arguments: [Argument] = []) {
        self.template = template
        self.arguments = arguments
    }

    /// Text that is not translated (a person's own words, a file's content).
    public init(verbatim text: String) {
        self.template = "{0}"
        self.arguments = [.text(text)]
    }

    /// A catalog term chosen at run time (e.g. `before`, `control after`): translated like a literal.
    public static func term(_ key: String) -> Message { Message(stringLiteral: key) }

    public init(stringLiteral value: String) {
        self.template = value
        self.arguments = []
    }

    public init(stringInterpolation: StringInterpolation) {
        self.template = stringInterpolation.template
        self.arguments = stringInterpolation.arguments
    }

    /// Builds a template from literal parts and interpolated values.
    public struct StringInterpolation: StringInterpolationProtocol {
        var template = ""
        var arguments: [Argument] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            template.reserveCapacity(literalCapacity + 3 * interpolationCount)
            arguments.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) { template += literal }

        mutating func append(_ argument: Argument) {
            let number = arguments.count
            if number < Self.placeholders.count { template.append(Self.placeholders[number]) } else { template.append("{\(number)}") }
            arguments.append(argument)
        }

        /// `{0}` … `{15}`, made once: a message has a few arguments, and formatting each number cost more than the rest.
        private static let placeholders = (0..<16).map { "{\($0)}" }

        public mutating func appendInterpolation(_ message: Message) { append(.message(message)) }
        public mutating func appendInterpolation(_ value: some Localizable) { append(.message(value.label)) }
        public mutating func appendInterpolation(_ text: String) { append(.text(text)) }
        /// A metric by key, read as its name in the reader's language.
        public mutating func appendInterpolation(metric key: String) { append(.metric(key)) }
        public mutating func appendInterpolation<T>(_ value: T) { append(.text(String(describing: value))) }
    }

    /// The message in English.
    public var description: String { text(.en) }

    /// The message in `language`.
    public func text(_ language: Language) -> String {
        if fromStorage, arguments.count == 1, case .text(let stored) = arguments[0] {
            return language == .en ? stored : Catalog.translateStored(stored, language)
        }
        let pattern = Catalog.template(template, language)
        if arguments.isEmpty { return pattern }
        return Self.fill(pattern, arguments.map { argument in
            switch argument {
            case .text(let text): text
            case .message(let message): message.text(language)
            case .metric(let key): Catalog.metricName(key, language)
            }
        })
    }

    /// Replaces `{0}`, `{1}` … in `pattern` (a brace pair whose inside is not an argument's number stays as it is).
    /// Works on the UTF-8 bytes: braces, signs and digits are ASCII, so a multi-byte character is never split.
    static func fill(_ pattern: String, _ values: [String]) -> String {
        var pattern = pattern
        return pattern.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + values.reduce(0) { $0 + $1.utf8.count })
            forEachPart(of: bytes, arguments: values.count, literal: { out.append(contentsOf: $0) },
                        argument: { out.append(contentsOf: values[$0].utf8) })
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Walks `pattern` as `fill` reads it: runs of literal bytes (a run at a time), and the placeholders `{n}` with
    /// 0 ≤ n < `count`, in order.
    static func forEachPart(of pattern: UnsafeBufferPointer<UInt8>, arguments count: Int,
                            literal: (UnsafeBufferPointer<UInt8>) -> Void, argument: (Int) -> Void) {
        var runStart = 0, i = 0
        while i < pattern.count {
            guard pattern[i] == UInt8(ascii: "{") else { i += 1; continue }
            var close = i + 1
            while close < pattern.count && pattern[close] != UInt8(ascii: "}") { close += 1 }
            guard close < pattern.count, let n = argumentNumber(UnsafeBufferPointer(rebasing: pattern[(i + 1)..<close])),
                  n >= 0, n < count else {
                i += 1
                continue
            }
            if runStart < i { literal(UnsafeBufferPointer(rebasing: pattern[runStart..<i])) }
            argument(n)
            i = close + 1
            runStart = i
        }
        if runStart < pattern.count { literal(UnsafeBufferPointer(rebasing: pattern[runStart...])) }
    }

    /// Its text in `language`, escaped as inside a JSON string, appended to `out`: the bytes escaping `text(language)`
    /// gives, without making the text (and its arguments' texts) first.
    func appendJSONStringContent(to out: inout JSONTreeWriter, language: Language) {
        if fromStorage || arguments.isEmpty { return out.stringContent(text(language)) }
        var pattern = Catalog.template(template, language)
        pattern.withUTF8 { bytes in
            Self.forEachPart(of: bytes, arguments: arguments.count, literal: { out.stringContent(utf8: $0) }, argument: { n in
                switch arguments[n] {
                case .text(let text): out.stringContent(text)
                case .message(let message): message.appendJSONStringContent(to: &out, language: language)
                case .metric(let key): out.stringContent(Catalog.metricName(key, language))
                }
            })
        }
    }

    /// The number `Int(_:)` reads from these bytes (an optional sign, then decimal digits), nil when it reads none.
    private static func argumentNumber(_ digits: UnsafeBufferPointer<UInt8>) -> Int? {
        var start = 0
        var negative = false
        if let sign = digits.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            start = 1
        }
        guard start < digits.count else { return nil }
        var value = 0
        for byte in digits[start...] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = negative ? times.subtractingReportingOverflow(Int(byte - 48)) : times.addingReportingOverflow(Int(byte - 48))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// Joins messages with a separator that is the same in every language (", ", "; ").
    public static func joined(_ messages: [Message], separator: String) -> Message {
        guard !messages.isEmpty else { return Message(verbatim: "") }
        var template = ""
        for i in messages.indices { template += (i == 0 ? "" : separator) + "{\(i)}" }
        return Message(template: template, arguments: messages.map { .message($0) })
    }

    /// Encoded as its text in the encoder's language (`CodingUserInfoKey.language`, English by default),
    /// so `--json` is the same in every language.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text(encoder.userInfo[.language] as? Language ?? .en))
    }

    /// Decoded from stored English text; rendered in another language by matching the catalog's templates.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self.init(verbatim: text)
        fromStorage = true
    }

    /// English text read back from storage (an old evaluation's warning, a frozen review pack's note).
    public init(stored text: String) {
        self.init(verbatim: text)
        fromStorage = true
    }
}

/// A value with a human-readable name in every language (a status, a role, a layer).
public protocol Localizable {
    /// The name a person reads.
    var label: Message { get }
}

extension Message: Localizable {
    public var label: Message { self }
}
