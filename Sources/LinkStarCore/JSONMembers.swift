import Foundation

/// A type whose JSON object is written by one function, `writeMembers(to:)`, the only home of its shape: its
/// `encode(to:)` (`encodeMembers(to:)`, for any `Encoder`) and `LinkStarJSONEncoder`'s direct path both call it, so the
/// two cannot disagree. The direct path writes straight to bytes, without the `Encoder` protocols (an API answer's
/// `Codable` calls cost several times its text). Keys are snake_case and come in ascending byte order, the order every
/// encoder here sorts them into (the direct path checks it in debug builds; `DirectJSONTests` compares the two paths).
public protocol JSONMembers: Encodable {
    /// Writes each member, key by key, in ascending key order.
    func writeMembers<Writer: JSONMemberWriter>(to writer: inout Writer) throws
}

extension JSONMembers {
    /// `encode(to:)` for a `JSONMembers` type: its members through a keyed container.
    public func encodeMembers(to encoder: any Encoder) throws {
        var writer = EncoderMemberWriter(container: encoder.container(keyedBy: JSONMemberKey.self))
        try writeMembers(to: &writer)
    }
}

/// A value written in JSON as one string: its text, the same its `encode(to:)` writes.
public protocol JSONText: Encodable {
    /// The string written, in `language` when it is a human-readable message.
    func jsonString(language: Language) -> String
}

extension JSONText where Self: RawRepresentable, RawValue == String {
    /// An enumeration's raw value (what its synthesized `encode(to:)` writes).
    public func jsonString(language: Language) -> String { rawValue }
}

extension LayerKey: JSONText {}
extension MetricDirection: JSONText {}
extension Comparison: JSONText {}
extension ImportOutcome: JSONText {}
extension Segment: JSONText {
    /// Its `description`, as its `encode(to:)` writes it.
    public func jsonString(language: Language) -> String { description }
}
extension Day: JSONText {
    /// Its `description`, as its `encode(to:)` writes it.
    public func jsonString(language: Language) -> String { description }
}
extension Message: JSONText {
    /// Its text in `language`, as its `encode(to:)` writes it for an encoder in that language.
    public func jsonString(language: Language) -> String { text(language) }
}

/// Where `writeMembers(to:)` writes: an `Encoder`'s keyed container, or bytes (`LinkStarJSONEncoder`'s direct path).
/// Absent optionals are written as null.
public protocol JSONMemberWriter {
    mutating func write(_ key: StaticString, _ value: String) throws
    mutating func write(_ key: StaticString, _ value: String?) throws
    mutating func write(_ key: StaticString, _ value: Double) throws
    mutating func write(_ key: StaticString, _ value: Double?) throws
    mutating func write(_ key: StaticString, _ value: Bool) throws
    mutating func write(_ key: StaticString, _ value: Int) throws
    mutating func write(_ key: StaticString, _ value: Int?) throws
    mutating func write(_ key: StaticString, _ value: Int64?) throws
    mutating func write(_ key: StaticString, _ values: [String]) throws
    mutating func write<T: JSONText>(_ key: StaticString, _ value: T) throws
    mutating func write<T: JSONText>(_ key: StaticString, _ value: T?) throws
    mutating func write<T: JSONText>(_ key: StaticString, _ values: [T]) throws
    mutating func write<T: JSONMembers>(_ key: StaticString, _ value: T?) throws
    mutating func write<T: JSONMembers>(_ key: StaticString, _ values: [T]) throws
}

/// A member key given as written (already snake_case: every encoder here leaves such a key as it is).
public struct JSONMemberKey: CodingKey {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
    init(_ key: StaticString) { stringValue = key.description }
}

/// `writeMembers(to:)` into an `Encoder`'s keyed container: each value through its own `encode(to:)`.
struct EncoderMemberWriter: JSONMemberWriter {
    var container: KeyedEncodingContainer<JSONMemberKey>

    mutating func write(_ key: StaticString, _ value: String) throws { try container.encode(value, forKey: JSONMemberKey(key)) }
    mutating func write(_ key: StaticString, _ value: String?) throws { try present(key, value) }
    mutating func write(_ key: StaticString, _ value: Double) throws { try container.encode(value, forKey: JSONMemberKey(key)) }
    mutating func write(_ key: StaticString, _ value: Double?) throws { try present(key, value) }
    mutating func write(_ key: StaticString, _ value: Bool) throws { try container.encode(value, forKey: JSONMemberKey(key)) }
    mutating func write(_ key: StaticString, _ value: Int) throws { try container.encode(value, forKey: JSONMemberKey(key)) }
    mutating func write(_ key: StaticString, _ value: Int?) throws { try present(key, value) }
    mutating func write(_ key: StaticString, _ value: Int64?) throws { try present(key, value) }
    mutating func write(_ key: StaticString, _ values: [String]) throws { try container.encode(values, forKey: JSONMemberKey(key)) }
    mutating func write<T: JSONText>(_ key: StaticString, _ value: T) throws { try container.encode(value, forKey: JSONMemberKey(key)) }
    mutating func write<T: JSONText>(_ key: StaticString, _ value: T?) throws { try present(key, value) }
    mutating func write<T: JSONText>(_ key: StaticString, _ values: [T]) throws { try container.encode(values, forKey: JSONMemberKey(key)) }
    mutating func write<T: JSONMembers>(_ key: StaticString, _ value: T?) throws { try present(key, value) }
    mutating func write<T: JSONMembers>(_ key: StaticString, _ values: [T]) throws { try container.encode(values, forKey: JSONMemberKey(key)) }

