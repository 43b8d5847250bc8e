import LinkStarCore
import Testing

/// The seeded generator of the property tests (same seed, same cases).
typealias SplitMix64 = SeededGenerator

/// Generators shared by the property tests.
enum Gen {
    /// Bytes biased towards what breaks CSV readers: delimiters, quotes, line ends, NUL, UTF-8 fragments.
    static func bytes(_ rng: inout SplitMix64, count: Int) -> [UInt8] {
        let specials: [UInt8] = [0x2C, 0x22, 0x0A, 0x0D, 0x00, 0x09, 0x3B, 0x20, 0x23, 0xEF, 0xBB, 0xBF, 0xE2, 0x80, 0x8B, 0x31, 0x2E, 0x2D]
        return (0..<count).map { _ in
            Bool.random(using: &rng) ? specials.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
        }
    }

    /// A field of printable text that may hold delimiters, quotes, line breaks, spaces and CJK.
    static func field(_ rng: inout SplitMix64) -> String {
        let alphabet = Array("abcXYZ0129 .,;\"\n\r\t-%$€转化层")
        let length = Int.random(in: 0...12, using: &rng)
        return String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
    }

    /// Quotes a field when the reader would otherwise change it.
    static func quoted(_ field: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character and would slip past a Character test.
        let scalars = field.unicodeScalars
        let needs = scalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) })
            || scalars.first.map({ $0 == " " || $0 == "\t" }) == true || scalars.last.map({ $0 == " " || $0 == "\t" }) == true
        return needs ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}

@Suite("Properties: parsers never trap")
struct ParserPropertyTests {
    @Test("random bytes: the CSV reader returns records or a located error, for any chunk size")
    func randomBytes() {
        var rng = SplitMix64(seed: 9)
        for round in 0..<1500 {
            let bytes = Gen.bytes(&rng, count: Int.random(in: 0...400, using: &rng))
            let chunk = [16, 17, 64, 1 << 20].randomElement(using: &rng)!
            let reader = CSVReader(source: MemoryByteSource(bytes), delimiter: nil, commentPrefix: "#", chunkSize: chunk,
                                   maxRecordBytes: 256, name: "fuzz.csv")
            do {
                var records = 0
                while let record = try reader.next() {
                    records += 1
                    #expect(record.count <= InputLimits.maxFields)
                    for index in 0..<record.count { _ = record.string(index) }
                    #expect(records <= bytes.count + 1, "round \(round)")
                }
            } catch let error as LinkStarError {
                #expect(error.kind == .invalid)
                #expect(error.details.first?.line != nil, "round \(round): \(error)")
            } catch {
                Issue.record("round \(round): unexpected \(error)")
            }
        }
    }

    @Test("random rows written as CSV read back exactly, whatever the chunk size")
    func roundTrip() throws {
        var rng = SplitMix64(seed: 11)
        for round in 0..<500 {
            let width = Int.random(in: 1...6, using: &rng)
            let rows = (0..<Int.random(in: 1...8, using: &rng)).map { _ in (0..<width).map { _ in Gen.field(&rng) } }
            // A row of one empty field is a blank line: give single-column rows some text.
            let fixed = rows.map { row in row.count == 1 && row[0].isEmpty ? ["x"] : row }
            let text = fixed.map { $0.map(Gen.quoted).joined(separator: ",") }.joined(separator: "\r\n") + "\n"
            let chunk = [16, 23, 1 << 20].randomElement(using: &rng)!
            let parsed: [[String]]
            do { parsed = try CSVTokenizer.parse(text, chunkSize: chunk) } catch {
                Issue.record("round \(round): \(error) in \(text.debugDescription)")
                return
            }
            // Unquoted CR at the end of a quoted field's line is part of CRLF: compare after normalising it the same way.
            #expect(parsed == fixed, "round \(round): \(text.debugDescription)")
        }
    }

    @Test("random text: number, date, period, segment and day parsers give a value in bounds or a short error")
    func cells() {
        var rng = SplitMix64(seed: 13)
        let pieces = ["1", "0", "9", ",", ".", "e", "-", "+", "%", "$", "€", "RM", "USD", " ", "(", ")", "NaN", "inf", "/", ":", "T",
                      "2026", "12", "31", "Nov", "\u{200B}", "\u{0}", "W", "Q", "*", "amazon", "US", "mobile", "..", "last-", "d"]
        for _ in 0..<5000 {
            let text = (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            switch NumberCellParser.parse(text) {
            case .value(let value, _, _): #expect(value.isFinite, "\(text.debugDescription)")
            case .invalid(let message): #expect(message.description.count < 300)
            case .empty: break
            }
            for format in DateFormat.allCases {
                if case .success(let day) = DateCellParser.parse(text, format: format) {
                    #expect(Day.supported.contains(day), "\(text.debugDescription) → \(day)")
                }
            }
            if let day = try? Day(parsing: text) { #expect(Day.supported.contains(day)) }
            if let range = try? PeriodSpec.parse(text, today: Day.lastSupported) { #expect(range.from <= range.to) }
            _ = try? Segment(parsing: text)
            _ = try? NumberInput.parse(text, field: "value")
            for cadence in ReviewCadence.allCases { _ = try? ReviewSchedule(cadence: cadence).period(named: text) }
        }
    }

    @Test("every supported day round-trips through its text and every cadence's schedule")
    func days() throws {
        var rng = SplitMix64(seed: 17)
        for _ in 0..<3000 {
            let ordinal = Int.random(in: Day.firstSupported.ordinal...Day.lastSupported.ordinal, using: &rng)
            let day = Day(ordinal: ordinal)
            #expect(try Day(parsing: day.description) == day)
            let cadence = ReviewCadence.allCases.randomElement(using: &rng)!
            let period = ReviewSchedule(cadence: cadence).period(containing: day)
            #expect(period.range.from <= day && day <= period.range.to)
            #expect(period.dueOn > period.range.to)
        }
    }

    @Test("numbers written the ways exports write them parse back to the same value")
    func numbersRoundTrip() {
        var rng = SplitMix64(seed: 19)
        for _ in 0..<3000 {
            let cents = Int64.random(in: 0...99_999_999_999, using: &rng)
            let value = Double(cents) / 100
            let whole = cents / 100, fraction = cents % 100
            var grouped = ""
            for (i, c) in String(whole).reversed().enumerated() {
                if i > 0 && i % 3 == 0 { grouped.append(",") }
                grouped.append(c)
            }
            let text = String(grouped.reversed()) + "." + (fraction < 10 ? "0" : "") + String(fraction)
            #expect(NumberCellParser.parse(text) == .value(value, percent: false, currency: nil), "\(text)")
            #expect(NumberCellParser.parse(String(value)) == .value(value, percent: false, currency: nil), "\(value)")
        }
    }
}
