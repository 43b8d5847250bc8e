import Foundation

/// Values of a fixed list of base metrics observed on concrete cells (one segment on one day): the unit every
/// like-for-like number is computed over. A cell that did not report a metric has no value for it (never 0).
/// Values are stored flat (one slot per cell and metric), so adding a cell allocates nothing of its own.
public struct CellTable: Sendable {
    /// One segment on one day.
    public struct Cell: Sendable, Equatable {
        /// Index into `segments`.
        public var segment: Int
        public var day: Int
        /// The first of this cell's slots (one per metric) in the table's storage.
        @usableFromInline var slot: Int

        @usableFromInline init(segment: Int, day: Int, slot: Int) {
            self.segment = segment
            self.day = day
            self.slot = slot
        }
    }

    /// The metrics, in the order of each cell's slots.
    public let metrics: [String]
    public private(set) var segments: [Segment] = []
    /// The positions of `segments` in segment order (`Segment.<`), kept as segments are added: a report sorts by it
    /// without comparing segments again, and a kept table (patched, never given new segments) keeps it.
    public private(set) var segmentsInOrder: [Int] = []
    // Storage is visible to the module (and to inlined code) so the readers' per-value calls below inline across modules.
    /// The cells, in the order they were added.
    public var cells: [Cell] { storedCells }
    @usableFromInline var storedCells: [Cell] = []
    /// Per cell and metric: the value (meaningful where `codes` is not `notObserved`).
    @usableFromInline var values: [Double] = []
    /// Per cell and metric: `notObserved`, `noCurrency`, or 1 + an index into `currencyCodes`.
    @usableFromInline var codes: [Int32] = []
    /// The currencies met so far, each stored once.
    public private(set) var currencyCodes: [String] = []
    @usableFromInline static let notObserved: Int32 = -1
    private static let noCurrency: Int32 = 0
    private var segmentIndex: [Segment: Int] = [:]
    /// Cell position by segment position and day (`segment << 32 | day`, days being within ±2^31).
    private var cellIndex: [Int: Int] = [:]
    /// The cell added to last: readers add a cell's metrics one after another, so most lookups end here.
    private var lastCell: (key: Int, position: Int)?

    public init(metrics: [String]) { self.metrics = metrics }

    /// The position of a metric in a cell's slots, nil when the table does not hold it.
    public func index(of metric: String) -> Int? { metrics.firstIndex(of: metric) }

    /// The value of metric position `m` on `cell`, nil when the cell did not report it.
    @inline(__always)
    public func value(_ cell: Cell, _ m: Int) -> Double? {
        codes[cell.slot + m] == Self.notObserved ? nil : values[cell.slot + m]
    }

    /// True when `cell` reported metric position `m`.
    @inline(__always)
    public func isObserved(_ cell: Cell, _ m: Int) -> Bool { codes[cell.slot + m] != Self.notObserved }

    /// The currency of metric position `m` on `cell` (nil for a value without one, or no value).
    @inline(__always)
    public func currency(_ cell: Cell, _ m: Int) -> String? {
        let code = codes[cell.slot + m]
        return code > 0 ? currencyCodes[Int(code) - 1] : nil
    }

    /// Records one observation (the last value wins for a repeated cell and metric).
    public mutating func add(segment: Segment, day: Int, metric: String, value: Double, currency: String?) {
        guard let m = index(of: metric) else { return }
        add(segment: position(of: segment), day: day, metric: m, value: value, currency: currency)
    }

    /// The position of a segment in `segments`, added when new.
    public mutating func position(of segment: Segment) -> Int {
        if let known = segmentIndex[segment] { return known }
        segments.append(segment)
        segmentIndex[segment] = segments.count - 1
        // Readers mostly add segments in ascending order: checked against the last one before searching.
        if let last = segmentsInOrder.last, segment < segments[last] {
            var low = 0, high = segmentsInOrder.count
            while low < high {
                let middle = (low + high) / 2
                if segments[segmentsInOrder[middle]] < segment { low = middle + 1 } else { high = middle }
            }
            segmentsInOrder.insert(segments.count - 1, at: low)
        } else {
            segmentsInOrder.append(segments.count - 1)
        }
        return segments.count - 1
    }

