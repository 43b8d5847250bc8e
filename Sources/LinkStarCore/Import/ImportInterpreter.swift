import Foundation

/// Segment parts and currency given on the command line, for files that do not carry them.
public struct ImportOverrides: Sendable, Equatable {
    public var channel: String?
    public var market: String?
    public var device: String?
    public var currency: String?

    public init(channel: String? = nil, market: String? = nil, device: String? = nil, currency: String? = nil) {
        self.channel = channel
        self.market = market
        self.device = device
        self.currency = currency
    }
}

extension ImportOverrides: JSONMembers {
    /// As `import_batch.options_json` keeps them: every override, null when not given.
    public func encode(to encoder: any Encoder) throws { try encodeMembers(to: encoder) }

    /// The JSON members, keys in ascending order (`JSONMembers`).
    public func writeMembers(to w: inout JSONMemberWriter) throws {
        try w.write("channel", channel)
        try w.write("currency", currency)
        try w.write("device", device)
        try w.write("market", market)
    }
}

/// One value read from a file, with interned metric, segment and currency indexes.
public struct ParsedObservation: Equatable, Sendable {
    /// Index into `ImportInterpreter.metricKeys`.
    public var metric: Int32
    /// Index into `ImportInterpreter.segments`.
    public var segment: Int32
    /// Days since 1970-01-01.
    public var day: Int32
    public var value: Double
    /// Index into `ImportInterpreter.currencies`, or -1.
    public var currency: Int32

    public init(metric: Int32, segment: Int32, day: Int32, value: Double, currency: Int32) {
        self.metric = metric
        self.segment = segment
        self.day = day
        self.value = value
        self.currency = currency
    }
}

/// What happened to one data row.
public enum RowOutcome: Equatable, Sendable {
    case observations
    case skippedTotal
    case skippedBlank
    case invalid
}

/// Turns CSV records into observations under a mapping, validating every cell.
/// Problems carry file, line and column; values are interned so a million rows allocate little.
public struct ImportInterpreter {
    public let mapping: ImportMapping
    public let fileName: String
    public private(set) var metricKeys: [String] = []
    public private(set) var segments: [Segment] = []
    public private(set) var currencies: [String] = []
    /// What the summary should say: rate columns not stored, counts derived, columns ignored.
    public private(set) var notes: [Message] = []
    /// Rows whose ratio metric was skipped in long files (rates are recomputed, never stored).
    public private(set) var skippedRateValues = 0

    enum PartSource {
        case column(Int)
        case fixed(Int)
    }

    struct MetricColumn {
        var column: Int
        var header: String
        var metric: Int32
        var unit: MetricUnit
        var headerCurrency: String?
    }

    struct DerivedColumn {
        var column: Int
        var header: String
        var metric: Int32
        var denominatorColumn: Int
    }

    let catalog: [String: MetricDefinition]
    let headers: [String]
    let dateColumn: Int
    var channelSource: PartSource
    var marketSource: PartSource
    var deviceSource: PartSource
    let currencyColumn: Int?
    let overrideCurrency: String?
    var metricColumns: [MetricColumn] = []
    var derivedColumns: [DerivedColumn] = []
    let longMetricColumn: Int?
    let longValueColumn: Int?

    var channelInterner = Interner(), marketInterner = Interner(), deviceInterner = Interner()
    var channelValues: [Result<String, CellProblem>] = [], marketValues: [Result<String, CellProblem>] = [], deviceValues: [Result<String, CellProblem>] = []
    var metricInterner = Interner()
    var metricLookups: [Result<(Int32, MetricUnit), CellProblem>] = []
    var currencyInterner = Interner()
    var currencyLookups: [Result<Int32, CellProblem>] = []
    var segmentIndex: [Int64: Int32] = [:]
    var lastSegmentKey: Int64 = -1
    var lastSegmentId: Int32 = 0

