import LinkStarCore
import Testing

@Suite("CSV reader")
struct CSVReaderTests {
    @Test("quotes, doubled quotes, embedded newlines, CRLF, BOM, trimming")
    func rfc4180() throws {
        let text = "\u{FEFF}a,b , \"c,d\"\r\n1,\"say \"\"hi\"\"\",\"x\ny\"\r\n\n  7  ,8,9"
        let rows = try CSVTokenizer.parse(text)
        #expect(rows == [["a", "b", "c,d"], ["1", "say \"hi\"", "x\ny"], [""], ["7", "8", "9"]])
    }

    @Test("any chunk size gives the same records and line numbers")
    func chunks() throws {
        let text = "h1,h2\n\"multi\nline\",2\n3,4\n"
        for size in [1, 2, 3, 5, 100] {
            let reader = CSVReader(source: MemoryByteSource(text), delimiter: UInt8(ascii: ","), commentPrefix: nil, chunkSize: size)
            var lines: [Int] = []
            var rows: [[String]] = []
            while let record = try reader.next() {
                lines.append(record.line)
                rows.append(record.strings)
            }
            #expect(rows == [["h1", "h2"], ["multi\nline", "2"], ["3", "4"]], "chunk \(size)")
            #expect(lines == [1, 2, 4], "chunk \(size)")
        }
    }

    @Test("an unclosed quote is an error with its line")
    func unclosed() {
        #expect(throws: LinkStarError.self) { try CSVTokenizer.parse("a,b\n\"open,2\n") }
    }

    @Test("the delimiter is guessed from the header")
    func delimiter() throws {
        let reader = CSVReader(source: MemoryByteSource("# comment, with, commas\nDate;Sessions;Orders\n2026-11-01;1;2\n"))
        _ = try reader.next()
        #expect(reader.delimiter == UInt8(ascii: ";"))
        #expect(CSVTokenizer.guessDelimiter(headerLine: "a\tb\tc") == UInt8(ascii: "\t"))
    }
}

@Suite("Cells")
struct CellParsingTests {
    @Test("numbers as exports write them", arguments: [
        ("1234", 1234.0, false, nil), ("\"1,234\"", 1234.0, false, nil), ("1,234", 1234.0, false, nil),
        ("$1,234.56", 1234.56, false, "?"), ("CA$12.50", 12.5, false, "CAD"), ("RM 3.20", 3.2, false, "MYR"),
        ("3.45%", 0.0345, true, nil), ("(12.50)", -12.5, false, nil), ("-7", -7.0, false, nil), ("€9.99", 9.99, false, "EUR"),
        ("USD 12", 12.0, false, "USD"), ("0.5", 0.5, false, nil),
    ] as [(String, Double, Bool, String?)])
    func numbers(_ text: String, _ value: Double, _ percent: Bool, _ currency: String?) {
        let cell = NumberCellParser.parse(text.replacingOccurrences(of: "\"", with: ""))
        guard case .value(let v, let p, let c) = cell else {
            Issue.record("\(text) → \(cell)")
            return
        }
        #expect(abs(v - value) < 1e-12, "\(text)")
        #expect(p == percent)
        #expect(c == currency)
    }

    @Test("empty markers are no value, not zero", arguments: ["", "-", "--", "—", "N/A", " "])
    func empty(_ text: String) {
        #expect(NumberCellParser.parse(text) == .empty)
    }

    @Test("garbage is invalid", arguments: ["3x6", "1.2.3", "abc", "12 apples"])
    func invalid(_ text: String) {
        guard case .invalid = NumberCellParser.parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
    }

    @Test("European decimal comma when the mapping says so")
    func decimalComma() {
        #expect(NumberCellParser.parse("1.234,56", decimalComma: true) == .value(1234.56, percent: false, currency: nil))
    }

