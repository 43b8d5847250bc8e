import Foundation

/// The encoder behind `LinkStarJSON.encoder()`: the output of Foundation's `JSONEncoder` configured with snake_case
/// keys, ISO 8601 dates, sorted keys and unescaped slashes, byte for byte, except that an absent optional is written
/// as `null` instead of being left out, so JSON consumers always see the same fields.
///
/// It exists for speed as much as for the nulls: `JSONEncoder` asks the Swift runtime whether each new type conforms
/// to its private dictionary protocol, and the first such question per type scans every conformance in the binary.
/// Writing nulls by reflection (`Mirror`, then a cast to `any Encodable`) cost another scan per property type. Here
/// types are told apart by comparing metatypes, which costs nothing, and synthesized `Encodable` code does the rest.
public struct LinkStarJSONEncoder: Sendable {
    /// Indented output (`"key" : value`, two spaces), as `JSONEncoder`'s `.prettyPrinted`.
    public var pretty: Bool
    /// The language human-readable strings (`Message` values) are rendered in.
    public var language: Language

    public init(pretty: Bool = true, language: Language = .en) {
        self.pretty = pretty
        self.language = language
    }

    /// The JSON text of `value`.
    public func encode<T: Encodable>(_ value: T) throws -> Data {
        let state = JSONTreeState(userInfo: language == .en ? [:] : [.language: language])
        // Compact text straight from a type's members when it has them (`JSONMembers`); else, and for a number that is
        // not finite (which the tree reports with its path), from the tree.
        if !pretty, let members = value as? any JSONMembers, let bytes = Self.direct(members, language: language) { return Data(bytes) }
        let node = try state.node(value, path: [])
        var writer = JSONTreeWriter(pretty: pretty)
        writer.write(node, indent: 0)
        return Data(writer.bytes)
    }
}

extension LinkStarJSONEncoder {
    /// The compact text of a `JSONMembers` value written directly; nil when a number is not finite.
    static func direct(_ value: some JSONMembers, language: Language) -> [UInt8]? {
        var writer = JSONMemberWriter(language: language)
        do { try writer.object(value) } catch { return nil }
        return writer.out.bytes
    }
}

/// A JSON value being built. Objects and arrays are boxes, so containers handed out earlier can still add to them.
enum JSONTreeNode {
    case null
    case bool(Bool)
    case number(String)
    /// A finite `Double`, formatted when written (most numbers in a report are these).
    case double(Double)
    case string(String)
    case array(JSONTreeArray)
    case object(JSONTreeObject)
    /// What a nested encoder (`superEncoder`) writes, resolved when the text is written.
    case slot(JSONTreeSlot)
}

final class JSONTreeArray { var items: [JSONTreeNode] = [] }
/// An object's members in the order they were set: appending costs no hashing; the writer sorts them once.
final class JSONTreeObject {
    var members: [(key: String, node: JSONTreeNode)] = []
    /// The coding-key type its members were set with, when one container set them all.
    var keyType: ObjectIdentifier?
    /// The keys and their sorted order an earlier object of the same key type had (looked up once, when made).
    private let known: (keys: [String], order: [Int])?

    init(keyType: ObjectIdentifier? = nil) {
        self.keyType = keyType
        known = keyType.flatMap(Self.knownOrder)
        // Room for the members an object of this type had before: no growing one member at a time.
        if let known { members.reserveCapacity(known.keys.count) }
    }

    func set(_ key: String, _ node: JSONTreeNode) { members.append((key, node)) }

