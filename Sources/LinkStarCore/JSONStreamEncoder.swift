import Foundation

/// The compact JSON text of a value written in one pass, straight to bytes: `LinkStarJSONEncoder`'s output without its
/// tree (an API answer's tree cost more to build, walk and free than its text to write).
///
/// It follows values whose `encode(to:)` uses one container of its encoder and each container only while it is the
/// innermost one open, as synthesized conformances and the standard library's collections do. An object's members are
/// written in the order they are set and put in key order when the object is done. Anything else (a nested or super
/// encoder, a second container from one encoder, a container used after an inner one was opened, a thrown error) makes
/// `bytes(of:)` return nil, and the caller builds the tree, which follows every use of the protocols (and throws the
/// error with its coding path).
///
/// Its state is read and changed only by its own methods, none of which calls out (to an `encode(to:)`) while it holds an
/// access to a property: so exclusivity is not checked at run time (`@exclusivity(unchecked)`), which had cost more
/// than the writing.
final class JSONStreamWriter {
    private let state: JSONTreeState
    @exclusivity(unchecked) private var out = JSONTreeWriter(pretty: false)
    /// Set when the value used its encoder in a way this writer does not follow: its bytes are not used.
    @exclusivity(unchecked) private(set) var unsupported = false
    /// One per value being written through its own `encode(to:)`, innermost last.
    @exclusivity(unchecked) private var frames: [Frame] = []
    @exclusivity(unchecked) private var nextSerial = 0
    /// The coding-key types met in this call (a report has about a dozen): whether their keys are data, and the last
    /// member keys and sorted order of an object of each (found by a comparison, not by hashing).
    @exclusivity(unchecked) private var keyTypes: [(id: ObjectIdentifier, keysAreData: Bool, keys: [String], order: [Int])] = []

    struct Frame {
        enum Kind { case none, object, array, single }
        let serial: Int
        var kind = Kind.none
        /// Where the container's content starts (after `{` or `[`).
        var start = 0
        /// An object's member keys as written, and the byte range of each member (`"key":value`), in the order set.
        var keys: [String] = []
        var spans: [Range<Int>] = []
        /// The object's coding-key type: its place in `keyTypes`.
        var keyType = 0
        var keysAreData = false
        /// Items of an array, values of a single-value container.
        var count = 0
    }

    private struct Unsupported: Error {}

    init(state: JSONTreeState) { self.state = state }

    /// The JSON text of `value`, or nil when it must be built as a tree (see the type's documentation).
    func bytes<T: Encodable>(of value: T) -> [UInt8]? {
        do { try write(value) } catch { return nil }
        return unsupported || !frames.isEmpty ? nil : out.bytes
    }

    // MARK: Values

    /// Writes one value: scalars directly (by metatype, as `JSONTreeState.node`), anything else through its `encode(to:)`.
    func write<T: Encodable>(_ value: T) throws {
        if T.self == String.self { return out.string(value as! String) }
        if T.self == Double.self { return try write(value as! Double) }
        if T.self == Int.self { return out.append(String(value as! Int)) }
        if T.self == Bool.self { return out.append((value as! Bool) ? "true" : "false") }
        if T.self == Int64.self { return out.append(String(value as! Int64)) }
        if T.self == Date.self { return out.string(LinkStarJSON.timestamp(value as! Date)) }
        // Core's values written as one string: their own text, as their `encode(to:)` writes it.
        if T.self == Segment.self { return out.string((value as! Segment).jsonString) }
        if T.self == Day.self { return out.string((value as! Day).jsonString) }
        if T.self == Message.self { return out.string((value as! Message).jsonString(userInfo: state.userInfo)) }
        if T.self == Float.self { return try write(value as! Float) }
        if T.self == Int32.self { return out.append(String(value as! Int32)) }
        if T.self == UInt8.self { return out.append(String(value as! UInt8)) }
        if T.self == UInt64.self { return out.append(String(value as! UInt64)) }
        if T.self == UInt.self { return out.append(String(value as! UInt)) }
        if T.self == Int8.self { return out.append(String(value as! Int8)) }
        if T.self == Int16.self { return out.append(String(value as! Int16)) }
        if T.self == UInt16.self { return out.append(String(value as! UInt16)) }
        if T.self == UInt32.self { return out.append(String(value as! UInt32)) }
        let serial = nextSerial
        nextSerial += 1
        frames.append(Frame(serial: serial))
        try value.encode(to: JSONStreamCoder(stream: self, serial: serial))
        guard !unsupported, let frame = frames.popLast(), frame.serial == serial else { throw Unsupported() }
        switch frame.kind {
        case .none: out.append("{}")    // no container asked for: an empty object, as the tree writes it
        case .single: if frame.count == 0 { out.append("{}") }
        case .array: out.bytes.append(UInt8(ascii: "]"))
        case .object: close(frame)
        }
    }