    /// The code of a currency for `add(segment:day:metric:value:currencyCode:)`: 0 for none, else its place in
    /// `currencyCodes` plus one (added when new).
    public mutating func currencyCode(_ currency: String?) -> Int32 {
        guard let currency else { return Self.noCurrency }
        if let known = currencyCodes.firstIndex(of: currency) { return Int32(known + 1) }
        currencyCodes.append(currency)
        return Int32(currencyCodes.count)
    }

    /// The code of a currency given as its bytes (a reader's buffer), without building a string when it is known.
    public mutating func currencyCode(bytes: UnsafeRawBufferPointer) -> Int32 {
        for (i, code) in currencyCodes.enumerated() where code.utf8.elementsEqual(bytes) { return Int32(i + 1) }
        return currencyCode(String(decoding: bytes, as: UTF8.self))
    }

    /// Records one observation by positions: `segment` from `position(of:)`, `metric` an index into `metrics`.
    public mutating func add(segment s: Int, day: Int, metric m: Int, value: Double, currency: String?) {
        let code = currencyCode(currency)
        add(segment: s, day: day, metric: m, value: value, currencyCode: code)
    }

    /// Records one observation by positions, its currency as a code from `currencyCode(_:)`.
    public mutating func add(segment s: Int, day: Int, metric m: Int, value: Double, currencyCode: Int32) {
        let key = s << 32 | (day & 0xFFFF_FFFF)
        let slot: Int
        if let lastCell, lastCell.key == key { slot = cells[lastCell.position].slot }
        else {
            indexAppendedCells()
            if let known = cellIndex[key] { slot = cells[known].slot; lastCell = (key, known) }
            else {
                slot = usedSlots
                lastCell = (key, cells.count)
                cellIndex[key] = cells.count
                appendSlots(segment: s, day: day)
                indexedCells = cells.count
            }
        }
        values[slot + m] = value
        codes[slot + m] = currencyCode
    }

    /// Adds a cell without looking for it first, for a reader that meets each segment and day once (the daily rollup,
    /// a day's cells each with its own segment): no hashing per cell. Its values are set with `set(_:metric:value:currencyCode:)`.
    @inlinable
    public mutating func appendCell(segment s: Int, day: Int) -> Cell {
        let cell = Cell(segment: s, day: day, slot: usedSlots)
        appendSlots(segment: s, day: day)
        return cell
    }

    /// Sets the value of metric position `m` on a cell of this table.
    @inlinable
    public mutating func set(_ cell: Cell, metric m: Int, value: Double, currencyCode: Int32) {
        values[cell.slot + m] = value
        codes[cell.slot + m] = currencyCode
    }

    /// Replaces the values of the cells at `range` (one day's, as a reader appended them) with `replacement`: per cell
    /// its segment position and its values as (metric position, value, currency code). Returns false, changing nothing,
    /// unless the replacement has exactly those cells' segments in the same order: a table patched this way is the one
    /// a reader would build afresh only when that holds (and `currenciesInFirstUseOrder` still does).
    /// Otherwise returns, per metric position, whether any of those cells now has another value (bit for bit), another
    /// currency, or is observed where it was not or the reverse: passes over the other metrics give what they gave.
    public mutating func replaceValues(ofCells range: Range<Int>, with replacement: [(segment: Int, values: [(metric: Int, value: Double, currencyCode: Int32)])]) -> [Bool]? {
        var presence: [Bool] = []
        return replaceValues(ofCells: range, with: replacement, presenceChanged: &presence)
    }

