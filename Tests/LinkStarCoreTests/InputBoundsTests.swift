import LinkStarCore
import Testing

/// Issue 9: every value that passes validation is within documented bounds; every listed finding is refused.
@Suite("Input bounds")
struct InputBoundsTests {
    @Test("dates outside 2000-01-01 … 2099-12-31 are refused by every parser, naming the field")
    func supportedDays() throws {
        for text in ["9999-12-31", "1900-01-01", "1999-12-31", "2100-01-01", "-2026-01-01", "2026-1-01", "２０２６-01-01"] {
            let error = #expect(throws: LinkStarError.self) { try Day(parsing: text, field: "today") }
            #expect(error?.kind == .invalid, "\(text)")
            #expect(error?.details.first?.field == "today", "\(text)")
        }
        #expect(try Day(parsing: "2000-01-01").description == "2000-01-01")
        #expect(try Day(parsing: "2099-12-31").description == "2099-12-31")
        #expect(throws: LinkStarError.self) { try DayRange(parsing: "2100-01") }
        #expect(throws: LinkStarError.self) { try PeriodSpec.parse("2100-W01", today: Day(parsing: "2026-11-27")) }
        #expect(throws: LinkStarError.self) { try PeriodSpec.parse("w5", today: Day(parsing: "2026-11-27")) }
        #expect(throws: LinkStarError.self) { try ReviewSchedule(cadence: .quarterly).period(named: "9999-Q4") }
    }

    @Test("review schedules are total at both ends of the supported range, for every cadence and review day")
    func schedulesAtTheEdges() throws {
        let days = [Day.firstSupported, Day.firstSupported.adding(days: 1), Day.lastSupported, Day.lastSupported.adding(days: -1)]
        for cadence in ReviewCadence.allCases {
            for reviewDay in [nil, "sunday", "28", "1"] {
                let schedule = ReviewSchedule(cadence: cadence, day: reviewDay)
                for day in days {
                    let due = schedule.duePeriod(today: day)
                    #expect(due.dueOn <= day)
                    let next = schedule.next(schedule.period(containing: day))
                    #expect(next.range.from > day)
                    #expect(!next.label.isEmpty)
                }
            }
        }
    }

    @Test("day arithmetic clamps instead of overflowing")
    func dayArithmetic() {
        let day = Day.lastSupported
        #expect(day.adding(days: Int.max).year == 9999)
        #expect(day.adding(days: Int.min).year == 1)
        #expect(Day(ordinal: Int.max).description == "9999-12-31")
    }

    @Test("numbers: ambiguous, non-finite, overflowing and underflowing cells are refused with a short excerpt")
    func numbers() {
        for text in ["5,0", "1,2,3", "12,34.5", "NaN", "nan", "inf", "-inf", "Infinity", "1e-400", "1e400", "1.2.3", "12\u{200B}",
                     "0x10", "1_0", "--5", "5-"] {
            guard case .invalid(let message) = NumberCellParser.parse(text) else {
                Issue.record("\(text) was accepted: \(NumberCellParser.parse(text))")
                continue
            }
            #expect(message.description.count < 200)
        }
        #expect(NumberCellParser.parse("1,234") == .value(1234, percent: false, currency: nil))
        #expect(NumberCellParser.parse("1,234,567.5") == .value(1_234_567.5, percent: false, currency: nil))
        #expect(NumberCellParser.parse("12_000") == .value(12_000, percent: false, currency: nil))
        #expect(NumberCellParser.parse("$1,234.56") == .value(1234.56, percent: false, currency: "?"))
        #expect(NumberCellParser.parse("1.234,56", decimalComma: true) == .value(1234.56, percent: false, currency: nil))
        #expect(NumberCellParser.parse("5,0", decimalComma: true) == .value(5, percent: false, currency: nil))
        #expect(NumberCellParser.parse("3.5%") == .value(0.035, percent: true, currency: nil))
        #expect(NumberCellParser.parse("1e3") == .value(1000, percent: false, currency: nil))
        #expect(NumberCellParser.parse("-") == .empty)
        let long = String(repeating: "9", count: 100_000)
        guard case .invalid(let message) = NumberCellParser.parse(long) else { Issue.record("100k digits accepted"); return }
        #expect(message.description.count < 200)
    }

