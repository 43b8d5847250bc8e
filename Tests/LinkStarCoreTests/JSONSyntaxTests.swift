import Foundation
import Testing
@testable import LinkStarCore

/// The syntax check a request body passes before it is decoded (`JSONSyntax`): RFC 8259, nothing more or less.
@Suite("JSON syntax")
struct JSONSyntaxTests {
    static func valid(_ text: String) -> Bool { JSONSyntax.isValid(Array(text.utf8)) }

    @Test("documents RFC 8259 allows are accepted: any value at the top, whitespace around, nesting, escapes, numbers")
    func accepted() {
        for text in [
            "{}", "[]", " \t\r\n{ } ", "0", "-0", "1", "-12.5e+3", "0.5", "1E9", "1e-9", "123456789012345678901234567890",
            #""""#, #""a\"\\\/\b\f\n\r\t""#, #""\u00e9\uD83D\uDE00""#, "\"转化 ✓ 😀\"", "true", "false", "null",
            #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#, #"[ 1 , [ 2 , [ 3 ] ] , { "x" : [ ] } ]"#,
            #"{"observations":[{"date":"2028-09-15","channel":"amazon","value":1000001}]}"#,
            String(repeating: "[", count: JSONSyntax.maxDepth) + String(repeating: "]", count: JSONSyntax.maxDepth),
        ] {
            #expect(Self.valid(text), "\(text.prefix(60))")
        }
    }

    @Test("broken documents are refused: truncation, trailing commas, bad numbers, bad strings, extra text, deep nesting")
    func refused() {
        for text in [
            "", " ", "{", "[", "[1,", "[1,]", #"{"a":1,}"#, "[,1]", "{,}", #"{"a"}"#, #"{"a":}"#, #"{"a" 1}"#, #"{a:1}"#,
            "{'a':1}", "[1 2]", #"{"a":1 "b":2}"#, "]", "}", "[}", "{]", "[1]]", "{} {}", "1 2", "nul", "tru", "True", "NULL",
            "01", "-01", "1.", ".5", "+1", "1e", "1e+", "-", "0x10", "NaN", "Infinity", "1_000", "--1",
            "\"abc", "\"a\u{01}b\"", #""\x41""#, #""\u12G4""#, #""\u123""#, "\"tab\there\"", #"{"kind": "promo"} x"#,
            String(repeating: "[", count: JSONSyntax.maxDepth + 1) + String(repeating: "]", count: JSONSyntax.maxDepth + 1),
        ] {
            #expect(!Self.valid(text), "\(text.prefix(60))")
        }
    }

    @Test("strings must be UTF-8: overlong forms, surrogates, stray continuation bytes and truncated sequences are refused")
    func utf8() {
        func valid(_ inside: [UInt8]) -> Bool { JSONSyntax.isValid([0x22] + inside + [0x22]) }
        #expect(valid([0xC3, 0xA9]))                 // é
        #expect(valid([0xE8, 0xBD, 0xAC]))           // 转
        #expect(valid([0xF0, 0x9F, 0x98, 0x80]))     // 😀
        #expect(valid([0xF4, 0x8F, 0xBF, 0xBF]))     // U+10FFFF
        for bad: [UInt8] in [[0xC3, 0x28], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
                             [0xF5, 0x80, 0x80, 0x80], [0x80], [0xBF], [0xE8, 0xBD], [0xF0, 0x9F, 0x98], [0xFF], [0xFE]] {
            #expect(!valid(bad), "\(bad)")
        }
        #expect(!JSONSyntax.isValid([0xFF, 0xFE, 0x7B, 0x7D]))
    }

    @Test("on thousands of mutated documents it agrees with JSONSerialization, except for trailing commas and numbers beyond Double",
          arguments: [UInt64(1), 2, 3, 0x5EED])
    func agreesWithFoundation(seed: UInt64) throws {
        // Given valid documents, mutated one to three times by inserting, deleting or replacing a byte from JSON's alphabet
        // (seeded, so a failure found on one machine is found again on every other).
        let seeds = [#"{"observations":[{"date":"2028-09-15","value":10.5,"currency":null}],"ok":true}"#,
                     #"[1,-2.5e3,"x",[],{},{"a":[false,0]}]"#, #"{"a":{"b":{"c":[1,2,{"d":"\n"}]}}}"#, "[0.25, 7, \"转化\"]"]
        let alphabet = Array(#"{}[],:" -+.eE0123456789tfnul\az"#.utf8) + [0x0A, 0x09]
        var generator = SeededGenerator(seed: seed)
        var checked = 0, trailingCommas = 0, beyondDouble = 0
        for _ in 0..<4000 {
            var bytes = Array(seeds.randomElement(using: &generator)!.utf8)
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let at = Int.random(in: 0...bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes.insert(alphabet.randomElement(using: &generator)!, at: at)
                case 1: if at < bytes.count { bytes.remove(at: at) }
                default: if at < bytes.count { bytes[at] = alphabet.randomElement(using: &generator)! }
                }
            }
            // When both judge it.
            let ours = JSONSyntax.isValid(bytes)
            let foundation = Self.foundationAccepts(bytes)
            checked += 1
            if ours == foundation { continue }
            // Then they differ only where Foundation accepts a comma before a closing bracket, which RFC 8259 refuses,
            let text = String(decoding: bytes, as: UTF8.self)
            let withoutTrailingCommas = text.replacingOccurrences(of: #",\s*([\]}])"#, with: "$1", options: .regularExpression)
            if !ours && foundation && withoutTrailingCommas != text && Self.valid(withoutTrailingCommas) {
                trailingCommas += 1
                continue
            }
            // or where a number is too large for a Double (0.2E557): RFC 8259 allows it, Foundation refuses it. (A
            // field that reads one refuses it when decoded: `HardeningTests`.)
            let numbers = #"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?"#
            let beyond = text.matches(of: try Regex(numbers)).map { String(text[$0.range]) }.filter { Double($0)?.isInfinite == true }
            let withinDouble = beyond.reduce(text) { $0.replacingOccurrences(of: $1, with: "0") }
            if ours && !foundation && !beyond.isEmpty && Self.foundationAccepts(Array(withinDouble.utf8)) {
                beyondDouble += 1
                continue
            }
            Issue.record("differs on \(text.debugDescription): ours \(ours), Foundation \(foundation)")
        }
        #expect(checked == 4000 && trailingCommas + beyondDouble < checked / 4)
    }

    @Test("a number beyond Double is syntax RFC 8259 allows; Foundation refuses it")
    func numbersBeyondDouble() {
        for text in ["1e400", "[0.2E557, \"转化\"]", #"{"x": -9e999}"#] {
            #expect(Self.valid(text), "\(text)")
            #expect(!Self.foundationAccepts(Array(text.utf8)), "\(text)")
        }
    }

    static func foundationAccepts(_ bytes: [UInt8]) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
    }
}
