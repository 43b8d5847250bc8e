import Foundation

/// A type whose JSON object is written by one function, `writeMembers(to:)`, the only home of its shape: its
/// `encode(to:)` (`encodeMembers(to:)`, for any `Encoder`) and `LinkStarJSONEncoder`'s direct path both call it, so the
/// two cannot disagree. The direct path writes straight to bytes, without the `Encoder` protocols (an API answer's
/// `Codable` calls cost several times its text). Keys are snake_case and come in ascending byte order, the order every
/// encoder here sorts them into (the direct path checks it in debug builds; `DirectJSONTests` compares the two paths).
public protocol JSONMembers: Encodable {
    /// Writes each member, key by key, in ascending key order.
    func writeMembers(to writer: inout JSONMemberWriter) throws
}

extension JSONMembers {
    /// `encode(to:)` for a `JSONMembers` type: its members through a keyed container.
    public func encodeMembers(to encoder: any Encoder) throws {
        var writer = JSONMemberWriter(container: encoder.container(keyedBy: JSONMemberKey.self))
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

/// A member key given as written (already snake_case: every encoder here leaves such a key as it is).
public struct JSONMemberKey: CodingKey {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
    @usableFromInline init(_ key: StaticString) { stringValue = key.description }
}

/// Where `writeMembers(to:)` writes: an `Encoder`'s keyed container (each value through its own `encode(to:)`), or
/// straight to compact JSON bytes, as `LinkStarJSONEncoder` writes them. Absent optionals are written as null. One
/// concrete type, its generic methods inlinable: a type's member list compiles to direct calls, specialized for its
/// values' types (no generic dispatch or type metadata per member). On the direct path a number that is not finite is
/// thrown (`NonFinite`): the caller then encodes through the `Encoder` path, which reports where it was.
public struct JSONMemberWriter {
    /// The `Encoder`'s container, or nil for the direct path.
    @usableFromInline var container: KeyedEncodingContainer<JSONMemberKey>?
    /// Whether there is a container (tested without copying it).
    @usableFromInline let encodes: Bool
    @usableFromInline var out: JSONTreeWriter
    @usableFromInline let language: Language
    /// True until the current object has a member (no comma before it).
    @usableFromInline var first = true
    #if DEBUG
    @usableFromInline var lastKey: String?
    #endif

    struct NonFinite: Error {}

    init(container: KeyedEncodingContainer<JSONMemberKey>) {
        self.container = container
        encodes = true
        out = JSONTreeWriter(pretty: false, capacity: 0)
        language = .en
    }

    init(language: Language) {
        container = nil
        encodes = false
        out = JSONTreeWriter(pretty: false)
        self.language = language
    }

    /// The object `value`'s members make.
    @inlinable mutating func object<T: JSONMembers>(_ value: T) throws {
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
    @usableFromInline mutating func key(_ key: StaticString) {
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

    /// A `JSONText` value's string: a segment part by part (`Segment.appendJSONString`), a message part by part
    /// (`Message.appendJSONStringContent`), anything else from its text.
    @inlinable mutating func text<T: JSONText>(_ value: T) {
        if T.self == Segment.self { return (value as! Segment).appendJSONString(to: &out) }
        if T.self == Message.self { return message(value as! Message) }
        out.string(value.jsonString(language: language))
    }

    @usableFromInline mutating func message(_ message: Message) {
        out.bytes.append(UInt8(ascii: "\""))
        message.appendJSONStringContent(to: &out, language: language)
        out.bytes.append(UInt8(ascii: "\""))
    }

    @usableFromInline mutating func number(_ value: Double) throws {
        guard value.isFinite else { throw NonFinite() }
        out.double(value)
    }

    /// Through the container when there is one (`encode(to:)`), else `direct` after the key.
    @inlinable mutating func member<T: Encodable>(_ key: StaticString, _ value: T, direct: (inout Self) throws -> Void) throws {
        if encodes { return try container!.encode(value, forKey: JSONMemberKey(key)) }
        self.key(key)
        try direct(&self)
    }

    /// `member`, an absent value written as null.
    @inlinable mutating func optional<T: Encodable>(_ key: StaticString, _ value: T?, direct: (inout Self, T) throws -> Void) throws {
        if encodes {
            if let value { return try container!.encode(value, forKey: JSONMemberKey(key)) }
            return try container!.encodeNil(forKey: JSONMemberKey(key))
        }
        self.key(key)
        if let value { try direct(&self, value) } else { out.ascii("null") }
    }

    /// `member` for an array: `[`, each of `values` as `item` writes it, separated by commas, `]`.
    @inlinable mutating func array<T: Encodable>(_ key: StaticString, _ values: [T], item: (inout Self, T) throws -> Void) throws {
        if encodes { return try container!.encode(values, forKey: JSONMemberKey(key)) }
        self.key(key)
        out.bytes.append(UInt8(ascii: "["))
        for i in values.indices {
            if i > 0 { out.bytes.append(UInt8(ascii: ",")) }
            try item(&self, values[i])
        }
        out.bytes.append(UInt8(ascii: "]"))
    }

    public mutating func write(_ key: StaticString, _ value: String) throws { try member(key, value) { $0.out.string(value) } }
    public mutating func write(_ key: StaticString, _ value: String?) throws { try optional(key, value) { $0.out.string($1) } }
    public mutating func write(_ key: StaticString, _ value: Double) throws { try member(key, value) { try $0.number(value) } }
    public mutating func write(_ key: StaticString, _ value: Double?) throws { try optional(key, value) { try $0.number($1) } }
    public mutating func write(_ key: StaticString, _ value: Bool) throws { try member(key, value) { $0.out.ascii(value ? "true" : "false") } }
    public mutating func write(_ key: StaticString, _ value: Int) throws { try member(key, value) { $0.out.append(String(value)) } }
    public mutating func write(_ key: StaticString, _ value: Int?) throws { try optional(key, value) { $0.out.append(String($1)) } }
    public mutating func write(_ key: StaticString, _ value: Int64?) throws { try optional(key, value) { $0.out.append(String($1)) } }
    public mutating func write(_ key: StaticString, _ values: [String]) throws { try array(key, values) { $0.out.string($1) } }
    @inlinable public mutating func write<T: JSONText>(_ key: StaticString, _ value: T) throws { try member(key, value) { $0.text(value) } }
    @inlinable public mutating func write<T: JSONText>(_ key: StaticString, _ value: T?) throws { try optional(key, value) { $0.text($1) } }
    @inlinable public mutating func write<T: JSONText>(_ key: StaticString, _ values: [T]) throws { try array(key, values) { $0.text($1) } }
    @inlinable public mutating func write<T: JSONMembers>(_ key: StaticString, _ value: T?) throws { try optional(key, value) { try $0.object($1) } }
    @inlinable public mutating func write<T: JSONMembers>(_ key: StaticString, _ values: [T]) throws { try array(key, values) { try $0.object($1) } }
}