    @Test("values beyond a unit's bounds are refused: counts ≤ 10^12 and whole, amounts ≤ 10^15")
    func unitBounds() {
        #expect(InputLimits.problem(with: 1e12, unit: .count) == nil)
        #expect(InputLimits.problem(with: 1e12 + 1, unit: .count) != nil)
        #expect(InputLimits.problem(with: 1e308, unit: .count) != nil)
        #expect(InputLimits.problem(with: 99999999999999999999999999999, unit: .count) != nil)
        #expect(InputLimits.problem(with: 2.5, unit: .count) != nil)
        #expect(InputLimits.problem(with: -1e15, unit: .currency) == nil)
        #expect(InputLimits.problem(with: 1e16, unit: .currency) != nil)
        #expect(InputLimits.problem(with: .nan, unit: .ratio) != nil)
        #expect(InputLimits.problem(with: .infinity, unit: .seconds) != nil)
        #expect(throws: LinkStarError.self) { try NumberInput.parse("1e308", field: "target") }
        #expect(throws: LinkStarError.self) { try NumberInput.parse("5,0", field: "target") }
        #expect(throws: LinkStarError.self) { try NumberInput.parse("NaN", field: "target") }
        #expect((try? NumberInput.parse("3.5%", field: "target")) == 0.035)
        #expect((try? NumberInput.parse("1,234", field: "target")) == 1234)
    }

    @Test("formatting is total for any Double (a stored 1e308 once crashed reports)")
    func formattingIsTotal() {
        for value in [1e308, -1e308, 9.3e18, -9.3e18, .nan, .infinity, 1e15 + 0.5, 0] {
            for unit in MetricUnit.allCases {
                _ = ValueFormat.format(value, unit: unit)
                _ = ValueFormat.format(value, unit: unit, upperBound: 1)
            }
        }
        #expect(ValueFormat.format(1_234_567, unit: .count) == "1,234,567")
        #expect(ValueFormat.format(109_431.234, unit: .currency) == "109,431.23")
        #expect(ValueFormat.format(-1_500, unit: .currency) == "-1,500.00")
        #expect(ValueFormat.format(86.4, unit: .currency) == "86.40")
    }

    @Test("dates in files: junk, signs, bad times, invisible characters and unsupported years are refused")
    func dateCells() {
        for text in ["-2026-01-01", "2026-11-01T25:00:00", "2026-11-01T23:60:00", "2026-11-01 12:00:00junk", "9999-12-31",
                     "1900-01-01", "2026-11-01\u{200B}", "2026--11-01", "2026-11/01", "+2026-11-01", "2026-11-01T", "20261301",
                     "13/13/2026", "Nov 31, 2026"] {
            if case .success(let day) = DateCellParser.parse(text, format: .auto) {
                Issue.record("\(text) was accepted as \(day)")
            }
        }
        for (text, expected) in [("2026-11-01T23:59:59Z", "2026-11-01"), ("2026-11-01 00:00:00", "2026-11-01"),
                                 ("11/25/2026 0:00", "2026-11-25"), ("2026-11-01T08:00:00+08:00", "2026-11-01"),
                                 ("Nov 25, 2026", "2026-11-25"), ("20261125", "2026-11-25"), ("25/11/2026 11:30 PM", "2026-11-25")] {
            switch DateCellParser.parse(text, format: .auto) {
            case .success(let day): #expect(day.description == expected, "\(text)")
            case .failure(let problem): Issue.record("\(text) refused: \(problem.message)")
            }
        }
    }