    /// The positions of the members in key order (UTF-8 bytes, as `JSONEncoder`'s `.sortedKeys`); a key set twice
    /// keeps its last value (the earlier position is left out).
    func sortedPositions() -> [Int] {
        // A type encodes the same keys in the same order every time: its sorted order is worked out once. (Only types
        // whose keys are names: a dictionary's keys are data, and its objects have no `keyType`.)
        if keyType != nil, let known, known.keys.count == members.count,
           zip(known.keys, members).allSatisfy({ $0 == $1.key }) {
            return known.order
        }
        let order = members.indices.sorted { a, b in
            let left = members[a].key, right = members[b].key
            if left == right { return a < b }
            return left.utf8.lexicographicallyPrecedes(right.utf8)
        }
        var kept: [Int] = []
        kept.reserveCapacity(members.count)
        for index in order {
            if let last = kept.last, members[last].key == members[index].key {
                kept[kept.count - 1] = index
            } else {
                kept.append(index)
            }
        }
        if let keyType, kept.count == members.count { Self.remember(keyType, keys: members.map(\.key), order: kept) }
        return kept
    }

    private static let ordersLock = NSLock()
    nonisolated(unsafe) private static var orders: [ObjectIdentifier: (keys: [String], order: [Int])] = [:]

    private static func knownOrder(_ type: ObjectIdentifier) -> (keys: [String], order: [Int])? {
        ordersLock.lock()
        defer { ordersLock.unlock() }
        return orders[type]
    }

    private static func remember(_ type: ObjectIdentifier, keys: [String], order: [Int]) {
        ordersLock.lock()
        defer { ordersLock.unlock() }
        if orders.count < JSONTreeState.sharedLimit || orders[type] != nil { orders[type] = (keys, order) }
    }
}
final class JSONTreeSlot { var node: JSONTreeNode? }

/// What every encoder and container of one `encode` call shares.
final class JSONTreeState {
    let userInfo: [CodingUserInfoKey: Any]
    /// This call's copy of the shared key caches: looked up without a lock, merged back when the call added to them.
    private var snakeCase: JSONKeyTexts
    private var keepsKeys: [ObjectIdentifier: Bool]
    private var addedKeys = false

    /// Key conversions every encoder has made so far (a server encodes the same few dozen keys in every answer).
    private static let sharedKeys = NSLock()
    nonisolated(unsafe) private static var sharedSnakeCase = JSONKeyTexts()
    nonisolated(unsafe) private static var sharedKeepsKeys: [ObjectIdentifier: Bool] = [:]

    init(userInfo: [CodingUserInfoKey: Any]) {
        self.userInfo = userInfo
        Self.sharedKeys.lock()
        snakeCase = Self.sharedSnakeCase
        keepsKeys = Self.sharedKeepsKeys
        Self.sharedKeys.unlock()
    }

    deinit {
        guard addedKeys else { return }
        Self.sharedKeys.lock()
        // Bounded: keys that are data (a custom key type's) must not grow a server's memory without end.
        if Self.sharedSnakeCase.count < Self.sharedLimit { Self.sharedSnakeCase.merge(snakeCase) }
        if Self.sharedKeepsKeys.count < Self.sharedLimit { Self.sharedKeepsKeys.merge(keepsKeys) { old, _ in old } }
        Self.sharedKeys.unlock()
    }

    /// Past this many shared conversions, an encoder's new ones are kept for its own call only.
    static let sharedLimit = 4_096

    /// The node of a value: scalars directly, anything else through its own `encode(to:)`.
    /// `path` is built only for a value that is neither a scalar nor fine (a nested coder's, or an error's, coding path):
    /// most values are scalars, and building it for each cost an array per value.
    func node<T: Encodable>(_ value: T, path: @autoclosure () -> [any CodingKey]) throws -> JSONTreeNode {
        // Metatype comparisons, not casts to protocols: see `LinkStarJSONEncoder`.
        if T.self == String.self { return .string(value as! String) }
        if T.self == Double.self { return try number(value as! Double, path: path()) }
        if T.self == Int.self { return .number(String(value as! Int)) }
        if T.self == Bool.self { return .bool(value as! Bool) }
        if T.self == Int64.self { return .number(String(value as! Int64)) }
        if T.self == Date.self { return .string(LinkStarJSON.timestamp(value as! Date)) }
        if T.self == Float.self { return try number(value as! Float, path: path()) }
        // The other fixed-width integers: their own `encode(to:)` asks a single-value container to encode them, whose
        // default for these types comes back here, so they must end here or recurse without end.
        if T.self == Int32.self { return .number(String(value as! Int32)) }
        if T.self == UInt8.self { return .number(String(value as! UInt8)) }
        if T.self == UInt64.self { return .number(String(value as! UInt64)) }
        if T.self == UInt.self { return .number(String(value as! UInt)) }
        if T.self == Int8.self { return .number(String(value as! Int8)) }
        if T.self == Int16.self { return .number(String(value as! Int16)) }
        if T.self == UInt16.self { return .number(String(value as! UInt16)) }
        if T.self == UInt32.self { return .number(String(value as! UInt32)) }
        let slot = JSONTreeSlot()
        try value.encode(to: JSONTreeCoder(state: self, slot: slot, codingPath: path()))
        return slot.node ?? .object(JSONTreeObject())
    }

