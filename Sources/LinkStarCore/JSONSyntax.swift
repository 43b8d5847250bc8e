/// Whether bytes are one JSON text as RFC 8259 defines it: any value at the top, whitespace around it, nothing else.
/// Stricter than Foundation's parsers, which both accept a trailing comma and `JSONDecoder` also leading zeros: a
/// request body is checked with this before it is decoded, so a broken document is refused as malformed (400) whatever
/// fields it would have had. One pass over the bytes, no values built, no recursion: nesting deeper than `maxDepth` is
/// refused (as the decoder refuses it), and so are strings that are not UTF-8, control characters in strings, unknown
/// escapes and numbers outside the grammar (`01`, `1.`, `.5`, `+1`, `1e`).
public enum JSONSyntax {
    /// The deepest nesting of arrays and objects accepted (`JSONDecoder`'s limit).
    public static let maxDepth = 512

    /// True when `bytes` are exactly one JSON text.
    public static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
        if let valid = bytes.withContiguousStorageIfAvailable({ check($0) }) { return valid }
        return Array(bytes).withUnsafeBufferPointer { check($0) }
    }

    /// What may come next while reading inside containers.
    private enum Container { case array, object }

    private static func check(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        var stack: [Container] = []

        func skipSpace() { while i < n, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 } }

        /// A string from its opening quote; `i` ends after the closing one.
        func string() -> Bool {
            i += 1
            while i < n {
                let c = b[i]
                if c == UInt8(ascii: "\"") { i += 1; return true }
                if c < 0x20 { return false }
                if c == UInt8(ascii: "\\") {
                    guard i + 1 < n else { return false }
                    switch b[i + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        i += 2
                    case UInt8(ascii: "u"):
                        guard i + 5 < n, (2...5).allSatisfy({ isHex(b[i + $0]) }) else { return false }
                        i += 6
                    default:
                        return false
                    }
                    continue
                }
                if c < 0x80 { i += 1; continue }
                guard let length = utf8Sequence(at: i) else { return false }
                i += length
            }
            return false
        }

        /// The length of the well-formed UTF-8 sequence of 2 to 4 bytes at `start` (no overlong forms, no surrogates,
        /// nothing above U+10FFFF); nil when it is not one.
        func utf8Sequence(at start: Int) -> Int? {
            let lead = b[start]
            let length: Int, lower: UInt8, upper: UInt8
            switch lead {
            case 0xC2...0xDF: (length, lower, upper) = (2, 0x80, 0xBF)
            case 0xE0: (length, lower, upper) = (3, 0xA0, 0xBF)
            case 0xED: (length, lower, upper) = (3, 0x80, 0x9F)
            case 0xE1...0xEC, 0xEE...0xEF: (length, lower, upper) = (3, 0x80, 0xBF)
            case 0xF0: (length, lower, upper) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, lower, upper) = (4, 0x80, 0xBF)
            case 0xF4: (length, lower, upper) = (4, 0x80, 0x8F)
            default: return nil
            }
            guard start + length <= n, (lower...upper).contains(b[start + 1]) else { return nil }
            for k in 2..<length where !(0x80...0xBF).contains(b[start + k]) { return nil }
            return length
        }

        func isHex(_ c: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(c)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(c)
        }

        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

        /// One or more digits; false when there is none.
        func digits() -> Bool {
            let start = i
            while i < n, isDigit(b[i]) { i += 1 }
            return i > start
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        func number() -> Bool {
            if b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < n, isDigit(b[i]) else { return false }
            if b[i] == UInt8(ascii: "0") { i += 1 } else { _ = digits() }
            if i < n, b[i] == UInt8(ascii: ".") {
                i += 1
                guard digits() else { return false }
            }
            if i < n, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                i += 1
                if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                guard digits() else { return false }
            }
            return true
        }

        func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard i + count <= n else { return false }
            for k in 0..<count where b[i + k] != word.utf8Start[k] { return false }
            i += count
            return true
        }

        /// A value that is not a container, or the opening of one (pushed); false when none starts at `i`.
        func valueStart() -> Bool {
            guard i < n else { return false }
            switch b[i] {
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard stack.count < maxDepth else { return false }
                stack.append(b[i] == UInt8(ascii: "{") ? .object : .array)
                i += 1
                skipSpace()
                // An empty container closes at once.
                if i < n, b[i] == (stack.last == .object ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    stack.removeLast()
                    i += 1
                    return true
                }
                if stack.last == .object { return member() }
                return valueStart()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
            default: return false
            }
        }

        /// `"key" : ` and the start of its value.
        func member() -> Bool {
            guard i < n, b[i] == UInt8(ascii: "\""), string() else { return false }
            skipSpace()
            guard i < n, b[i] == UInt8(ascii: ":") else { return false }
            i += 1
            skipSpace()
            return valueStart()
        }

        skipSpace()
        guard valueStart() else { return false }
        // After each complete value: a comma and the next one, or the container's end, until none is open.
        while !stack.isEmpty {
            skipSpace()
            guard i < n else { return false }
            let container = stack[stack.count - 1]
            if b[i] == UInt8(ascii: ",") {
                i += 1
                skipSpace()
                guard container == .object ? member() : valueStart() else { return false }
            } else if b[i] == (container == .object ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                stack.removeLast()
                i += 1
            } else {
                return false
            }
        }
        skipSpace()
        return i == n
    }
}