    /// Resolves the mapping against the header row; throws when a required column is missing.
    public init(header: CSVRecord, mapping: ImportMapping, overrides: ImportOverrides,
                catalog: [String: MetricDefinition], fileName: String) throws {
        self.mapping = mapping
        self.fileName = fileName
        self.catalog = catalog
        self.headers = header.strings
        let headerLine = header.line
        let normalised = headers.map(HeaderName.normaliseName)
        var used = Set<Int>()
        func find(_ names: [String]) -> Int? {
            for name in names {
                let wanted = HeaderName.normaliseName(name)
                if let index = normalised.indices.first(where: { normalised[$0] == wanted && !used.contains($0) }) {
                    used.insert(index)
                    return index
                }
            }
            return nil
        }
        func fail(_ message: Message, column: Int? = nil) -> LinkStarError {
            let detail = LinkStarError.Detail(file: fileName, line: headerLine, column: column.map { $0 + 1 }, message: message)
            return LinkStarError(.invalid, "\(fileName):\(headerLine): \(message)", details: [detail])
        }

        for (index, name) in headers.enumerated() {
            if let bad = name.unicodeScalars.first(where: Excerpt.isInvisible) {
                throw fail("the header \(Excerpt.quoted(name)) holds the invisible character \(Excerpt.name(bad)); remove it", column: index)
            }
        }
        guard let dateColumn = find(mapping.dateColumns) else {
            throw fail("no date column (looked for \(mapping.dateColumns.joined(separator: ", "))) in the header: \(Excerpt.shortened(headers.joined(separator: ", ")))")
        }
        self.dateColumn = dateColumn
        // Segment parts: a column in the file, else --channel/--market/--device, else the mapping's fixed value.
        func part(_ source: ImportMapping.Source, override: String?, name: String,
                  interner: inout Interner, values: inout [Result<String, CellProblem>],
                  normalise: (String) throws -> String) throws -> PartSource {
            if let column = find(source.columns) { return .column(column) }
            guard let value = override ?? source.value else {
                throw fail("the file has no \(name) column: pass --\(name)")
            }
            do {
                let normalisedValue = try normalise(value)
                if normalisedValue == Segment.any { throw LinkStarError.invalidField(name, "must be a concrete value, not *") }
                let id = Array(value.utf8).withUnsafeBufferPointer { interner.intern($0) }
                if id == values.count { values.append(.success(normalisedValue)) }
                return .fixed(id)
            } catch let error as LinkStarError {
                let reason = error.details.first?.text ?? error.summary
                throw LinkStarError(.invalid, "--\(name) \(value): \(reason)", details: [.init(field: name, message: reason)])
            }
        }
        channelSource = .fixed(0)
        marketSource = .fixed(0)
        deviceSource = .fixed(0)
        channelSource = try part(mapping.channel, override: overrides.channel, name: "channel", interner: &channelInterner,
                                 values: &channelValues) { try Segment.normaliseChannel($0, field: "channel") }
        marketSource = try part(mapping.market, override: overrides.market, name: "market", interner: &marketInterner,
                                values: &marketValues) { try Segment.normaliseMarket($0, field: "market") }
        deviceSource = try part(mapping.device, override: overrides.device, name: "device", interner: &deviceInterner,
                                values: &deviceValues) { try Segment.normaliseDevice($0, field: "device") }
        currencyColumn = find(mapping.currency.columns)
        if let currency = overrides.currency ?? mapping.currency.value {
            let code = currency.uppercased()
            guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw LinkStarError.invalidField("currency", "\(Excerpt.quoted(currency)) is not a 3-letter currency code")
            }
            overrideCurrency = code
        } else {
            overrideCurrency = nil
        }