    /// A finite number (written as `JSONEncoder` writes it, see `JSONTreeWriter.double`); NaN and infinities are refused.
    func number(_ value: Double, path: @autoclosure () -> [any CodingKey]) throws -> JSONTreeNode {
        try refuseNonFinite(value, path: path())
        return .double(value)
    }

    /// A finite `Float` as `JSONEncoder` writes it: its own `description` (shorter than its `Double`'s), without `.0`.
    func number(_ value: Float, path: @autoclosure () -> [any CodingKey]) throws -> JSONTreeNode {
        try refuseNonFinite(value, path: path())
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .number(text)
    }

    /// NaN and infinities have no JSON form: refused with where they were.
    private func refuseNonFinite<F: BinaryFloatingPoint>(_ value: F, path: @autoclosure () -> [any CodingKey]) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: path(), debugDescription: "Unable to encode \(value) directly in JSON."))
        }
    }

    /// A new object for a container keyed by `Key`, and whether its keys are data (a dictionary's: written as they are,
    /// and no known member order).
    func newObject<Key: CodingKey>(keyedBy type: Key.Type) -> (object: JSONTreeObject, keysAreData: Bool) {
        let keysAreData = keysAreData(Key.self)
        return (JSONTreeObject(keyType: keysAreData ? nil : ObjectIdentifier(Key.self)), keysAreData)
    }

    /// True for a dictionary's own key type: its keys are data, written as they are (`JSONEncoder` keeps them too).
    func keysAreData<Key: CodingKey>(_ type: Key.Type) -> Bool {
        let id = ObjectIdentifier(Key.self)
        if let known = keepsKeys[id] { return known }
        let keep = _typeName(Key.self, qualified: false) == "_DictionaryCodingKey"
        keepsKeys[id] = keep
        addedKeys = true
        return keep
    }

    /// A coding key's name as written: snake_case (a dictionary's own keys are kept by their container, not passed here).
    func snakeCasedKey(_ name: String) -> String {
        if let converted = snakeCase[name] { return converted }
        let converted = Self.snakeCased(name)
        snakeCase.insert(name, converted)
        addedKeys = true
        return converted
    }

    /// `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` on ASCII names: `pValue` → `p_value`,
    /// `fooBarURLValue` → `foo_bar_url_value`, `last7Days` → `last7_days`.
    static func snakeCased(_ name: String) -> String {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 < 0x80 }) else { return name }
        func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
        func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
        var words: [Range<Int>] = []
        var wordStart = 0
        var searchStart = 1
        let end = bytes.count
        while let upper = (searchStart..<end).first(where: { isUpper(bytes[$0]) }) {
            words.append(wordStart..<upper)
            guard let lower = (upper..<end).first(where: { isLower(bytes[$0]) }) else {
                wordStart = upper
                searchStart = end
                break
            }
            if lower == upper + 1 {
                wordStart = upper
            } else {
                words.append(upper..<(lower - 1))
                wordStart = lower - 1
            }
            searchStart = lower + 1
        }
        words.append(wordStart..<end)
        return words.map { range in String(decoding: bytes[range].map { isUpper($0) ? $0 + 32 : $0 }, as: UTF8.self) }
            .joined(separator: "_")
    }
}

