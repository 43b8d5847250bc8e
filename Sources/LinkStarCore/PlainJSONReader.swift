/// Reads a JSON text that `JSONSyntax` already found valid, value by value, for hand-written decoders of plain shapes:
/// objects, arrays, strings without escapes, finite numbers and `null`. A read that meets anything else (an escape, a
/// number beyond Double's range, another kind of value) returns nil, and the caller falls back to Foundation's decoder,
/// which then decodes the document or reports exactly what it reports for it. Faster than the decoder by an order of
/// magnitude for an API batch; `PlainJSONDecodable` types are decoded with it first.
public struct PlainJSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0

    /// A reader at the start of `bytes` (a valid JSON text).
    public init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard i < bytes.count, bytes[i] == byte else { return false }
        i += 1
        return true
    }

    /// Consumes `{`; false when the next value is not an object.
    public mutating func openObject() -> Bool { take(UInt8(ascii: "{")) }

    /// Consumes `[`; false when the next value is not an array.
    public mutating func openArray() -> Bool { take(UInt8(ascii: "[")) }

    /// Before each member of an object (`closing` `}`) or element of an array (`]`): true when one follows (its comma
    /// consumed), false at the end (the bracket consumed). `first` is true before the first one.
    public mutating func hasNext(closing: UInt8, first: Bool) -> Bool {
        if take(closing) { return false }
        if !first { _ = take(UInt8(ascii: ",")) }
        return true
    }

    /// A member's key and its colon; nil when the key holds an escape.
    public mutating func key() -> String? {
        guard let key = string() else { return nil }
        return take(UInt8(ascii: ":")) ? key : nil
    }

    /// A string without escapes; nil for any other value or a string with an escape.
    public mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = i
        while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
            if bytes[i] == UInt8(ascii: "\\") { return nil }
            i += 1
        }
        guard i < bytes.count else { return nil }
        defer { i += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
    }

    /// A number without an exponent that Double holds as a normal value (or zero); nil for any other value. Numbers
    /// with an exponent are left to the decoder: it refuses some that RFC 8259 allows (`0E3`).
    public mutating func number() -> Double? {
        skipSpace()
        let start = i
        // The text is valid JSON, so the number's bytes are exactly those that may be in one.
        while i < bytes.count, Self.isNumberByte(bytes[i]) {
            if bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") { return nil }
            i += 1
        }
        let text = UnsafeBufferPointer(rebasing: bytes[start..<i])
        guard !text.isEmpty, let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else { return nil }
        // Out of range at the small end (a subnormal, or zero from digits that are not all zeros): left to the decoder.
        if value == 0 ? text.contains(where: { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9") }) : !value.isNormal { return nil }
        return value
    }

    /// The bytes a JSON number is written with.
    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"),
             UInt8(ascii: "E"):
            return true
        default:
            return false
        }
    }

    /// Consumes `null` when it comes next.
    public mutating func null() -> Bool {
        skipSpace()
        guard bytes.count - i >= 4, bytes[i] == UInt8(ascii: "n"), bytes[i + 1] == UInt8(ascii: "u"), bytes[i + 2] == UInt8(ascii: "l"),
              bytes[i + 3] == UInt8(ascii: "l") else { return false }
        i += 4
        return true
    }

    /// True when nothing but whitespace is left.
    public mutating func atEnd() -> Bool {
        skipSpace()
        return i == bytes.count
    }
}

/// A type with a hand-written plain decoder (`PlainJSONReader`), tried before Foundation's `JSONDecoder`. It must give
/// the same value the decoder gives whenever it gives one, and nil for anything it does not read (the decoder then
/// decodes the document, or reports the error it reports).
public protocol PlainJSONDecodable: Decodable {
    /// The value in the document at the reader, or nil to leave the document to `JSONDecoder`.
    static func decodePlain(_ reader: inout PlainJSONReader) -> Self?
}

extension PlainJSONDecodable {
    /// The value of a whole JSON text (already valid), or nil to leave it to `JSONDecoder`.
    public static func decodePlain(text bytes: UnsafeBufferPointer<UInt8>) -> Self? {
        var reader = PlainJSONReader(bytes)
        guard let value = decodePlain(&reader), reader.atEnd() else { return nil }
        return value
    }
}