        switch mapping.layout {
        case .long:
            guard let metricColumn = find(mapping.metricColumns) else { throw fail("no metric column (looked for \(mapping.metricColumns.joined(separator: ", ")))") }
            guard let valueColumn = find(mapping.valueColumns) else { throw fail("no value column (looked for \(mapping.valueColumns.joined(separator: ", ")))") }
            longMetricColumn = metricColumn
            longValueColumn = valueColumn
            let extra = headers.indices.filter { !used.contains($0) && !normalised[$0].isEmpty }
            if !extra.isEmpty {
                throw fail("unexpected column \(Excerpt.quoted(headers[extra[0]])): a long file has date, channel, market, device, metric, value and currency", column: extra[0])
            }
        case .wide:
            longMetricColumn = nil
            longValueColumn = nil
            var mapped: [String: Int] = [:]
            if mapping.metrics.isEmpty {
                // Generic wide file: every other column must be a base metric key.
                for index in headers.indices where !used.contains(index) {
                    let key = headers[index].trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_")
                    if key.isEmpty { continue }
                    guard let metric = catalog[key] else {
                        let unknownColumn: Message = "unknown metric column \(Excerpt.quoted(headers[index]))"
                        let summary: Message = NameSuggestion.nearest(to: key, among: catalog.keys.sorted())
                            .map { "\(unknownColumn); did you mean '\($0)'?" } ?? unknownColumn
                        throw LinkStarError(.notFound, "\(fileName):\(headerLine):\(index + 1): \(summary)",
                                            details: [.init(file: fileName, line: headerLine, column: index + 1, message: "unknown metric column \(Excerpt.quoted(headers[index]))")])
                    }
                    if metric.isDerived {
                        notes.append("\(headers[index]): not stored; \(key) is recomputed from \(metric.formula!)")
                        used.insert(index)
                        continue
                    }
                    used.insert(index)
                    mapped[key] = index
                    metricColumns.append(MetricColumn(column: index, header: headers[index], metric: internMetric(key),
                                                      unit: metric.unit, headerCurrency: HeaderName.currencySuffix(headers[index])))
                }
            } else {
                for (key, names) in mapping.metrics {
                    guard let metric = catalog[key] else {
                        throw LinkStarError.unknown("metric", key, field: "mapping.metrics", among: catalog.keys.sorted())
                    }
                    if metric.isDerived {
                        throw LinkStarError(.invalid, "mapping.metrics.\(key): \(key) is derived (\(metric.formula!)); map its counts instead, or list it under rates")
                    }
                    guard let column = find(names) else { continue }
                    mapped[key] = column
                    metricColumns.append(MetricColumn(column: column, header: headers[column], metric: internMetric(key),
                                                      unit: metric.unit, headerCurrency: HeaderName.currencySuffix(headers[column])))
                }
                if metricColumns.isEmpty {
                    throw fail("none of the \(mapping.name) metric columns is in the header (\(Excerpt.shortened(headers.joined(separator: ", "))))")
                }
            }
            for (key, names) in mapping.rates {
                guard let column = find(names) else { continue }
                guard let rate = catalog[key], let formula = rate.formula else {
                    notes.append("\(headers[column]): not stored (rates are recomputed from counts)")
                    continue
                }
                if mapped[formula.numerator] != nil && mapped[formula.denominator] != nil {
                    notes.append("\(headers[column]): not stored; \(key) is recomputed from \(formula)")
                } else if mapped[formula.numerator] == nil, formula.subtract == nil, let denominator = mapped[formula.denominator],
                          let numerator = catalog[formula.numerator], numerator.unit == .count {
                    derivedColumns.append(DerivedColumn(column: column, header: headers[column],
                                                        metric: internMetric(formula.numerator), denominatorColumn: denominator))
                    notes.append("\(formula.numerator): derived as round(\(headers[column]) × \(headers[denominator])); the file has no count for it")
                } else {
                    notes.append("\(headers[column]): not stored; the counts \(key) needs (\(formula)) are not all in the file")
                }
            }
            for ignore in mapping.ignored {
                let found = ignore.headers.compactMap { find([$0]) }
                if !found.isEmpty {
                    notes.append("ignored \(found.map { headers[$0] }.joined(separator: ", ")): \(ignore.reason)")
                }
            }
            let rest = headers.indices.filter { !used.contains($0) && !normalised[$0].isEmpty }
            if !rest.isEmpty {
                let names = Excerpt.shortened(rest.map { headers[$0] }.joined(separator: ", "), limit: 200)
                notes.append(rest.count == 1 ? "ignored unrecognised column: \(names)" : "ignored unrecognised columns: \(names)")
            }
        }
    }

    mutating func internMetric(_ key: String) -> Int32 {
        if let index = metricKeys.firstIndex(of: key) { return Int32(index) }
        metricKeys.append(key)
        return Int32(metricKeys.count - 1)
    }

    mutating func internCurrency(_ code: String) -> Int32 {
        if let index = currencies.firstIndex(of: code) { return Int32(index) }
        currencies.append(code)
        return Int32(currencies.count - 1)
    }

    func problem(_ record: CSVRecord, _ column: Int?, _ message: Message) -> LinkStarError.Detail {
        let header = column.flatMap { $0 < headers.count ? Excerpt.shortened(headers[$0], limit: 40) : nil }
        return LinkStarError.Detail(file: fileName, line: record.line, column: column.map { $0 + 1 },
                                    message: header.map { "\($0): \(message)" } ?? message)
    }

    /// Resolves one segment part of a row.
    static func resolve(_ source: PartSource, _ record: CSVRecord, interner: inout Interner, values: inout [Result<String, CellProblem>],
                 normalise: (String) throws -> String) -> Result<Int, CellProblem> {
        switch source {
        case .fixed(let id): return .success(id)
        case .column(let column):
            let bytes = record.field(column)
            let id = interner.intern(bytes)
            if id == values.count {
                let text = String(decoding: bytes, as: UTF8.self)
                do {
                    let value = try normalise(text)
                    values.append(value == Segment.any ? .failure("'*' is not a concrete value") : .success(value))
                } catch let error as LinkStarError {
                    values.append(.failure(CellProblem(error.details.first?.text ?? error.summary)))
                } catch {
                    values.append(.failure("\(error)"))
                }
            }
            switch values[id] {
            case .success: return .success(id)
            case .failure(let message): return .failure(message)
            }
        }
    }

    /// Interprets one data row: appends its observations, or reports its problems.
    public mutating func interpret(_ record: CSVRecord, into output: inout [ParsedObservation],
                          problems: inout [LinkStarError.Detail]) -> RowOutcome {
        if record.isBlank { return .skippedBlank }
        if record.count != headers.count {
            // A ragged row would shift values into the wrong columns: refuse it.
            problems.append(LinkStarError.Detail(file: fileName, line: record.line, column: min(record.count, headers.count) + 1,
                                                 message: record.count == 1 ? "the row has 1 field; the header has \(headers.count) (an unquoted comma or a missing cell?)"
                                                    : "the row has \(record.count) fields; the header has \(headers.count) (an unquoted comma or a missing cell?)"))
            return .invalid
        }
        let dateBytes = record.field(dateColumn)
        let day: Day
        switch DateCellParser.parse(dateBytes, format: mapping.dateFormat) {
        case .success(let value):
            day = value
        case .failure(let failure):
            let text = String(decoding: dateBytes, as: UTF8.self)
            if isTotalLabel(text) { return .skippedTotal }
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                // An unlabelled summary row: no date, but numbers.
                return .skippedTotal
            }
            problems.append(problem(record, dateColumn, failure.message))
            return .invalid
        }

        var rowProblems: [LinkStarError.Detail] = []
        let channel = Self.resolve(channelSource, record, interner: &channelInterner, values: &channelValues) { try Segment.normaliseChannel($0, field: "channel") }
        let market = Self.resolve(marketSource, record, interner: &marketInterner, values: &marketValues) { try Segment.normaliseMarket($0, field: "market") }
        let device = Self.resolve(deviceSource, record, interner: &deviceInterner, values: &deviceValues) { try Segment.normaliseDevice($0, field: "device") }
        // No array per row: the three ids are read straight from the results; only a refused part builds its problem.
        guard case .success(let channelId) = channel, case .success(let marketId) = market, case .success(let deviceId) = device else {
            for (result, source) in [(channel, channelSource), (market, marketSource), (device, deviceSource)] {
                if case .failure(let failure) = result, case .column(let column) = source { rowProblems.append(problem(record, column, failure.message)) }
            }
            problems.append(contentsOf: rowProblems)
            return .invalid
        }
        let segment = segmentId(channelId, marketId, deviceId)
        let marketCode = try? marketValues[marketId].get()
        let start = output.count

        if let metricColumn = longMetricColumn, let valueColumn = longValueColumn {
            let metricBytes = record.field(metricColumn)
            let id = metricInterner.intern(metricBytes)
            if id == metricLookups.count {
                let raw = String(decoding: metricBytes, as: UTF8.self)
                let key = raw.trimmingCharacters(in: .whitespaces).lowercased()
                if let bad = raw.unicodeScalars.first(where: Excerpt.isInvisible) {
                    metricLookups.append(.failure(CellProblem("\(Excerpt.quoted(raw)) holds the invisible character \(Excerpt.name(bad))")))
                } else if let metric = catalog[key] {
                    metricLookups.append(metric.isDerived ? .failure(.derived(key)) : .success((internMetric(key), metric.unit)))
                } else {
                    let unknown: Message = "unknown metric \(Excerpt.quoted(key))"
                    metricLookups.append(.failure(CellProblem(NameSuggestion.nearest(to: key, among: catalog.keys.sorted())
                        .map { "\(unknown); did you mean '\($0)'?" } ?? unknown)))
                }
            }
            switch metricLookups[id] {
            case .success(let (metric, unit)):
                readValue(record, column: valueColumn, metric: metric, unit: unit, headerCurrency: nil, market: marketCode,
                          segment: segment, day: day, into: &output, problems: &rowProblems)
            case .failure(let failure):
                if failure.isDerivedMetric {
                    skippedRateValues += 1
                    return .skippedTotal
                }
                rowProblems.append(problem(record, metricColumn, failure.message))
            }
        } else {
            for column in metricColumns {
                readValue(record, column: column.column, metric: column.metric, unit: column.unit, headerCurrency: column.headerCurrency,
                          market: marketCode, segment: segment, day: day, into: &output, problems: &rowProblems)
            }
            for derived in derivedColumns {
                guard case .value(let rate, let percent, _) = NumberCellParser.parse(record.field(derived.column), decimalComma: mapping.decimalComma),
                      case .value(let denominator, _, _) = NumberCellParser.parse(record.field(derived.denominatorColumn), decimalComma: mapping.decimalComma)
                else { continue }
                let fraction = percent ? rate : (mapping.percentNumbers ? rate / 100 : rate)
                if let problem = InputLimits.problem(with: denominator, unit: .count) {
                    rowProblems.append(self.problem(record, derived.denominatorColumn, problem))
                    continue
                }
                guard fraction >= 0, fraction <= 1 else {
                    rowProblems.append(problem(record, derived.column, "a rate of \(fraction) is outside 0…1"))
                    continue
                }
                output.append(ParsedObservation(metric: derived.metric, segment: segment, day: Int32(day.ordinal),
                                                value: (fraction * denominator).rounded(), currency: -1))
            }
        }
        if !rowProblems.isEmpty {
            output.removeSubrange(start...)
            problems.append(contentsOf: rowProblems)
            return .invalid
        }
        return .observations
    }

    mutating func readValue(_ record: CSVRecord, column: Int, metric: Int32, unit: MetricUnit, headerCurrency: String?, market: String?,
                   segment: Int32, day: Day, into output: inout [ParsedObservation], problems: inout [LinkStarError.Detail]) {
        switch NumberCellParser.parse(record.field(column), decimalComma: mapping.decimalComma) {
        case .empty:
            return
        case .invalid(let message):
            problems.append(problem(record, column, message))
        case .value(let value, let percent, let symbolCurrency):
            if percent {
                problems.append(problem(record, column, "a percentage in a \(unit.rawValue) column"))
                return
            }
            if value < 0 && unit != .currency {
                problems.append(problem(record, column, "a \(unit.rawValue) cannot be negative (\(value))"))
                return
            }
            if let bound = InputLimits.problem(with: value, unit: unit) {
                problems.append(problem(record, column, bound))
                return
            }
            var currency: Int32 = -1
            if unit == .currency {
                switch currencyFor(record, headerCurrency: headerCurrency, symbol: symbolCurrency, market: market) {
                case .success(let id): currency = id
                case .failure(let failure):
                    problems.append(problem(record, column, failure.message))
                    return
                }
            } else if let symbolCurrency, symbolCurrency != "?" || unit != .currency {
                problems.append(problem(record, column, "a currency amount (\(symbolCurrency == "?" ? "symbol" : symbolCurrency)) in a \(unit.rawValue) column"))
                return
            }
            output.append(ParsedObservation(metric: metric, segment: segment, day: Int32(day.ordinal), value: value, currency: currency))
        }
    }

    /// The currency of a currency cell: the currency column, else --currency, else the header's `(USD)`,
    /// else the market's currency; a symbol in the cell must agree.
    mutating func currencyFor(_ record: CSVRecord, headerCurrency: String?, symbol: String?, market: String?) -> Result<Int32, CellProblem> {
        var code: String?
        var from = ""
        if let currencyColumn {
            let text = record.string(currencyColumn).trimmingCharacters(in: .whitespaces).uppercased()
            if !text.isEmpty {
                guard text.count == 3, text.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                    return .failure("currency \(Excerpt.quoted(text)) is not a 3-letter code")
                }
                code = text
                from = "the currency column"
            }
        }
        if code == nil, let overrideCurrency { code = overrideCurrency; from = "--currency" }
        if code == nil, let headerCurrency { code = headerCurrency; from = "the header" }
        if code == nil, let market, let marketCurrency = MarketCurrency.byMarket[market] { code = marketCurrency; from = "market \(market)" }
        if let symbol {
            if symbol == "?" {
                if code == nil { return .failure("the currency symbol is ambiguous: pass --currency") }
            } else if let known = code, known != symbol {
                return .failure("the cell is in \(symbol) but \(from) says \(known)")
            } else {
                code = symbol
            }
        }
        guard let code else { return .failure("no currency: add a currency column or pass --currency") }
        return .success(internCurrency(code))
    }

    mutating func segmentId(_ channel: Int, _ market: Int, _ device: Int) -> Int32 {
        let key = Int64(channel) << 40 | Int64(market) << 20 | Int64(device)
        if key == lastSegmentKey { return lastSegmentId }
        if let id = segmentIndex[key] {
            lastSegmentKey = key
            lastSegmentId = id
            return id
        }
        let segment = Segment(uncheckedChannel: try! channelValues[channel].get(), market: try! marketValues[market].get(),
                              device: try! deviceValues[device].get())
        segments.append(segment)
        let id = Int32(segments.count - 1)
        segmentIndex[key] = id
        return id
    }

    func isTotalLabel(_ text: String) -> Bool {
        let normalised = HeaderName.normalise(text)
        if mapping.totalLabels.contains(normalised) { return true }
        if mapping.totalLabels.contains(where: { normalised.hasPrefix($0 + " ") }) { return true }
        // A period such as "01/10/2026 - 31/10/2026" or "2026-10-01 ~ 2026-10-31".
        let digits = text.filter(\.isNumber).count
        return digits >= 12 && (text.contains(" - ") || text.contains("~") || text.contains(" to ") || text.contains("–") || text.contains("—"))
    }
}