/// One level of encoding: hands out the container its value asks for.
struct JSONTreeCoder: Encoder {
    let state: JSONTreeState
    let slot: JSONTreeSlot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { state.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: JSONTreeObject
        let keysAreData: Bool
        if case .object(let existing)? = slot.node {
            object = existing
            keysAreData = state.keysAreData(Key.self)
            if existing.keyType != ObjectIdentifier(Key.self) { existing.keyType = nil }  // a second key type: no known order
        } else {
            (object, keysAreData) = state.newObject(keyedBy: Key.self)
            slot.node = .object(object)
        }
        return KeyedEncodingContainer(JSONTreeKeyedContainer<Key>(state: state, object: object, codingPath: codingPath, keysAreData: keysAreData))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: JSONTreeArray
        if case .array(let existing)? = slot.node { array = existing } else {
            array = JSONTreeArray()
            slot.node = .array(array)
        }
        return JSONTreeUnkeyedContainer(state: state, array: array, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONTreeSingleValueContainer(state: state, slot: slot, codingPath: codingPath)
    }
}

struct JSONTreeKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let state: JSONTreeState
    let object: JSONTreeObject
    let codingPath: [any CodingKey]
    /// True for a dictionary's own key type: its keys are data, written as they are (`JSONEncoder` keeps them too).
    let keysAreData: Bool