    @Test("dates", arguments: [
        ("2026-11-25", DateFormat.auto), ("20261125", .auto), ("2026/11/25", .auto), ("2026-11-25T00:00:00Z", .auto),
        ("2026-11-25 10:00:00", .auto), ("Nov 25, 2026", .auto), ("25 Nov 2026", .auto), ("25-Nov-2026", .auto),
        ("25/11/2026", .auto), ("11/25/2026", .auto), ("25/11/2026", .dayMonthYear), ("11/25/2026", .monthDayYear),
        ("25-11-2026", .dayMonthYearDash), ("20261125", .compact),
    ])
    func dates(_ text: String, _ format: DateFormat) throws {
        #expect(try DateCellParser.parse(text, format: format).get().description == "2026-11-25")
    }

    @Test("ambiguous and impossible dates are refused")
    func badDates() {
        #expect(DateCellParser.parse("03/04/2026", format: .auto) == .failure(.ambiguous("03/04/2026")))
        #expect((try? DateCellParser.parse("2026-02-30", format: .auto).get()) == nil)
        #expect((try? DateCellParser.parse("31/02/2026", format: .dayMonthYear).get()) == nil)
    }

    @Test("header drift: case, spaces, dashes, unit suffixes")
    func headers() {
        #expect(HeaderName.normalise("Sessions - Total") == "sessions total")
        #expect(HeaderName.normalise("7 Day Total Sales ") == "7 day total sales")
        #expect(HeaderName.normalise("Revenue (USD)") == "revenue")
        #expect(HeaderName.normalise("7 Day Total Orders (#)") == "7 day total orders")
        #expect(HeaderName.normalise("Product Visitors (Add to Cart)") == "product visitors add to cart")
        #expect(HeaderName.normalise("\u{FEFF}Day") == "day")
        #expect(HeaderName.currencySuffix("Sales (Placed Order) (MYR)") == "MYR")
    }

    @Test("the kept normalisation of a header is its normalisation, asked once or many times")
    func keptNormalisation() {
        var random = SeededGenerator(seed: 23)
        let pieces = ["Sessions", " - ", "Total", "(USD)", "（MYR）", "7 Day", "\u{FEFF}", "订单", " ", "(#)", "Add to Cart", "é"]
        for _ in 0..<2_000 {
            let header = (0..<Int.random(in: 0...4, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            #expect(HeaderName.normaliseName(header) == HeaderName.normalise(header), "\(header.debugDescription)")
            #expect(HeaderName.normaliseName(header) == HeaderName.normalise(header), "again: \(header.debugDescription)")
        }
    }
}

@Suite("Periods")
struct PeriodTests {
    @Test("periods: relative ones end yesterday; ISO weeks; months")
    func periods() throws {
        let today = try Day(parsing: "2026-11-25")
        #expect(try PeriodSpec.parse("last-7d", today: today).description == "2026-11-18..2026-11-24")
        #expect(try PeriodSpec.parse("last-30d", today: today).dayCount == 30)
        #expect(try PeriodSpec.parse("2026-10", today: today).description == "2026-10-01..2026-10-31")
        #expect(try PeriodSpec.parse("2026-W44", today: today).description == "2026-10-26..2026-11-01")
        #expect(try PeriodSpec.parse("2026-W01", today: today).description == "2025-12-29..2026-01-04")
        #expect(try PeriodSpec.parse("2020-W53", today: today).description == "2020-12-28..2021-01-03")
        #expect(try PeriodSpec.parse("2026-W53", today: today).description == "2026-12-28..2027-01-03")
        #expect(throws: LinkStarError.self) { try PeriodSpec.parse("2025-W53", today: today) }
        #expect(throws: LinkStarError.self) { try PeriodSpec.parse("last-week", today: today) }
        #expect(PeriodSpec.weekday(today) == 2)     // a Wednesday
        let period = try PeriodSpec.parse("last-7d", today: today)
        #expect(Comparison.previous.window(for: period)?.description == "2026-11-11..2026-11-17")
        #expect(Comparison.yoy.window(for: period)?.description == "2025-11-19..2025-11-25")
    }
}