    /// `replaceValues`, also marking in `presenceChanged` (per metric position, sized to the metrics when it is not)
    /// where a cell is now observed where it was not, or the reverse: what a pass over which segments report a metric
    /// reads (a value corrected in place leaves it as it was).
    public mutating func replaceValues(ofCells range: Range<Int>, with replacement: [(segment: Int, values: [(metric: Int, value: Double, currencyCode: Int32)])],
                                       presenceChanged: inout [Bool]) -> [Bool]? {
        guard range.lowerBound >= 0, range.upperBound <= storedCells.count, range.count == replacement.count else { return nil }
        for (offset, new) in replacement.enumerated() where storedCells[range.lowerBound + offset].segment != new.segment { return nil }
        let width = metrics.count
        if presenceChanged.count != width { presenceChanged = [Bool](repeating: false, count: width) }
        var changed = [Bool](repeating: false, count: width)
        var oldValues = [Double](repeating: 0, count: width), oldCodes = [Int32](repeating: Self.notObserved, count: width)
        for (offset, new) in replacement.enumerated() {
            let slot = storedCells[range.lowerBound + offset].slot
            for m in 0..<width {
                oldValues[m] = values[slot + m]
                oldCodes[m] = codes[slot + m]
                codes[slot + m] = Self.notObserved
            }
            for entry in new.values where entry.metric >= 0 && entry.metric < width {
                values[slot + entry.metric] = entry.value
                codes[slot + entry.metric] = entry.currencyCode
            }
            for m in 0..<width where codes[slot + m] != oldCodes[m]
                || (codes[slot + m] != Self.notObserved && values[slot + m].bitPattern != oldValues[m].bitPattern) {
                changed[m] = true
                if (codes[slot + m] == Self.notObserved) != (oldCodes[m] == Self.notObserved) { presenceChanged[m] = true }
            }
        }
        return changed
    }

    /// True when `currencyCodes` lists exactly the currencies the cells use, in the order of their first use, cell by
    /// cell and within a cell in `metricOrder` (metric positions in the order a reader sets them): the order a reader
    /// building the table afresh gives them.
    public func currenciesInFirstUseOrder(metricOrder: [Int]) -> Bool {
        guard !currencyCodes.isEmpty else { return true }
        var next: Int32 = 1
        for cell in storedCells {
            for m in metricOrder where m >= 0 && m < metrics.count {
                let code = codes[cell.slot + m]
                guard code > 0 else { continue }
                if code > next { return false }
                if code == next {
                    // Every currency met, in order: no later code can be out of order (none exceeds the count).
                    if Int(next) == currencyCodes.count { return true }
                    next += 1
                }
            }
        }
        return false
    }

    /// The same metrics, segments, cells (in the same order), values and currencies (numbered the same), whatever
    /// the storage behind them: two readers that built the same table.
    public func hasSameContents(as other: CellTable) -> Bool {
        guard metrics == other.metrics, segments == other.segments, storedCells.count == other.storedCells.count,
              currencyCodes == other.currencyCodes else { return false }
        for (a, b) in zip(storedCells, other.storedCells) {
            guard a.segment == b.segment, a.day == b.day else { return false }
            for m in 0..<metrics.count {
                let code = codes[a.slot + m]
                guard code == other.codes[b.slot + m] else { return false }
                if code != Self.notObserved && values[a.slot + m].bitPattern != other.values[b.slot + m].bitPattern { return false }
            }
        }
        return true
    }

    /// Cells appended so far that `cellIndex` knows; those after are looked up only once `add` needs them.
    private var indexedCells = 0

    private mutating func indexAppendedCells() {
        while indexedCells < cells.count {
            let cell = cells[indexedCells]
            cellIndex[cell.segment << 32 | (cell.day & 0xFFFF_FFFF)] = indexedCells
            indexedCells += 1
        }
    }

    /// Slots given to cells so far; `values` and `codes` grow ahead of it, doubling, so most cells append nothing to them.
    @usableFromInline var usedSlots = 0

    @inlinable
    mutating func appendSlots(segment s: Int, day: Int) {
        if let last = storedCells.last, day < last.day { daysAscend = false }
        storedCells.append(Cell(segment: s, day: day, slot: usedSlots))
        usedSlots += metrics.count
        if usedSlots > values.count { growSlots() }
    }

    @usableFromInline
    mutating func growSlots() {
        let grow = max(usedSlots - values.count, values.count, 64 * metrics.count)
        values.append(contentsOf: repeatElement(0, count: grow))
        codes.append(contentsOf: repeatElement(Self.notObserved, count: grow))
    }

    /// True while no cell was added with a day before the one added just before it (every reader adds them by day):
    /// a window's cells are then one run, found by binary search.
    @usableFromInline var daysAscend = true