/// Why a cell was refused.
struct CellProblem: Error, ExpressibleByStringInterpolation {
    var message: Message
    /// A derived metric's column in a long file: skipped, not an error.
    var isDerivedMetric = false
    init(_ message: Message) { self.message = message }
    init(stringLiteral value: String) { message = Message(stringLiteral: value) }
    init(stringInterpolation: Message.StringInterpolation) { message = Message(stringInterpolation: stringInterpolation) }
    static func derived(_ key: String) -> CellProblem {
        var problem = CellProblem(Message(verbatim: key))
        problem.isDerivedMetric = true
        return problem
    }
}

/// Maps small sets of byte strings to dense ids without allocating on a hit.
struct Interner {
    private var entries: [[UInt8]] = []
    private var table: [[UInt8]: Int] = [:]
    private var last = -1

    /// The id of these bytes; a new id (== previous count) when first seen.
    @inline(__always)
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if last >= 0, Self.equal(entries[last], bytes) { return last }
        if entries.count <= 24 {
            for index in entries.indices where Self.equal(entries[index], bytes) {
                last = index
                return index
            }
        } else if let id = table[Array(bytes)] {
            last = id
            return id
        }
        let id = entries.count
        entries.append(Array(bytes))
        table[Array(bytes)] = id
        last = id
        return id
    }

    @inline(__always)
    static func equal(_ entry: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard entry.count == bytes.count else { return false }
        return entry.withUnsafeBufferPointer { e in
            e.count == 0 || memcmp(e.baseAddress!, bytes.baseAddress!, e.count) == 0
        }
    }
}