    private func set(_ node: JSONTreeNode, _ key: Key) {
        object.set(keysAreData ? key.stringValue : state.snakeCasedKey(key.stringValue), node)
    }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(try state.number(value, path: codingPath + [key]), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(try state.node(value, path: codingPath + [key]), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.number(String(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.number(String(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.number(String(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.number(String(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.number(String(value)), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(.number(String(value)), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.number(String(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.number(String(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.number(String(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(.number(String(value)), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { set(try state.node(value, path: codingPath + [key]), key) }

    // An absent optional is written as null (JSONEncoder leaves the key out).
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let (nested, keysAreData) = state.newObject(keyedBy: NestedKey.self)
        set(.object(nested), key)
        return KeyedEncodingContainer(JSONTreeKeyedContainer<NestedKey>(state: state, object: nested, codingPath: codingPath + [key],
                                                                        keysAreData: keysAreData))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONTreeArray()
        set(.array(nested), key)
        return JSONTreeUnkeyedContainer(state: state, array: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let slot = JSONTreeSlot()
        set(.slot(slot), key)
        return JSONTreeCoder(state: state, slot: slot, codingPath: codingPath + [key])
    }

    private func superEncoder(named name: String) -> any Encoder {
        let slot = JSONTreeSlot()
        object.set(name, .slot(slot))
        return JSONTreeCoder(state: state, slot: slot, codingPath: codingPath)
    }
}

struct JSONTreeUnkeyedContainer: UnkeyedEncodingContainer {
    let state: JSONTreeState
    let array: JSONTreeArray
    let codingPath: [any CodingKey]
    var count: Int { array.items.count }

    mutating func encodeNil() throws { array.items.append(.null) }
    mutating func encode(_ value: Bool) throws { array.items.append(.bool(value)) }
    mutating func encode(_ value: String) throws { array.items.append(.string(value)) }
    mutating func encode(_ value: Double) throws { array.items.append(try state.number(value, path: codingPath)) }
    mutating func encode(_ value: Int) throws { array.items.append(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { array.items.append(.number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { array.items.append(try state.node(value, path: codingPath)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let (nested, keysAreData) = state.newObject(keyedBy: NestedKey.self)
        array.items.append(.object(nested))
        return KeyedEncodingContainer(JSONTreeKeyedContainer<NestedKey>(state: state, object: nested, codingPath: codingPath,
                                                                        keysAreData: keysAreData))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONTreeArray()
        array.items.append(.array(nested))
        return JSONTreeUnkeyedContainer(state: state, array: nested, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        let slot = JSONTreeSlot()
        array.items.append(.slot(slot))
        return JSONTreeCoder(state: state, slot: slot, codingPath: codingPath)
    }
}

struct JSONTreeSingleValueContainer: SingleValueEncodingContainer {
    let state: JSONTreeState
    let slot: JSONTreeSlot
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.node = .null }
    mutating func encode(_ value: Bool) throws { slot.node = .bool(value) }
    mutating func encode(_ value: String) throws { slot.node = .string(value) }
    mutating func encode(_ value: Double) throws { slot.node = try state.number(value, path: codingPath) }
    mutating func encode(_ value: Int) throws { slot.node = .number(String(value)) }
    mutating func encode(_ value: Int64) throws { slot.node = .number(String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { slot.node = try state.node(value, path: codingPath) }
}

/// Writes a node as `JSONEncoder` does with `.sortedKeys` and `.withoutEscapingSlashes` (and `.prettyPrinted` when asked).
@usableFromInline struct JSONTreeWriter {
    let pretty: Bool
    @usableFromInline var bytes: [UInt8] = []

    init(pretty: Bool, capacity: Int = 4096) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    mutating func write(_ node: JSONTreeNode, indent: Int) {
        switch node {
        case .null: append("null")
        case .bool(let value): append(value ? "true" : "false")
        case .number(let text): append(text)
        case .double(let value): double(value)
        case .string(let text): string(text)
        case .slot(let slot): write(slot.node ?? .object(JSONTreeObject()), indent: indent)
        case .array(let array):
            bytes.append(UInt8(ascii: "["))
            if array.items.isEmpty {
                if pretty { emptyBody(indent) }
            } else {
                // Items and members are read in place, not copied out one by one.
                array.items.withUnsafeBufferPointer { items in
                    for i in items.indices {
                        if i > 0 { bytes.append(UInt8(ascii: ",")) }
                        if pretty { newline(indent + 2) }
                        write(items[i], indent: indent + 2)
                    }
                }
                if pretty { newline(indent) }
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            if object.members.isEmpty {
                if pretty { emptyBody(indent) }
            } else {
                let order = object.sortedPositions()
                object.members.withUnsafeBufferPointer { members in
                    for (i, position) in order.enumerated() {
                        if i > 0 { bytes.append(UInt8(ascii: ",")) }
                        if pretty { newline(indent + 2) }
                        string(members[position].key)
                        if pretty { append(" : ") } else { bytes.append(UInt8(ascii: ":")) }
                        write(members[position].node, indent: indent + 2)
                    }
                }
                if pretty { newline(indent) }
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// A finite number as `JSONEncoder` writes it: `description` without a trailing `.0`. An integral value below 2^53
    /// in magnitude is written from its integer digits, which is what `description` gives for it (it turns to exponent
    /// form at 2^53), without building the text.
    @usableFromInline mutating func double(_ value: Double) {
        if value.magnitude < 9_007_199_254_740_992, value.rounded(.towardZero) == value, !(value == 0 && value.sign == .minus) {
            integer(Int64(value))
            return
        }
        var text = value.description
        text.withUTF8 { utf8 in
            var count = utf8.count
            if count >= 2 && utf8[count - 2] == UInt8(ascii: ".") && utf8[count - 1] == UInt8(ascii: "0") { count -= 2 }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[..<count]))
        }
    }

    /// The decimal digits of `value` (|value| < 2^53, so negating cannot overflow).
    private mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        var digits: (UInt64, UInt64) = (0, 0)  // 16 bytes: room for the 16 digits of a value below 2^53
        withUnsafeMutableBytes(of: &digits) { buffer in
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// `JSONEncoder` writes an empty collection pretty-printed as `[`, an empty line, and the closing bracket.
    private mutating func emptyBody(_ indent: Int) {
        bytes.append(UInt8(ascii: "\n"))
        newline(indent)
    }

    private mutating func newline(_ indent: Int) {
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }

    @usableFromInline mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// An ASCII literal's bytes as they are (`null`, `true`, `false`).
    @usableFromInline mutating func ascii(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @usableFromInline mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        stringContent(text)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `text` escaped, without quotes.
    mutating func stringContent(_ text: String) {
        var text = text
        text.withUTF8 { stringContent(utf8: $0) }
    }

    /// UTF-8 text escaped, without quotes.
    mutating func stringContent(utf8: UnsafeBufferPointer<UInt8>) {
        // Runs of bytes that need no escape are appended whole.
        var start = 0
        for i in 0..<utf8.count {
            let byte = utf8[i]
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
            escape(byte)
            start = i + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): append("\\\"")
        case UInt8(ascii: "\\"): append("\\\\")
        case 0x08: append("\\b")
        case 0x0C: append("\\f")
        case UInt8(ascii: "\n"): append("\\n")
        case UInt8(ascii: "\r"): append("\\r")
        case UInt8(ascii: "\t"): append("\\t")
        default: append("\\u00" + Hex.lowercase(CollectionOfOne(byte)))
        }
    }
}

/// Coding-key names and their snake_case form, found by the two machine words of the name's `String` value instead of
/// by hashing its text: a name comes from the same string literal in every answer, so its words are the same.
///
/// Sound because equal words mean equal text: a small string's words are its bytes; a large one's hold the address
/// of its storage, and every name is kept here (retained), so no other text can be stored at that address while its
/// entry exists. Equal texts with different words (two copies) are only two entries.
struct JSONKeyTexts {
    private var words: [UInt64] = []      // two per slot; (0, 0) is an empty slot (no `String` has those words)
    private var names: [String] = []
    private var converted: [String] = []
    /// How many names are kept.
    private(set) var count = 0

    private static func words(of name: String) -> (UInt64, UInt64) { unsafeBitCast(name, to: (UInt64, UInt64).self) }

    private func slot(for key: (UInt64, UInt64)) -> Int {
        let mask = names.count - 1
        var slot = Int(truncatingIfNeeded: (((key.0 &* 0x9E37_79B9_7F4A_7C15) ^ key.1) &* 0xBF58_476D_1CE4_E5B9) >> 32) & mask
        while words[2 * slot] != 0 || words[2 * slot + 1] != 0 {
            if words[2 * slot] == key.0 && words[2 * slot + 1] == key.1 { return slot }
            slot = (slot + 1) & mask
        }
        return slot
    }

    /// The converted form of `name`, when it was inserted before.
    subscript(name: String) -> String? {
        guard count > 0 else { return nil }
        let key = Self.words(of: name)
        let slot = slot(for: key)
        return words[2 * slot] == key.0 && words[2 * slot + 1] == key.1 ? converted[slot] : nil
    }

    /// Keeps `name` and its converted form (at most half full: grows by doubling).
    mutating func insert(_ name: String, _ form: String) { insert(Self.words(of: name), name, form) }

    private mutating func insert(_ key: (UInt64, UInt64), _ name: String, _ form: String) {
        if 2 * (count + 1) > names.count { grow() }
        let slot = slot(for: key)
        if words[2 * slot] == key.0 && words[2 * slot + 1] == key.1 { return }
        words[2 * slot] = key.0
        words[2 * slot + 1] = key.1
        names[slot] = name
        converted[slot] = form
        count += 1
    }

    /// Adds the names `other` has and this table does not.
    mutating func merge(_ other: JSONKeyTexts) {
        for slot in other.names.indices where other.words[2 * slot] != 0 || other.words[2 * slot + 1] != 0 {
            insert((other.words[2 * slot], other.words[2 * slot + 1]), other.names[slot], other.converted[slot])
        }
    }

    private mutating func grow() {
        let old = self
        let capacity = max(64, 2 * names.count)
        words = Array(repeating: 0, count: 2 * capacity)
        names = Array(repeating: "", count: capacity)
        converted = Array(repeating: "", count: capacity)
        count = 0
        merge(old)
    }
}
