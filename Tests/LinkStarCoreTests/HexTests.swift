import Testing
import LinkStarCore

@Suite struct HexTests {
    @Test func lowercaseTwoDigitsPerByte() {
        #expect(Hex.lowercase([UInt8]()) == "")
        #expect(Hex.lowercase([0x00, 0x0F, 0xA0, 0xFF, 0x5C]) == "000fa0ff5c")
        #expect(Hex.lowercase(0...255).count == 512)
        #expect(Hex.lowercase((0...255).map { UInt8($0) }) == (0...255).map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined())
    }
}

@Suite struct HexFromMemoryTests {
    @Test("bytes in memory print as the sequence form does")
    func rawBytesMatchSequence() {
        var generator = SeededGenerator(seed: 0x11D4_2026)  // seeded: a failure repeats on every machine
        for count in [0, 1, 2, 31, 32, 33, 64, 1000] {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(bytes.withUnsafeBytes { Hex.lowercase($0) } == Hex.lowercase(bytes))
        }
    }
}
