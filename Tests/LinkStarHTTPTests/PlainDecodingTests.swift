import Foundation
import LinkStarCore
import Testing
@testable import LinkStarHTTP
@testable import LinkStarStore

/// The observation batch read by hand (`PlainJSONDecodable`) against Foundation's `JSONDecoder`, which reads every batch
/// the hand reader leaves: whenever the hand reader gives a batch, the decoder gives the same one, bit for bit.
@Suite("Plain decoding")
struct PlainDecodingTests {
    typealias Batch = ObservationsController.ObservationBatch

    /// What Foundation's decoder makes of `text` (keys as sent, as `JSONResponse.decode` decodes this type).
    static func foundation(_ text: String) -> Batch? {
        try? LinkStarJSON.decoder(convertingKeys: false).decode(Batch.self, from: Data(text.utf8))
    }

    static func plain(_ text: String) -> Batch? {
        Array(text.utf8).withUnsafeBufferPointer { Batch.decodePlain(text: $0) }
    }

    static func same(_ a: [ObservationInput], _ b: [ObservationInput]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            x.date == y.date && x.channel == y.channel && x.market == y.market && x.device == y.device && x.metric == y.metric
                && x.value.bitPattern == y.value.bitPattern && x.currency == y.currency
        }
    }

    /// A number as a JSON text may write it: integers, decimals, exponents, long mantissas, tiny and huge magnitudes.
    static func number(_ g: inout SeededGenerator) -> String {
        let sign = Bool.random(using: &g) ? "-" : ""
        let digits = { (n: Int, g: inout SeededGenerator) in String((0..<n).map { _ in Character(String(Int.random(in: 0...9, using: &g))) }) }
        var mantissa = String(Int.random(in: 1...9, using: &g)) + digits(Int.random(in: 0...(Bool.random(using: &g) ? 4 : 40), using: &g), &g)
        if Int.random(in: 0..<6, using: &g) == 0 { mantissa = "0" }
        if Bool.random(using: &g) { mantissa += "." + digits(Int.random(in: 1...25, using: &g), &g) }
        switch Int.random(in: 0..<4, using: &g) {
        case 0: return sign + mantissa + (Bool.random(using: &g) ? "e" : "E") + ["", "+", "-"].randomElement(using: &g)!
            + String(Int.random(in: 0...330, using: &g))
        case 1: return sign + mantissa + "e-" + String(Int.random(in: 300...420, using: &g))
        default: return sign + mantissa
        }
    }

    /// Whether a number in `text` is written with an exponent (a digit, then `e` or `E`).
    static func hasExponent(_ text: String) -> Bool {
        zip(text.utf8, text.utf8.dropFirst()).contains { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") && ($1 | 0x20) == UInt8(ascii: "e") }
    }

    static func space(_ g: inout SeededGenerator) -> String { ["", "", " ", "\n  ", "\t", "\r\n"].randomElement(using: &g)! }

    /// A batch document with the fields in any order, any spacing, a currency present, null or absent.
    static func document(_ g: inout SeededGenerator) -> String {
        let texts = ["2026-11-01", "amazon", "US", "mobile", "orders", "", "转化", "a b", "Shopee/TH", "😀", "2026-02-30"]
        var elements: [String] = []
        for _ in 0..<Int.random(in: 0...4, using: &g) {
            var members = ["date", "channel", "market", "device", "metric"].map { #""\#($0)":\#(space(&g))"\#(texts.randomElement(using: &g)!)""# }
            members.append(#""value":\#(space(&g))\#(number(&g))"#)
            switch Int.random(in: 0..<3, using: &g) {
            case 0: members.append(#""currency":"\#(["USD", "CNY", "usd", "X"].randomElement(using: &g)!)""#)
            case 1: members.append(#""currency":\#(space(&g))null"#)
            default: break
            }
            members.shuffle(using: &g)
            elements.append("{" + members.map { space(&g) + $0 + space(&g) }.joined(separator: ",") + "}")
        }
        return space(&g) + #"{"observations":["# + elements.map { space(&g) + $0 + space(&g) }.joined(separator: ",") + "]}" + space(&g)
    }

    @Test("every plain batch reads as the decoder reads it, bit for bit, over 4 seeds × 3,000 documents")
    func plainBatchesAsTheDecoder() throws {
        for seed: UInt64 in [1, 2, 3, 4] {
            var g = SeededGenerator(seed: seed)
            var read = 0
            for _ in 0..<3_000 {
                let text = Self.document(&g)
                #expect(JSONSyntax.isValid(Array(text.utf8)), "\(text)")
                let decoded = Self.foundation(text)
                guard let plain = Self.plain(text) else {
                    // Left to the decoder: of these documents, only those with a number written with an exponent.
                    #expect(decoded == nil || Self.hasExponent(text), "left a document the decoder reads: \(text)")
                    continue
                }
                read += 1
                let expected = try #require(decoded, "the decoder refuses what the hand reader read: \(text)")
                #expect(Self.same(plain.observations, expected.observations), "\(text)")
            }
            #expect(read > 1_000, "seed \(seed): the hand reader read only \(read) of 3,000 documents")
        }
    }

    @Test("mutated documents (bytes cut, doubled, changed): no trap; what is valid JSON and read by hand, the decoder reads alike")
    func mutatedDocuments() throws {
        for seed: UInt64 in [11, 12, 13, 14] {
            var g = SeededGenerator(seed: seed)
            for _ in 0..<2_000 {
                var bytes = Array(Self.document(&g).utf8)
                for _ in 0..<Int.random(in: 1...3, using: &g) where !bytes.isEmpty {
                    let at = Int.random(in: 0..<bytes.count, using: &g)
                    switch Int.random(in: 0..<4, using: &g) {
                    case 0: bytes.remove(at: at)
                    case 1: bytes.insert(bytes[at], at: at)
                    case 2: bytes[at] = Array(#"{}[],:"\ 0123456789.eE-+nul"#.utf8).randomElement(using: &g)!
                    default: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &g)))
                    }
                }
                // The hand reader is only ever given valid JSON, but must not trap on anything.
                let plain = bytes.withUnsafeBufferPointer { Batch.decodePlain(text: $0) }
                guard JSONSyntax.isValid(bytes), let plain else { continue }
                let text = String(decoding: bytes, as: UTF8.self)
                let expected = try #require(Self.foundation(text), "the decoder refuses what the hand reader read: \(text)")
                #expect(Self.same(plain.observations, expected.observations), "\(text)")
            }
        }
    }

    @Test("documents with escapes, other keys, repeated keys, other value kinds are left to the decoder")
    func othersAreLeftToTheDecoder() {
        let element = #""date":"2026-11-01","channel":"amazon","market":"US","device":"mobile","metric":"orders""#
        for text in [
            #"{"observations":[{\#(element),"value":5,"extra":1}]}"#,
            #"{"observations":[{\#(element),"value":5}],"other":[]}"#,
            #"{"observations":[{\#(element),"value":5,"value":6}]}"#,
            #"{"observations":[{\#(element),"value":5,"currency":null,"currency":"USD"}]}"#,
            #"{"observations":[{\#(element),"value":"5"}]}"#,
            #"{"observations":[{\#(element),"value":null}]}"#,
            #"{"observations":[{\#(element),"value":1e400}]}"#, #"{"observations":[{\#(element),"value":0E3}]}"#,
            #"{"observations":[{\#(element),"value":5e2}]}"#,
            #"{"observations":[{\#(element),"value":5,"currency":7}]}"#,
            #"{"observations":[{"date":"2026-11-0\u0031","channel":"amazon","market":"US","device":"mobile","metric":"orders","value":5}]}"#,
            #"{"observations":[{\#(element)}]}"#,
            #"{"observations":{}}"#, #"{}"#, #"[]"#, #"{"observations":[[]]}"#,
        ] {
            #expect(Self.plain(text) == nil, "\(text)")
        }
        // The decoder refuses `0E3`, which RFC 8259 allows: why numbers with an exponent are left to it.
        #expect(Self.foundation(#"{"observations":[{\#(element),"value":0E3}]}"#) == nil)
        #expect(Self.foundation(#"{"observations":[{\#(element),"value":5e2}]}"#)?.observations.first?.value == 500)
        // The escaped date is read by the decoder, as before.
        #expect(Self.foundation(#"{"observations":[{"date":"2026-11-0\u0031","channel":"amazon","market":"US","device":"mobile","metric":"orders","value":5}]}"#)?
            .observations.first?.date == "2026-11-01")
    }
}
