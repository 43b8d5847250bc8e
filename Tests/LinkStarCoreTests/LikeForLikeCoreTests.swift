import LinkStarCore
import Testing

@Suite("Like-for-like and dated rates (Core)")
struct LikeForLikeCoreTests {
    let d = { (text: String) in try! Day(parsing: text) }

    @Test("a table keeps its segments in segment order as they are added, in any order, mostly ascending or not")
    func segmentsInOrderAsAdded() throws {
        var random = SeededGenerator(seed: 29)
        let channels = ["a", "a-b", "a.b", "ab", "amazon", "shopee", "shopee-x", "z"], markets = ["MY", "MYS", "SG", "US"]
        let devices = ["all", "app", "desktop", "mobile"]
        var all: [Segment] = []
        for c in channels { for m in markets { for d in devices { all.append(try Segment(channel: c, market: m, device: d)) } } }
        for round in 0..<40 {
            // Half the rounds add in ascending order with a few out of place (how readers add them), half shuffled.
            var order = round % 2 == 0 ? all.sorted() : all.shuffled(using: &random)
            if round % 2 == 0 { for _ in 0..<5 { order.swapAt(Int.random(in: 0..<order.count, using: &random), Int.random(in: 0..<order.count, using: &random)) } }
            var table = CellTable(metrics: ["orders"])
            for segment in order.prefix(Int.random(in: 0...order.count, using: &random)) {
                table.add(segment: segment, day: 1, metric: "orders", value: 1, currency: nil)
                table.add(segment: segment, day: 2, metric: "orders", value: 1, currency: nil)  // a known segment again
            }
            #expect(table.segmentsInOrder == table.segments.indices.sorted { table.segments[$0] < table.segments[$1] })
        }
    }

