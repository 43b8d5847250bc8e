import LinkStarCore
import Testing

@Suite("Like-for-like and dated rates (Core)")
struct LikeForLikeCoreTests {
    let d = { (text: String) in try! Day(parsing: text) }

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
}