    func write(_ value: Double) throws {
        guard value.isFinite else { throw Unsupported() }
        out.double(value)
    }

    func write(_ value: Float) throws {
        guard value.isFinite else { throw Unsupported() }
        out.append(JSONTreeState.text(of: value))
    }

    func writeNull() { out.append("null") }

    /// An object's members put in key order (the tree's order: `JSONTreeObject.sortedPositions`), a key set twice
    /// keeping its last value. Members already in order are left where they are.
    private func close(_ frame: Frame) {
        let order: [Int]
        if !frame.keysAreData && keyTypes[frame.keyType].keys == frame.keys {
            order = keyTypes[frame.keyType].order
        } else {
            order = JSONTreeObject.sortedPositions(keys: frame.keys, keyType: frame.keysAreData ? nil : keyTypes[frame.keyType].id)
            if !frame.keysAreData {
                keyTypes[frame.keyType].keys = frame.keys
                keyTypes[frame.keyType].order = order
            }
        }
        if order.count == frame.keys.count && order.indices.allSatisfy({ order[$0] == $0 }) {
            out.bytes.append(UInt8(ascii: "}"))
            return
        }
        let content = Array(out.bytes[frame.start...])
        out.bytes.removeSubrange(frame.start...)
        for (i, position) in order.enumerated() {
            if i > 0 { out.bytes.append(UInt8(ascii: ",")) }
            let span = frame.spans[position]
            out.bytes.append(contentsOf: content[(span.lowerBound - frame.start)..<(span.upperBound - frame.start)])
        }
        out.bytes.append(UInt8(ascii: "}"))
    }

    // MARK: Containers

    /// True when `serial`'s value is the innermost one being written and its container is `kind`; else the value is
    /// marked unsupported.
    private func isCurrent(_ serial: Int, _ kind: Frame.Kind) -> Bool {
        guard !unsupported, let last = frames.last, last.serial == serial, last.kind == kind else {
            unsupported = true
            return false
        }
        return true
    }

    /// Opens the container of `serial`'s value (its first and only one).
    func open<Key: CodingKey>(_ serial: Int, _ kind: Frame.Kind, keyedBy type: Key.Type) {
        guard isCurrent(serial, .none) else { return }
        let top = frames.count - 1
        frames[top].kind = kind
        switch kind {
        case .object:
            out.bytes.append(UInt8(ascii: "{"))
            let id = ObjectIdentifier(Key.self)
            var slot = keyTypes.firstIndex { $0.id == id }
            if slot == nil {
                keyTypes.append((id, state.keysAreData(Key.self), [], []))
                slot = keyTypes.count - 1
            }
            frames[top].keyType = slot!
            frames[top].keysAreData = keyTypes[slot!].keysAreData
        case .array: out.bytes.append(UInt8(ascii: "["))
        case .single, .none: break
        }
        frames[top].start = out.bytes.count
    }

    /// Writes one member of `serial`'s object: its key, then the value `write` writes.
    func member<Key: CodingKey>(_ serial: Int, _ key: Key, _ write: () throws -> Void) throws {
        guard isCurrent(serial, .object) else { return }
        let top = frames.count - 1
        if !frames[top].keys.isEmpty { out.bytes.append(UInt8(ascii: ",")) }
        let name = frames[top].keysAreData ? key.stringValue : state.snakeCasedKey(key.stringValue)
        let start = out.bytes.count
        out.string(name)
        out.bytes.append(UInt8(ascii: ":"))
        try write()
        guard !unsupported, frames.count == top + 1 else { throw Unsupported() }
        frames[top].keys.append(name)
        frames[top].spans.append(start..<out.bytes.count)
    }

    /// Writes one item of `serial`'s array.
    func item(_ serial: Int, _ write: () throws -> Void) throws {
        guard isCurrent(serial, .array) else { return }
        let top = frames.count - 1
        if frames[top].count > 0 { out.bytes.append(UInt8(ascii: ",")) }
        frames[top].count += 1
        try write()
    }

    /// Writes the one value of `serial`'s single-value container (a second is not followed).
    func single(_ serial: Int, _ write: () throws -> Void) throws {
        guard isCurrent(serial, .single) else { return }
        let top = frames.count - 1
        guard frames[top].count == 0 else {
            unsupported = true
            return
        }
        frames[top].count = 1
        try write()
    }

    /// Items written so far in `serial`'s array.
    func count(_ serial: Int) -> Int { frames.last(where: { $0.serial == serial })?.count ?? 0 }

    /// A nested or super encoder: not followed.
    func giveUp() { unsupported = true }

    var userInfo: [CodingUserInfoKey: Any] { state.userInfo }
}