    @Test("replacing a day's values says which metrics changed: another value bit for bit, another currency, observed or not")
    func replacedValuesNameTheirMetrics() throws {
        // Given two segments' cells on day 1 over five metrics, and a cell on day 2.
        var table = CellTable(metrics: ["a", "b", "c", "d", "e"])
        let x = try Segment(parsing: "amazon/US/mobile"), y = try Segment(parsing: "shopee/MY/app")
        for (segment, metric, value, currency) in [(x, "a", 1.0, nil), (x, "b", 2.0, nil), (x, "c", 0.0, nil), (y, "e", 5.0, "MYR"),
                                                   (y, "a", 7.0, nil)] as [(Segment, String, Double, String?)] {
            table.add(segment: segment, day: 1, metric: metric, value: value, currency: currency)
        }
        table.add(segment: x, day: 2, metric: "d", value: 9, currency: nil)
        let sx = table.position(of: x), sy = table.position(of: y)
        let sgd = table.currencyCode("SGD")

        // When: a the same, b another value, c -0.0 for 0.0, d observed where it was not, e in another currency.
        var changed = table.replaceValues(ofCells: 0..<2, with: [
            (sx, [(0, 1.0, 0), (1, 2.5, 0), (2, -0.0, 0), (3, 4.0, 0)]),
            (sy, [(0, 7.0, 0), (4, 5.0, sgd)]),
        ])
        // Then: every metric but a changed; only d is reported where it was not; day 2 is untouched.
        #expect(changed == [false, true, true, true, true])
        var presence: [Bool] = []
        _ = table.replaceValues(ofCells: 0..<2, with: [(sx, [(0, 1.0, 0), (1, 2.0, 0), (2, 0.0, 0)]), (sy, [(0, 7.0, 0), (4, 5.0, 1)])])
        #expect(table.replaceValues(ofCells: 0..<2, with: [
            (sx, [(0, 1.0, 0), (1, 2.5, 0), (2, -0.0, 0), (3, 4.0, 0)]),
            (sy, [(0, 7.0, 0), (4, 5.0, sgd)]),
        ], presenceChanged: &presence) == [false, true, true, true, true])
        #expect(presence == [false, false, false, true, false])
        #expect(table.value(table.cells[2], 3) == 9)

        // A replacement with the same values changes nothing; one that drops a value changes its metric.
        changed = table.replaceValues(ofCells: 0..<2, with: [(sx, [(0, 1.0, 0), (1, 2.5, 0), (2, -0.0, 0), (3, 4.0, 0)]), (sy, [(0, 7.0, 0), (4, 5.0, sgd)])])
        #expect(changed == [false, false, false, false, false])
        presence = []
        changed = table.replaceValues(ofCells: 0..<2, with: [(sx, [(0, 1.0, 0), (1, 2.5, 0), (2, -0.0, 0)]), (sy, [(0, 7.0, 0), (4, 5.0, sgd)])],
                                      presenceChanged: &presence)
        #expect(changed == [false, false, false, true, false])
        #expect(presence == [false, false, false, true, false])

        // Other segments, or another number of cells: refused, nothing changed.
        #expect(table.replaceValues(ofCells: 0..<2, with: [(sy, []), (sx, [])]) == nil)
        #expect(table.replaceValues(ofCells: 0..<2, with: [(sx, [])]) == nil)
        #expect(table.value(table.cells[0], 1) == 2.5)
    }

    @Test("a rate applies from its day until the next one; none before the first; the reporting currency is 1")
    func ratesByDay() {
        let rates = ExchangeRates(reportingCurrency: "USD", rates: [
            .init(currency: "MYR", from: d("2026-10-15"), rate: 0.25), .init(currency: "MYR", from: d("2026-06-01"), rate: 0.20),
        ])
        #expect(rates.rate("MYR", on: d("2026-05-31")) == nil)
        #expect(rates.rate("MYR", on: d("2026-06-01")) == 0.20)
        #expect(rates.rate("MYR", on: d("2026-10-14")) == 0.20)
        #expect(rates.rate("MYR", on: d("2026-10-15")) == 0.25)
        #expect(rates.rate("MYR", on: Day.lastSupported) == 0.25)
        #expect(rates.rate("USD", on: Day.firstSupported) == 1)
        #expect(rates.rate("SGD", on: d("2026-10-15")) == nil)
        #expect(ExchangeRates.none.rate("USD", on: d("2026-10-15")) == nil)
    }

    @Test("one currency stays as is; several convert day by day or name the days without a rate")
    func amounts() throws {
        let rates = ExchangeRates(reportingCurrency: "USD", rates: [.init(currency: "MYR", from: d("2026-11-02"), rate: 0.25)])
        var total = AmountTotal()
        total.add(100, currency: "MYR", day: d("2026-11-02"), rates: rates)
        #expect(try total.resolved(rates: rates).get().value == 100)
        #expect(try total.resolved(rates: rates).get().currency == "MYR")
        total.add(10, currency: "USD", day: d("2026-11-01"), rates: rates)
        #expect(try total.resolved(rates: rates).get().value == 35)
        total.add(100, currency: "MYR", day: d("2026-11-01"), rates: rates)
        #expect(throws: AmountProblem.missingRates(currencies: ["MYR", "USD"], days: [d("2026-11-01")])) { try total.resolved(rates: rates).get() }
        #expect(throws: AmountProblem.noReportingCurrency(currencies: ["MYR", "USD"])) { try total.resolved(rates: .none).get() }
    }

    @Test("a rate counts only cells with both parts; coverage is the share of the denominator that did")
    func matchedCells() throws {
        var table = CellTable(metrics: ["checkouts", "orders"])
        let a = try Segment(parsing: "shopify/US/all"), b = try Segment(parsing: "amazon/US/all")
        table.add(segment: a, day: 1, metric: "checkouts", value: 60, currency: nil)
        table.add(segment: a, day: 1, metric: "orders", value: 30, currency: nil)
        table.add(segment: a, day: 2, metric: "checkouts", value: 40, currency: nil)          // orders missing
        table.add(segment: b, day: 1, metric: "orders", value: 500, currency: nil)            // no checkouts at all
        let metric = try #require(MetricCatalog.all.first { $0.key == "checkout_to_order_rate" })
        let formula = try #require(CellFormula(metric, in: table))
        let window = try DayRange(from: Day(ordinal: 0), to: Day(ordinal: 5))
        let bySegment = LikeForLike.totalsBySegment(table, formula: formula, window: window, rates: .none)
        let value = LikeForLike.value(of: LikeForLike.combine(bySegment), metric: metric, rates: .none)
        #expect(value.value == 0.5)
        #expect(value.coverage == 0.6)
        #expect(LikeForLike.isPartial(coverage: value.coverage, threshold: LikeForLike.defaultCoverageThreshold))
        #expect(LikeForLike.matchedSegments(bySegment) == [0])
    }

    @Test("a day set holds each day once, in order, however days are inserted and sets are joined (against Set)")
    func daySetAgreesWithSet() {
        var random = SeededGenerator(seed: 31)
        for _ in 0..<500 {
            func randomDays() -> [Int] {
                let start = Int.random(in: -3...3, using: &random)
                return (0..<Int.random(in: 0...12, using: &random)).map { _ in start + Int.random(in: 0...15, using: &random) }
            }
            let a = randomDays(), b = randomDays()
            var left = DaySet(), right = DaySet()
            a.forEach { left.insert($0) }
            b.forEach { right.insert($0) }
            #expect(left.sorted == Set(a).sorted() && left.count == Set(a).count)
            left.formUnion(right)
            #expect(left.sorted == Set(a).union(b).sorted(), "\(a) ∪ \(b)")
        }
    }

    @Test("a step's totals equal the general matched totals, and stage sums and reporting segments a plain walk, on 300 random tables")
    func stepTotalsAgreeWithMatchedTotals() throws {
        var random = SeededGenerator(seed: 47)
        let metrics = ["checkouts", "orders", "refunds"]
        let segments = try ["amazon/US/all", "shopee/MY/mobile", "lazada/TH/desktop", "tiktok/SG/all"].map { try Segment(parsing: $0) }
        for round in 0..<300 {
            // Given cells with holes: each segment and day reports each metric or not, with fractional values too.
            var table = CellTable(metrics: metrics)
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                let value = Bool.random(using: &random) ? Double(Int.random(in: 0...500, using: &random)) : random.uniform() * 1e6
                table.add(segment: segments.randomElement(using: &random)!, day: Int.random(in: -5...20, using: &random),
                          metric: metrics.randomElement(using: &random)!, value: value, currency: nil)
            }
            let from = Int.random(in: -6...10, using: &random)
            let window = try DayRange(from: Day(ordinal: from), to: Day(ordinal: from + Int.random(in: 0...12, using: &random)))
            // When a step is summed both ways, then its totals agree to the last digit.
            for (f, t) in [(0, 1), (1, 2), (0, 2), (2, 0)] {
                let steps = LikeForLike.stepTotalsBySegment(table, from: f, to: t, window: window)
                let general = LikeForLike.totalsBySegment(table, formula: CellFormula(numerator: t, denominator: f), window: window, rates: .none)
                #expect(steps.count == table.segments.count)
                for (s, step) in steps.enumerated() {
                    let matched = general[s] ?? MatchedTotals()
                    #expect(step.from == matched.denominator.sum && step.to == matched.numerator.sum, "round \(round)")
                    #expect(step.fromObserved == matched.denominatorObserved.sum, "round \(round)")
                    #expect(step.matchedCells == matched.matchedCells && step.unmatchedCells == matched.unmatchedCells, "round \(round)")
                }
                let included = steps.indices.map { _ in Bool.random(using: &random) }
                let combined = LikeForLike.combine(steps, included: included)
                let generalCombined = LikeForLike.combine(general, segments: Set(included.indices.filter { included[$0] }))
                #expect(combined.from == generalCombined.denominator.sum && combined.to == generalCombined.numerator.sum, "round \(round)")
                #expect(combined.fromObserved == generalCombined.denominatorObserved.sum, "round \(round)")
            }
            // And each metric's sum over the window, and the segments reporting any of them, equal a plain walk.
            let inWindow = table.cells.filter { $0.day >= window.from.ordinal && $0.day <= window.to.ordinal }
            let sums = table.sums(in: window)
            for m in metrics.indices {
                var expected: Double?
                for cell in inWindow { if let value = table.value(cell, m) { expected = (expected ?? 0) + value } }
                #expect(sums[m] == expected, "round \(round) metric \(m)")
            }
            let reporting = table.segmentsReporting([0, 2], in: window)
            for s in table.segments.indices {
                #expect(reporting[s] == inWindow.contains { $0.segment == s && (table.isObserved($0, 0) || table.isObserved($0, 2)) })
            }
        }
    }

    @Test("a window's cells: the binary-searched run holds exactly the cells in the window, with days in order or not")
    func windowPositions() throws {
        var random = SeededGenerator(seed: 29)
        for round in 0..<200 {
            var table = CellTable(metrics: ["sessions", "orders"])
            let ascending = round % 3 != 0
            var day = 20_000
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                day = ascending ? day + Int.random(in: 0...3, using: &random) : 20_000 + Int.random(in: 0...60, using: &random)
                let segment = table.position(of: try Segment(channel: ["shopee", "lazada"].randomElement(using: &random)!, market: "MY", device: "all"))
                table.add(segment: segment, day: day, metric: 0, value: 1, currency: nil)
            }
            let from = 20_000 + Int.random(in: -5...70, using: &random)
            let window = try DayRange(from: Day(ordinal: from), to: Day(ordinal: from + Int.random(in: 0...30, using: &random)))
            let expected = table.cells.indices.filter { window.from.ordinal <= table.cells[$0].day && table.cells[$0].day <= window.to.ordinal }
            let found = table.positions(in: window).filter { window.from.ordinal <= table.cells[$0].day && table.cells[$0].day <= window.to.ordinal }
            #expect(found == expected, "round \(round)")
        }
    }
}
