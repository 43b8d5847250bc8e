import Foundation
import Testing
@testable import LinkStarCore

/// `LinkStarJSONEncoder` writes what Foundation's `JSONEncoder` writes with LinkStar's options, byte for byte,
/// and `null` where `JSONEncoder` leaves an absent optional out.
@Suite struct JSONEncodingTests {
    struct Leaf: Codable, Equatable { var fooBarURLValue = 1; var last7Days = 2.5; var pValue = -0.0 }
    struct Everything: Codable, Equatable {
        var text = "q\"\\/\n\t\r\u{08}\u{0C}\u{01}\u{1F}\u{7F}é中\u{2028}"
        var numbers: [Double] = [0.1, 1e21, 1e-7, 5e-324, 123_456_789_012.5, 3, -2, 1.7976931348623157e308]
        var integers: [Int64] = [0, -1, Int64.max, Int64.min]
        var flags = [true, false]
        var empty: [Int] = []
        var emptyObject: [String: Int] = [:]
        var nested: [[Int]] = [[], [1]]
        // A dictionary's keys are data: never snake_cased.
        var byCurrency: [String: Double] = ["USD": 1.5, "CNY": 2, "camelKey": 3, "a10": 4, "a9": 5, "Ab": 6, "B": 7]
        var date = Date(timeIntervalSince1970: 1_764_000_000)
        var leaves = [Leaf(), Leaf(fooBarURLValue: 2, last7Days: 0, pValue: 1e-300)]
        var day = try! Day(parsing: "2026-11-28")
        var segment = try! Segment(parsing: "amazon/US/app")
        var float: Float = 0.1
    }