/// The encoder a value's `encode(to:)` is given by `JSONStreamWriter`.
struct JSONStreamCoder: Encoder {
    let stream: JSONStreamWriter
    let serial: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { stream.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        stream.open(serial, .object, keyedBy: Key.self)
        return KeyedEncodingContainer(JSONStreamKeyedContainer<Key>(stream: stream, serial: serial))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        stream.open(serial, .array, keyedBy: JSONStreamNoKey.self)
        return JSONStreamUnkeyedContainer(stream: stream, serial: serial)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        stream.open(serial, .single, keyedBy: JSONStreamNoKey.self)
        return JSONStreamSingleValueContainer(stream: stream, serial: serial)
    }
}

/// The key type of containers that have none (arrays, single values).
struct JSONStreamNoKey: CodingKey {
    var stringValue: String { "" }
    var intValue: Int? { nil }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { return nil }
}

struct JSONStreamKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let stream: JSONStreamWriter
    let serial: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { try stream.member(serial, key) { stream.writeNull() } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try stream.member(serial, key) { try stream.write(value) } }
    mutating func encode(_ value: String, forKey key: Key) throws { try stream.member(serial, key) { try stream.write(value) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { try stream.member(serial, key) { try stream.write(value) } }
    mutating func encode(_ value: Float, forKey key: Key) throws { try stream.member(serial, key) { try stream.write(value) } }
    mutating func encode(_ value: Int, forKey key: Key) throws { try stream.member(serial, key) { try stream.write(value) } }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try stream.member(serial, key) { try stream.write(value) } }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try stream.member(serial, key) { try stream.write(value) } }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try stream.member(serial, key) { try stream.write(value) } }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try stream.member(serial, key) { try stream.write(value) } }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try stream.member(serial, key) { try stream.write(value) } }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try stream.member(serial, key) { try stream.write(value) } }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try stream.member(serial, key) { try stream.write(value) } }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try stream.member(serial, key) { try stream.write(value) } }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try stream.member(serial, key) { try stream.write(value) } }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try stream.member(serial, key) { try stream.write(value) } }

    // An absent optional is written as null (JSONEncoder leaves the key out), as the tree does.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try present(value, key) }

    private func present<T: Encodable>(_ value: T?, _ key: Key) throws {
        try stream.member(serial, key) { if let value { try stream.write(value) } else { stream.writeNull() } }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        stream.giveUp()
        return KeyedEncodingContainer(JSONStreamKeyedContainer<NestedKey>(stream: stream, serial: -1))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        stream.giveUp()
        return JSONStreamUnkeyedContainer(stream: stream, serial: -1)
    }

    mutating func superEncoder() -> any Encoder {
        stream.giveUp()
        return JSONStreamCoder(stream: stream, serial: -1)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        stream.giveUp()
        return JSONStreamCoder(stream: stream, serial: -1)
    }
}

struct JSONStreamUnkeyedContainer: UnkeyedEncodingContainer {
    let stream: JSONStreamWriter
    let serial: Int
    var codingPath: [any CodingKey] { [] }
    var count: Int { stream.count(serial) }

    mutating func encodeNil() throws { try stream.item(serial) { stream.writeNull() } }
    mutating func encode(_ value: Bool) throws { try stream.item(serial) { try stream.write(value) } }
    mutating func encode(_ value: String) throws { try stream.item(serial) { try stream.write(value) } }
    mutating func encode(_ value: Double) throws { try stream.item(serial) { try stream.write(value) } }
    mutating func encode(_ value: Int) throws { try stream.item(serial) { try stream.write(value) } }
    mutating func encode(_ value: Int64) throws { try stream.item(serial) { try stream.write(value) } }
    mutating func encode<T: Encodable>(_ value: T) throws { try stream.item(serial) { try stream.write(value) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        stream.giveUp()
        return KeyedEncodingContainer(JSONStreamKeyedContainer<NestedKey>(stream: stream, serial: -1))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        stream.giveUp()
        return JSONStreamUnkeyedContainer(stream: stream, serial: -1)
    }

    mutating func superEncoder() -> any Encoder {
        stream.giveUp()
        return JSONStreamCoder(stream: stream, serial: -1)
    }
}

struct JSONStreamSingleValueContainer: SingleValueEncodingContainer {
    let stream: JSONStreamWriter
    let serial: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { try stream.single(serial) { stream.writeNull() } }
    mutating func encode(_ value: Bool) throws { try stream.single(serial) { try stream.write(value) } }
    mutating func encode(_ value: String) throws { try stream.single(serial) { try stream.write(value) } }
    mutating func encode(_ value: Double) throws { try stream.single(serial) { try stream.write(value) } }
    mutating func encode(_ value: Int) throws { try stream.single(serial) { try stream.write(value) } }
    mutating func encode(_ value: Int64) throws { try stream.single(serial) { try stream.write(value) } }
    mutating func encode<T: Encodable>(_ value: T) throws { try stream.single(serial) { try stream.write(value) } }
}