    /// The positions of the cells that may lie in `window`, in table order: the window's run of cells when days ascend,
    /// else every cell. Callers still check each cell's day.
    public func positions(in window: DayRange) -> Range<Int> {
        guard daysAscend else { return 0..<storedCells.count }
        func firstPosition(atOrAfter day: Int) -> Int {
            var low = 0, high = storedCells.count
            while low < high {
                let middle = (low + high) / 2
                if storedCells[middle].day < day { low = middle + 1 } else { high = middle }
            }
            return low
        }
        let start = firstPosition(atOrAfter: window.from.ordinal)
        let end = firstPosition(atOrAfter: window.to.ordinal + 1)    // days are bounded (year 9999): no overflow
        return start..<max(start, end)
    }

    /// Calls `visit` with each cell whose day is in `window`, in table order, and the storage's values and codes: over
    /// their buffers, so no bounds or uniqueness checks per value (positions and slots are the table's own; a window's
    /// table has ~10,000 values).
    @inline(__always)
    func forEachCell(in window: DayRange, _ visit: (Cell, UnsafeBufferPointer<Double>, UnsafeBufferPointer<Int32>) -> Void) {
        let first = window.from.ordinal, last = window.to.ordinal
        let positions = positions(in: window)
        values.withUnsafeBufferPointer { values in
            codes.withUnsafeBufferPointer { codes in
                storedCells.withUnsafeBufferPointer { cells in
                    for position in positions {
                        let cell = cells[position]
                        guard cell.day >= first && cell.day <= last else { continue }
                        visit(cell, values, codes)
                    }
                }
            }
        }
    }

    /// The sum of metric position `m`'s values over the cells whose day is in `window`, nil when no cell reported it.
    /// Cells are added in table order, whatever their currency (for volumes: counts carry none).
    public func sum(ofMetric m: Int, in window: DayRange) -> Double? {
        var total = 0.0
        var observed = false
        forEachCell(in: window) { cell, values, codes in
            if codes[cell.slot + m] != Self.notObserved {
                total += values[cell.slot + m]
                observed = true
            }
        }
        return observed ? total : nil
    }

    /// Per metric position: `sum(ofMetric:in:)`.
    public func sums(in window: DayRange) -> [Double?] { metrics.indices.map { sum(ofMetric: $0, in: window) } }

    /// Per segment position: true when one of its cells whose day is in `window` reported one of the metric positions `ms`.
    public func segmentsReporting(_ ms: [Int], in window: DayRange) -> [Bool] {
        var reporting = [Bool](repeating: false, count: segments.count)
        forEachCell(in: window) { cell, _, codes in
            guard !reporting[cell.segment] else { return }
            reporting[cell.segment] = ms.contains { codes[cell.slot + $0] != Self.notObserved }
        }
        return reporting
    }
}

/// A step between two count stages over some cells, like-for-like: its volumes only on the cells that reported both
/// stages ("matched"). Counts carry no currency, so the sums are plain numbers, added in cell order.
public struct StepTotals: Sendable, Equatable {
    /// The from-stage (the rate's denominator) and the to-stage (its numerator) on matched cells.
    public var from = 0.0
    public var to = 0.0
    /// The from-stage over every cell that reported it, matched or not (the base of the coverage).
    public var fromObserved = 0.0
    public var matchedCells = 0
    /// Cells that reported one stage but not the other.
    public var unmatchedCells = 0

    public init() {}

    /// Adds totals over other cells.
    public mutating func merge(_ other: StepTotals) {
        from += other.from
        to += other.to
        fromObserved += other.fromObserved
        matchedCells += other.matchedCells
        unmatchedCells += other.unmatchedCells
    }
}

/// What a metric is computed from, as positions in a `CellTable`.
public struct CellFormula: Sendable, Equatable {
    public var numerator: Int
    public var subtract: Int?
    /// nil for a base metric (a total, not a rate).
    public var denominator: Int?

    /// The formula of `metric` (its own column for a base metric); nil when the table lacks a part.
    public init?(_ metric: MetricDefinition, in table: CellTable) {
        if let formula = metric.formula {
            guard let n = table.index(of: formula.numerator), let d = table.index(of: formula.denominator) else { return nil }
            var s: Int?
            if let subtract = formula.subtract {
                guard let index = table.index(of: subtract) else { return nil }
                s = index
            }
            self.init(numerator: n, subtract: s, denominator: d)
        } else {
            guard let n = table.index(of: metric.key) else { return nil }
            self.init(numerator: n, subtract: nil, denominator: nil)
        }
    }

