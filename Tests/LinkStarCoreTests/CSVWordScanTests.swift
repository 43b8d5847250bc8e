import Testing
@testable import LinkStarCore

/// The reader's fast path looks for the next delimiter, line end or quote eight bytes at a time.
@Suite("CSV: scanning eight bytes at a time")
struct CSVWordScanTests {
    @Test("the first zero byte found by word arithmetic is the first found byte by byte, for random words and every single match")
    func firstZeroByte() {
        var rng = SplitMix64(seed: 5)
        var words: [UInt64] = []
        for _ in 0..<20_000 {
            var bytes = (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Make zeros and their neighbours (0x01, 0x80, 0xFF) common, where borrows happen.
            for i in 0..<8 where Int.random(in: 0..<3, using: &rng) == 0 { bytes[i] = [0x00, 0x01, 0x80, 0xFF].randomElement(using: &rng)! }
            words.append(bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        }
        for position in 0..<8 { words.append(0x0101_0101_0101_0101 & ~(0xFF << (8 * UInt64(position)))) }
        for word in words {
            let expected = (0..<8).first { (word >> (8 * UInt64($0))) & 0xFF == 0 }
            let found = CSVReader.zeroBytes(word)
            #expect((found == 0 ? nil : found.trailingZeroBitCount >> 3) == expected, "\(String(word, radix: 16))")
        }
        #expect(CSVReader.repeated(0x2C) == 0x2C2C_2C2C_2C2C_2C2C)
    }

    @Test("long unquoted rows with non-ASCII text read back exactly, with every delimiter and any chunk size")
    func longUnquotedRows() throws {
        var rng = SplitMix64(seed: 17)
        let alphabet = Array("abcXYZ019-_.:/ 中文é€".unicodeScalars)
        for round in 0..<300 {
            let delimiter = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")].randomElement(using: &rng)!
            let width = Int.random(in: 1...9, using: &rng)
            let rows: [[String]] = (0..<Int.random(in: 1...6, using: &rng)).map { _ in
                (0..<width).map { _ in
                    var field = String(String.UnicodeScalarView((0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
                    while field.hasPrefix(" ") { field.removeFirst() }
                    while field.hasSuffix(" ") { field.removeLast() }
                    return field
                }
            }
            let fixed = rows.map { row in row.count == 1 && row[0].isEmpty ? ["x"] : row }
            let text = fixed.map { $0.joined(separator: String(UnicodeScalar(delimiter))) }.joined(separator: Bool.random(using: &rng) ? "\n" : "\r\n")
                + (Bool.random(using: &rng) ? "\n" : "")
            let chunk = [7, 8, 9, 13, 64, 1 << 20].randomElement(using: &rng)!
            #expect(try CSVTokenizer.parse(text, delimiter: delimiter, chunkSize: chunk) == fixed, "round \(round): \(text.debugDescription)")
        }
    }
}