    @Test("error excerpts are short and show invisible characters by name")
    func excerpts() {
        let long = String(repeating: "x", count: 10_000)
        #expect(Excerpt.quoted(long).count <= InputLimits.excerptCharacters + 3)
        #expect(Excerpt.quoted("a\u{200B}\u{0}") == "'a<U+200B><U+0000>'")
        let error = LinkStarError.unknown("layer", long, field: "layer", among: ["traffic"])
        #expect(error.message.count < 200)
    }

    @Test("invisible characters: the printable-ASCII shortcut gives what the category table gives, for every ASCII scalar")
    func invisibleASCII() {
        for value in UInt32(0)...0x7F {
            let scalar = Unicode.Scalar(value)!
            let byCategory: Bool
            switch scalar.properties.generalCategory {
            case .control, .format, .unassigned, .privateUse, .surrogate, .lineSeparator, .paragraphSeparator: byCategory = true
            default: byCategory = false
            }
            #expect(Excerpt.isInvisible(scalar) == byCategory, "U+\(String(value, radix: 16))")
        }
        #expect(Excerpt.isInvisible("\u{200B}") && Excerpt.isInvisible("\u{FEFF}") && !Excerpt.isInvisible("转"))
    }
}

@Suite("CSV reader limits")
struct CSVReaderLimitTests {
    func rows(_ text: String, maxRecordBytes: Int = InputLimits.maxRecordBytes, chunkSize: Int = 1 << 20) throws -> [[String]] {
        let reader = CSVReader(source: MemoryByteSource(text), delimiter: nil, commentPrefix: nil, chunkSize: chunkSize,
                               maxRecordBytes: maxRecordBytes, name: "f.csv")
        var out: [[String]] = []
        while let record = try reader.next() { out.append(record.strings) }
        return out
    }

    @Test("CR-only line ends are read as lines, not as one empty success")
    func crOnly() throws {
        #expect(try rows("date,sessions\r2026-11-01,5\r2026-11-02,6\r") == [["date", "sessions"], ["2026-11-01", "5"], ["2026-11-02", "6"]])
        #expect(try rows("a,b\r\n1,2\r\n") == [["a", "b"], ["1", "2"]])
    }

    @Test("text after a closing quote is an error at its line (\"tiktok\"x once became tiktokx)")
    func junkAfterQuote() {
        let error = #expect(throws: LinkStarError.self) { try rows("channel,n\n\"tiktok\"x,1\n") }
        #expect(error?.details.first?.line == 2)
        #expect(error?.details.first?.file == "f.csv")
    }

    @Test("a record longer than the limit is an error at its line, whatever the chunk size; memory stays bounded")
    func longRecord() throws {
        let line = String(repeating: "a", count: 5000)
        for chunk in [16, 1000, 1 << 20] {
            let error = #expect(throws: LinkStarError.self) { try rows("h\n" + line + "\n", maxRecordBytes: 4096, chunkSize: chunk) }
            #expect(error?.details.first?.line == 2)
            #expect((error?.message.count ?? 0) < 200)
            let quoted = #expect(throws: LinkStarError.self) { try rows("h\n\"" + line + "\"\n", maxRecordBytes: 4096, chunkSize: chunk) }
            #expect(quoted?.details.first?.line == 2)
        }
        #expect(try rows("h\n" + String(repeating: "b", count: 4000) + "\n", maxRecordBytes: 4096, chunkSize: 16).count == 2)
        // A header line without any newline (like /dev/zero) fails while sniffing the delimiter.
        #expect(throws: LinkStarError.self) { try rows(String(repeating: "\u{0}", count: 10_000), maxRecordBytes: 4096, chunkSize: 64) }
    }

    @Test("more than the maximum number of fields in a row is an error")
    func tooManyFields() {
        let row = Array(repeating: "1", count: InputLimits.maxFields + 5).joined(separator: ",")
        #expect(throws: LinkStarError.self) { try rows("a,b\n" + row + "\n") }
        #expect(throws: LinkStarError.self) { try rows("a,b\n\"x\"," + row + "\n") }
    }
}