    public init(numerator: Int, subtract: Int? = nil, denominator: Int?) {
        self.numerator = numerator
        self.subtract = subtract
        self.denominator = denominator
    }

    /// Every position the formula reads.
    public var parts: [Int] { [numerator] + (subtract.map { [$0] } ?? []) + (denominator.map { [$0] } ?? []) }
}

/// Sums of a formula's parts over the cells where every part was observed ("matched" cells), and the
/// denominator over every cell that observed it (the base of the coverage).
public struct MatchedTotals: Sendable, Equatable {
    public var numerator = AmountTotal()
    public var subtract = AmountTotal()
    public var denominator = AmountTotal()
    /// The denominator (a base metric's own value) over every cell that reported it, matched or not.
    public var denominatorObserved = AmountTotal()
    /// Days with at least one matched cell.
    public var days = DaySet()
    public var matchedCells = 0
    /// Cells that reported some part but not all.
    public var unmatchedCells = 0

    public init() {}

    /// Adds one cell of `table`; false when the cell reports no part of the formula (nothing was added).
    @discardableResult
    public mutating func add(_ cell: CellTable.Cell, of table: CellTable, formula: CellFormula, rates: ExchangeRates) -> Bool {
        let day = cell.day
        let base = formula.denominator ?? formula.numerator
        if let value = table.value(cell, base) { denominatorObserved.add(value, currency: table.currency(cell, base), dayOrdinal: day, rates: rates) }
        // Every part observed (matched), some (unmatched) or none: checked part by part, without building a list.
        let top = table.value(cell, formula.numerator)
        let minus = formula.subtract.map { table.value(cell, $0) }
        let bottom = formula.denominator.map { table.value(cell, $0) }
        let observed = (top != nil ? 1 : 0) + (minus.map { $0 != nil ? 1 : 0 } ?? 0) + (bottom.map { $0 != nil ? 1 : 0 } ?? 0)
        let parts = 1 + (minus != nil ? 1 : 0) + (bottom != nil ? 1 : 0)
        guard observed == parts, let top else {
            if observed > 0 { unmatchedCells += 1 }
            return observed > 0  // the base is one of the parts
        }
        matchedCells += 1
        days.insert(cell.day)
        numerator.add(top, currency: table.currency(cell, formula.numerator), dayOrdinal: day, rates: rates)
        if let s = formula.subtract, let value = minus ?? nil { subtract.add(value, currency: table.currency(cell, s), dayOrdinal: day, rates: rates) }
        if let d = formula.denominator, let value = bottom ?? nil { denominator.add(value, currency: table.currency(cell, d), dayOrdinal: day, rates: rates) }
        return true
    }

    /// Adds totals over other cells.
    public mutating func merge(_ other: MatchedTotals) {
        numerator.merge(other.numerator)
        subtract.merge(other.subtract)
        denominator.merge(other.denominator)
        denominatorObserved.merge(other.denominatorObserved)
        days.formUnion(other.days)
        matchedCells += other.matchedCells
        unmatchedCells += other.unmatchedCells
    }
}

/// A metric's value over some cells, with how much of the data entered it.
public struct MeasuredValue: Sendable, Equatable {
    /// The rate over matched cells, or a base metric's daily average over the days it was observed.
    public var value: Double?
    /// The currency of a money value (the reporting currency when converted).
    public var currency: String?
    /// Summed numerator (− subtract) and denominator of a rate over the matched cells.
    public var top: Double?
    public var bottom: Double?
    /// Share of the denominator's volume that entered the rate (1 for base metrics); nil when nothing was observed.
    public var coverage: Double?
    public var daysWithData: Int
    /// Why there is no value although data exists (mixed currencies, missing rates, zero denominator).
    public var problem: Message?
    /// Days that lack an exchange rate, when that is the problem.
    public var daysWithoutRate: [Day]

    /// Nothing measured yet.
    public static let empty = MeasuredValue()

    public init(value: Double? = nil, currency: String? = nil, top: Double? = nil, bottom: Double? = nil, coverage: Double? = nil,
                daysWithData: Int = 0, problem: Message? = nil, daysWithoutRate: [Day] = []) {
        self.value = value
        self.currency = currency
        self.top = top
        self.bottom = bottom
        self.coverage = coverage
        self.daysWithData = daysWithData
        self.problem = problem
        self.daysWithoutRate = daysWithoutRate
    }
}