    static func foundation(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    @Test(arguments: [true, false])
    func sameBytesAsFoundation(pretty: Bool) throws {
        let value = Everything()
        let ours = try LinkStarJSON.encoder(pretty: pretty).encode(value)
        let theirs = try Self.foundation(pretty: pretty).encode(value)
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: theirs, as: UTF8.self))
    }

    @Test func topLevelScalarsAndCollections() throws {
        for pretty in [true, false] {
            let ours = LinkStarJSON.encoder(pretty: pretty), theirs = Self.foundation(pretty: pretty)
            #expect(try ours.encode("top") == theirs.encode("top"))
            #expect(try ours.encode(1.5) == theirs.encode(1.5))
            #expect(try ours.encode([Int]()) == theirs.encode([Int]()))
            #expect(try ours.encode([String: Int]()) == theirs.encode([String: Int]()))
            #expect(try ours.encode([["a": [1, 2]]]) == theirs.encode([["a": [1, 2]]]))
            // Every fixed-width number, in arrays (unkeyed) and alone (single value).
            #expect(try ours.encode([Int8(-8)]) == theirs.encode([Int8(-8)]))
            #expect(try ours.encode([UInt8(200)]) == theirs.encode([UInt8(200)]))
            #expect(try ours.encode([Int16(-300), Int16(300)]) == theirs.encode([Int16(-300), Int16(300)]))
            #expect(try ours.encode([Int32.max]) == theirs.encode([Int32.max]))
            #expect(try ours.encode([UInt16.max]) == theirs.encode([UInt16.max]))
            #expect(try ours.encode([UInt32.max]) == theirs.encode([UInt32.max]))
            #expect(try ours.encode([UInt64.max]) == theirs.encode([UInt64.max]))
            #expect(try ours.encode([UInt(7)]) == theirs.encode([UInt(7)]))
            #expect(try ours.encode([Float(0.1), Float(2)]) == theirs.encode([Float(0.1), Float(2)]))
            #expect(try ours.encode(UInt8(9)) == theirs.encode(UInt8(9)))
            #expect(try ours.encode(Int32(-9)) == theirs.encode(Int32(-9)))
        }
    }

    /// Sets one key twice, and a second key between: the last value is the one written.
    struct RepeatedKey: Encodable {
        enum Keys: String, CodingKey { case zebraCount, alpha }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(1, forKey: .zebraCount)
            try container.encode("a", forKey: .alpha)
            try container.encode(2, forKey: .zebraCount)
        }
    }

    @Test func aKeySetTwiceKeepsItsLastValueAsFoundationDoes() throws {
        for pretty in [true, false] {
            let ours = try LinkStarJSON.encoder(pretty: pretty).encode(RepeatedKey())
            #expect(String(decoding: ours, as: UTF8.self) == String(decoding: try Self.foundation(pretty: pretty).encode(RepeatedKey()), as: UTF8.self))
            // The second call reads the key conversions the first one shared, and writes the same bytes.
            #expect(try LinkStarJSON.encoder(pretty: pretty).encode(RepeatedKey()) == ours)
        }
    }

    /// Writes a different set of keys (of one key type) depending on its value, and escapes in its text.
    struct VaryingKeys: Encodable {
        enum Keys: String, CodingKey { case zeta, alphaBeta, mid, omega }
        var variant: Int
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            if variant % 2 == 0 { try container.encode("z\"\\\u{01}中", forKey: .zeta) }
            try container.encode(variant, forKey: .alphaBeta)
            if variant % 3 == 0 { try container.encode(true, forKey: .mid) }
            if variant % 2 == 1 { try container.encode([variant], forKey: .omega) }
        }
    }

    @Test func keyOrderStaysRightWhenOneKeyTypeWritesDifferentKeys() throws {
        for variant in [0, 1, 2, 3, 0, 5, 6, 1, 0] {
            for pretty in [true, false] {
                let ours = try LinkStarJSON.encoder(pretty: pretty).encode(VaryingKeys(variant: variant))
                let theirs = try Self.foundation(pretty: pretty).encode(VaryingKeys(variant: variant))
                #expect(String(decoding: ours, as: UTF8.self) == String(decoding: theirs, as: UTF8.self), "variant \(variant)")
            }
        }
    }

    /// Numbers written from their integer digits (integral, below 2^53) and from `description` (the rest), at the
    /// boundaries and at random, in arrays, in objects and alone: the same bytes as Foundation.
    @Test func numbersAsFoundationWritesThem() throws {
        var generator = SeededGenerator(seed: 16)
        let edges: [Double] = [0, -0.0, 1, -1, 9, 10, -10, 99_999, 1e15, -1e15, 9_007_199_254_740_991, -9_007_199_254_740_991,
                               9_007_199_254_740_992, -9_007_199_254_740_992, 9_007_199_254_740_994, 9e15, 9.1e15, 1e16, 0.5, -0.5,
                               2.5e-8, 123_456.789, Double.ulpOfOne, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude]
        var values = edges
        for _ in 0..<4_000 {
            let magnitude = Double.random(in: -3...17, using: &generator)
            var value = pow(10, magnitude) * (Bool.random(using: &generator) ? 1 : -1)
            if Bool.random(using: &generator) { value = value.rounded() }
            values.append(value)
        }
        struct Keyed: Encodable { var value: Double; var rate: Double? }
        let ours = LinkStarJSON.encoder(pretty: false), theirs = Self.foundation(pretty: false)
        #expect(String(decoding: try ours.encode(values), as: UTF8.self) == String(decoding: try theirs.encode(values), as: UTF8.self))
        for value in values {
            #expect(try ours.encode(value) == theirs.encode(value), "\(value)")
            let keyed = Keyed(value: value, rate: value)
            #expect(String(decoding: try ours.encode(keyed), as: UTF8.self) == String(decoding: try theirs.encode(keyed), as: UTF8.self))
        }
    }

    /// Key names built at run time (heap strings, freed between encodes, their memory reused by other names) are
    /// converted by their text, never by where a freed name used to be.
    struct RuntimeKeys: Encodable {
        struct Key: CodingKey {
            var stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }
        var names: [String]
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (i, name) in names.enumerated() { try container.encode(i, forKey: Key(stringValue: name)) }
        }
    }

    @Test func keyNamesBuiltAtRunTimeAreConvertedByTheirText() throws {
        var generator = SeededGenerator(seed: 7)
        var written: [(RuntimeKeys, Data)] = []
        // Ours only inside the loop, so the next round's names are likely to be stored where this round's were freed.
        for round in 0..<300 {
            let names = (0..<Int.random(in: 1...4, using: &generator)).map { i in
                // Longer than 15 bytes (kept on the heap), camelCase so the conversion shows.
                "someLongerKeyName\(Int.random(in: 0..<50, using: &generator))Part\(["Alpha", "Beta", "URLValue"][(round + i) % 3])"
            }
            written.append((RuntimeKeys(names: names.map { String(decoding: Array($0.utf8), as: UTF8.self) }),
                            try LinkStarJSON.encoder(pretty: false).encode(RuntimeKeys(names: names))))
        }
        for (round, (value, ours)) in written.enumerated() {
            let theirs = try Self.foundation(pretty: false).encode(value)
            #expect(String(decoding: ours, as: UTF8.self) == String(decoding: theirs, as: UTF8.self), "round \(round)")
        }
    }

    struct WithOptionals: Encodable { var rate: Double?; var owner: String?; var nested: Leaf?; var list: [Int]? }

    @Test func absentOptionalsAreNull() throws {
        let text = String(decoding: try LinkStarJSON.encoder(pretty: false).encode(WithOptionals()), as: UTF8.self)
        #expect(text == #"{"list":null,"nested":null,"owner":null,"rate":null}"#)
        let present = WithOptionals(rate: 0.25, owner: "lin.wei", nested: Leaf(), list: [])
        #expect(String(decoding: try LinkStarJSON.encoder(pretty: false).encode(present), as: UTF8.self)
                == #"{"list":[],"nested":{"foo_bar_url_value":1,"last7_days":2.5,"p_value":-0},"owner":"lin.wei","rate":0.25}"#)
    }

    @Test func nonFiniteNumbersAreRefusedWithTheirPath() throws {
        let error = try #require(throws: EncodingError.self) { try LinkStarJSON.encoder().encode(WithOptionals(rate: .nan)) }
        guard case .invalidValue(_, let context) = error else { Issue.record("\(error)"); return }
        #expect(context.codingPath.map(\.stringValue) == ["rate"])
        #expect(throws: EncodingError.self) { try LinkStarJSON.encoder().encode([Double.infinity]) }
    }

    @Test func compactNonFiniteNumbersAreRefusedWithTheirPath() throws {
        let error = try #require(throws: EncodingError.self) { try LinkStarJSON.encoder(pretty: false).encode(["x": WithOptionals(rate: .infinity)]) }
        guard case .invalidValue(_, let context) = error else { Issue.record("\(error)"); return }
        #expect(context.codingPath.map(\.stringValue) == ["x", "rate"])
    }

    /// Expected values are what Foundation's `convertToSnakeCase` gives (`URL` → `u_rl` included).
    @Test(arguments: [("fromMetric", "from_metric"), ("pValue", "p_value"), ("fooBarURLValue", "foo_bar_url_value"),
                      ("last7Days", "last7_days"), ("URL", "u_rl"), ("aB", "a_b"), ("aBCd", "a_b_cd"), ("a1B", "a1_b"), ("already_snake", "already_snake"), ("x", "x")])
    func snakeCase(name: String, expected: String) {
        #expect(JSONTreeState.snakeCased(name) == expected)
    }
}