    private mutating func present<T: Encodable>(_ key: StaticString, _ value: T?) throws {
        if let value { try container.encode(value, forKey: JSONMemberKey(key)) } else { try container.encodeNil(forKey: JSONMemberKey(key)) }
    }
}

/// `writeMembers(to:)` straight to compact JSON bytes, as `LinkStarJSONEncoder` writes them. A number that is not finite
/// is thrown (`NonFinite`): the caller then encodes through the `Encoder` path, which reports where it was.
struct DirectMemberWriter: JSONMemberWriter {
    var out = JSONTreeWriter(pretty: false)
    let language: Language
    /// True until the current object has a member (no comma before it).
    private var first = true
    #if DEBUG
    private var lastKey: String?
    #endif

    struct NonFinite: Error {}

    init(language: Language) { self.language = language }

    /// The object `value`'s members make.
    mutating func object<T: JSONMembers>(_ value: T) throws {
        out.bytes.append(UInt8(ascii: "{"))
        let outer = first
        first = true
        #if DEBUG
        let outerKey = lastKey
        lastKey = nil
        #endif
        try value.writeMembers(to: &self)
        first = outer
        #if DEBUG
        lastKey = outerKey
        #endif
        out.bytes.append(UInt8(ascii: "}"))
    }

    /// A member's key: its bytes as they are (a key is a snake_case literal: nothing to escape).
    private mutating func key(_ key: StaticString) {
        #if DEBUG
        let text = key.description
        assert(text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }, "JSON key \(text) needs escaping")
        if let lastKey { assert(lastKey.utf8.lexicographicallyPrecedes(text.utf8), "JSON members out of order: \(lastKey), then \(text)") }
        lastKey = text
        #endif
        if !first { out.bytes.append(UInt8(ascii: ",")) }
        first = false
        out.bytes.append(UInt8(ascii: "\""))
        out.bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.bytes.append(UInt8(ascii: "\""))
        out.bytes.append(UInt8(ascii: ":"))
    }

    /// A `JSONText` value's string: a segment part by part (`Segment.appendJSONString`), anything else from its text.
    private mutating func text<T: JSONText>(_ value: T) {
        if T.self == Segment.self { return (value as! Segment).appendJSONString(to: &out) }
        out.string(value.jsonString(language: language))
    }

    private mutating func number(_ value: Double) throws {
        guard value.isFinite else { throw NonFinite() }
        out.double(value)
    }

    /// `item`'s writing of `value`, or null when it is absent.
    private mutating func valueOrNull<T>(_ value: T?, _ item: (inout Self, T) throws -> Void) rethrows {
        if let value { try item(&self, value) } else { out.append("null") }
    }

    /// `[`, each of `values` as `item` writes it, separated by commas, `]`.
    private mutating func array<T>(_ values: [T], _ item: (inout Self, T) throws -> Void) rethrows {
        out.bytes.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { out.bytes.append(UInt8(ascii: ",")) }
            try item(&self, value)
        }
        out.bytes.append(UInt8(ascii: "]"))
    }

    mutating func write(_ key: StaticString, _ value: String) throws { self.key(key); out.string(value) }
    mutating func write(_ key: StaticString, _ value: String?) throws { self.key(key); valueOrNull(value) { $0.out.string($1) } }
    mutating func write(_ key: StaticString, _ value: Double) throws { self.key(key); try number(value) }
    mutating func write(_ key: StaticString, _ value: Double?) throws { self.key(key); try valueOrNull(value) { try $0.number($1) } }
    mutating func write(_ key: StaticString, _ value: Bool) throws { self.key(key); out.append(value ? "true" : "false") }
    mutating func write(_ key: StaticString, _ value: Int) throws { self.key(key); out.append(String(value)) }
    mutating func write(_ key: StaticString, _ value: Int?) throws { self.key(key); valueOrNull(value) { $0.out.append(String($1)) } }
    mutating func write(_ key: StaticString, _ value: Int64?) throws { self.key(key); valueOrNull(value) { $0.out.append(String($1)) } }
    mutating func write(_ key: StaticString, _ values: [String]) throws { self.key(key); array(values) { $0.out.string($1) } }
    mutating func write<T: JSONText>(_ key: StaticString, _ value: T) throws { self.key(key); text(value) }
    mutating func write<T: JSONText>(_ key: StaticString, _ value: T?) throws { self.key(key); valueOrNull(value) { $0.text($1) } }
    mutating func write<T: JSONText>(_ key: StaticString, _ values: [T]) throws { self.key(key); array(values) { $0.text($1) } }
    mutating func write<T: JSONMembers>(_ key: StaticString, _ value: T?) throws { self.key(key); try valueOrNull(value) { try $0.object($1) } }
    mutating func write<T: JSONMembers>(_ key: StaticString, _ values: [T]) throws { self.key(key); try array(values) { try $0.object($1) } }
}