/// The like-for-like rule: every rate is computed over the cells (segment × day) where its numerator and its
/// denominator were both observed; a comparison of two windows over the segments observed in both.
public enum LikeForLike {
    /// The share of a step's denominator volume below which a rate is `partial` (not trusted for a bottleneck).
    public static let defaultCoverageThreshold = 0.8

    /// True when a rate with this coverage is only partial.
    public static func isPartial(coverage: Double?, threshold: Double) -> Bool {
        guard let coverage else { return true }
        return coverage < threshold
    }

    /// Per-segment matched totals of `formula` over the cells whose day is in `window`, for the segments that report
    /// some part of it there.
    public static func totalsBySegment(_ table: CellTable, formula: CellFormula, window: DayRange, rates: ExchangeRates) -> [Int: MatchedTotals] {
        // By segment position in an array, added to in place (no hashing or copying per cell), then keyed by position.
        var bySegment = [MatchedTotals](repeating: MatchedTotals(), count: table.segments.count)
        var seen = [Bool](repeating: false, count: table.segments.count)
        table.forEachCell(in: window) { cell, _, _ in
            // Only segments that report some part: one that reports none would add nothing to any total.
            if bySegment[cell.segment].add(cell, of: table, formula: formula, rates: rates) { seen[cell.segment] = true }
        }
        var result: [Int: MatchedTotals] = [:]
        for segment in bySegment.indices where seen[segment] { result[segment] = bySegment[segment] }
        return result
    }

    /// Per segment position, the totals of the step from metric position `from` to `to` over the cells whose day is in
    /// `window`: one pass over the cells, no hashing, nothing allocated per cell.
    public static func stepTotalsBySegment(_ table: CellTable, from: Int, to: Int, window: DayRange) -> [StepTotals] {
        var bySegment = [StepTotals](repeating: StepTotals(), count: table.segments.count)
        bySegment.withUnsafeMutableBufferPointer { totals in
            table.forEachCell(in: window) { cell, values, codes in
                let hasFrom = codes[cell.slot + from] != CellTable.notObserved, hasTo = codes[cell.slot + to] != CellTable.notObserved
                if hasFrom { totals[cell.segment].fromObserved += values[cell.slot + from] }
                if hasFrom && hasTo {
                    totals[cell.segment].matchedCells += 1
                    totals[cell.segment].to += values[cell.slot + to]
                    totals[cell.segment].from += values[cell.slot + from]
                } else if hasFrom || hasTo {
                    totals[cell.segment].unmatchedCells += 1
                }
            }
        }
        return bySegment
    }

    /// The sum of the step totals of the segments where `included` is true (all when nil), in segment order.
    public static func combine(_ bySegment: [StepTotals], included: [Bool]? = nil) -> StepTotals {
        var total = StepTotals()
        for segment in bySegment.indices where included?[segment] ?? true { total.merge(bySegment[segment]) }
        return total
    }

    /// The sum of the totals of `segments` (all when nil), added in segment order so the same data always gives
    /// the same last digit (a dictionary's order changes from run to run, and floating-point addition is not associative).
    public static func combine(_ bySegment: [Int: MatchedTotals], segments: Set<Int>? = nil) -> MatchedTotals {
        var total = MatchedTotals()
        for segment in bySegment.keys.sorted() where segments?.contains(segment) ?? true { total.merge(bySegment[segment]!) }
        return total
    }

    /// Segments with at least one matched cell.
    public static func matchedSegments(_ bySegment: [Int: MatchedTotals]) -> Set<Int> {
        Set(bySegment.filter { $0.value.matchedCells > 0 }.keys)
    }

