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

    /// Expected values are what Foundation's `convertToSnakeCase` gives (`URL` → `u_rl` included).
    @Test(arguments: [("fromMetric", "from_metric"), ("pValue", "p_value"), ("fooBarURLValue", "foo_bar_url_value"),
                      ("last7Days", "last7_days"), ("URL", "u_rl"), ("aB", "a_b"), ("aBCd", "a_b_cd"), ("a1B", "a1_b"), ("already_snake", "already_snake"), ("x", "x")])
    func snakeCase(name: String, expected: String) {
        #expect(JSONTreeState.snakeCased(name) == expected)
    }
}