    /// The metric's value from matched totals: `(numerator − subtract) / denominator` for a rate (a money rate
    /// converted at each day's rate when currencies differ), a base metric's total divided by its days with data.
    /// `convertMoney` gives every amount in the reporting currency (for a KPI whose currency is the reporting one).
    public static func value(of totals: MatchedTotals, metric: MetricDefinition, rates: ExchangeRates, convertMoney: Bool = false) -> MeasuredValue {
        var measured = MeasuredValue(value: nil, currency: nil, top: nil, bottom: nil, coverage: nil,
                                     daysWithData: totals.days.count, problem: nil, daysWithoutRate: [])
        guard totals.matchedCells > 0 else { return measured }
        // Money rates with currencies on both sides (roas, acos, tacos) need one currency across both.
        let formula = metric.formula
        let bothMoney = !totals.numerator.byCurrency.keys.contains("") && !(totals.denominator.isEmpty || totals.denominator.byCurrency.keys.contains(""))
        let needsConversion = convertMoney || (bothMoney && formula != nil
            && Set(totals.numerator.byCurrency.keys).union(totals.denominator.byCurrency.keys).count > 1)
        func resolve(_ total: AmountTotal, _ key: String) -> (Double, String?)? {
            switch total.resolved(rates: rates, convert: needsConversion) {
            case .success(let result): return (result.value, result.currency)
            case .failure(let problem):
                measured.problem = problem.message(metric: key)
                measured.daysWithoutRate = problem.days
                return nil
            }
        }
        guard let (numerator, numeratorCurrency) = resolve(totals.numerator, formula?.numerator ?? metric.key) else { return measured }
        // Coverage: matched over observed denominator, in one currency (converted when mixed).
        if let observed = try? totals.denominatorObserved.resolved(rates: rates, convert: totals.denominatorObserved.isMixed).get(),
           let matched = try? (formula == nil ? totals.numerator : totals.denominator).resolved(rates: rates, convert: totals.denominatorObserved.isMixed).get() {
            measured.coverage = observed.value > 0 ? min(1, matched.value / observed.value) : 1
        }
        guard let formula else {
            measured.value = numerator / Double(totals.days.count)
            measured.currency = numeratorCurrency
            measured.top = numerator
            return measured
        }
        var minus: Double?
        if let subtract = formula.subtract {
            guard let (amount, _) = resolve(totals.subtract, subtract) else { return measured }
            minus = amount
        }
        guard let (denominator, _) = resolve(totals.denominator, formula.denominator) else { return measured }
        let top = MetricFormula.top(numerator: numerator, subtract: minus)
        measured.top = top
        measured.bottom = denominator
        guard let value = MetricFormula.value(numerator: numerator, subtract: minus, denominator: denominator) else {
            measured.problem = "\(formula.denominator) is 0 on the matched cells"
            return measured
        }
        measured.value = value
        measured.currency = metric.unit == .currency ? numeratorCurrency : nil
        return measured
    }
}

/// A set of days (ordinals) kept as a sorted array: cells arrive in day order, so adding is an append, and a union is
/// a merge; no hashing.
public struct DaySet: Sendable, Equatable {
    public private(set) var sorted: [Int] = []

    public init() {}

    /// The number of days.
    public var count: Int { sorted.count }

    /// Adds a day (an append when it is after every day already in).
    public mutating func insert(_ day: Int) {
        guard let last = sorted.last, day <= last else { sorted.append(day); return }
        if day == last { return }
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < day { low = middle + 1 } else { high = middle }
        }
        if sorted[low] != day { sorted.insert(day, at: low) }
    }

    /// Adds every day of another set.
    public mutating func formUnion(_ other: DaySet) {
        if other.sorted.isEmpty { return }
        if sorted.isEmpty { sorted = other.sorted; return }
        if let last = sorted.last, let first = other.sorted.first, last < first { sorted += other.sorted; return }
        // Most often every day of `other` is already here (segments report the same days): checked without allocating.
        var k = 0
        var contained = true
        for day in other.sorted {
            while k < sorted.count && sorted[k] < day { k += 1 }
            if k == sorted.count || sorted[k] != day { contained = false; break }
        }
        if contained { return }
        var merged: [Int] = []
        merged.reserveCapacity(sorted.count + other.sorted.count)
        var i = 0, j = 0
        while i < sorted.count || j < other.sorted.count {
            let next: Int
            if j == other.sorted.count || (i < sorted.count && sorted[i] <= other.sorted[j]) { next = sorted[i]; i += 1 } else { next = other.sorted[j]; j += 1 }
            if merged.last != next { merged.append(next) }
        }
        sorted = merged
    }
}
