@testable import LinkStarCore
import Testing

@Suite("Metric catalog")
struct MetricCatalogTests {
    let catalog = Dictionary(uniqueKeysWithValues: MetricCatalog.all.map { ($0.key, $0) })

    @Test("a metric key is validated as the rule says, whether or not the text is already a key")
    func metricKeysAgreeWithTheRule() {
        var random = SeededGenerator(seed: 19)
        let alphabet = Array("az09_Z -\t.éß\u{200B}ordersclicks")
        var texts = ["orders", "a", "ab", "a1", "1a", "_a", "a_", "Orders", " orders", "orders ", "ord ers", "",
                     String(repeating: "a", count: 40), String(repeating: "a", count: 41), "ordérs", "orders\u{200B}"]
        for _ in 0..<3_000 { texts.append(String((0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet.randomElement(using: &random)! })) }
        for text in texts {
            #expect((try? MetricKey.validate(text, field: "f")) == (try? MetricKey.validatedByRule(text, field: "f")), "\(text.debugDescription)")
        }
        #expect(MetricKey.isKey("orders".utf8) && !MetricKey.isKey("Orders".utf8) && !MetricKey.isKey("a".utf8))
    }

    @Test("has every base and derived metric the method names")
    func completeness() {
        let base = ["impressions", "clicks", "sessions", "bounced_sessions", "page_views", "product_views", "add_to_cart", "checkouts",
                    "orders", "revenue", "ad_spend", "ad_sales", "ad_orders", "customers", "repeat_customers", "refunds", "email_sends",
                    "email_clicks"]
        let derived = ["ctr", "bounce_rate", "visit_to_cart_rate", "cart_to_checkout_rate", "checkout_to_order_rate",
                       "conversion_rate", "cart_abandonment_rate", "aov", "roas", "acos", "tacos", "blended_roas", "cpc", "cpa",
                       "repeat_purchase_rate", "refund_rate", "email_ctr"]
        #expect(MetricCatalog.baseMetrics.map(\.key).sorted() == base.sorted())
        #expect(MetricCatalog.derivedMetrics.map(\.key).sorted() == derived.sorted())
        #expect(Set(MetricCatalog.all.map(\.key)).count == MetricCatalog.all.count)
        #expect(MetricCatalog.loopMetrics.allSatisfy { $0.source == .workspace && $0.layer == .feedback })
    }

    @Test("ad metrics as sellers define them: roas and acos over attributed sales, tacos and blended_roas over store revenue")
    func adMetrics() {
        #expect(catalog["roas"]?.formula == MetricFormula(numerator: "ad_sales", denominator: "ad_spend"))
        #expect(catalog["acos"]?.formula == MetricFormula(numerator: "ad_spend", denominator: "ad_sales"))
        #expect(catalog["tacos"]?.formula == MetricFormula(numerator: "ad_spend", denominator: "revenue"))
        #expect(catalog["blended_roas"]?.formula == MetricFormula(numerator: "revenue", denominator: "ad_spend"))
        #expect(catalog["cpc"]?.formula == MetricFormula(numerator: "ad_spend", denominator: "clicks"))
        #expect(catalog["cpa"]?.formula == MetricFormula(numerator: "ad_spend", denominator: "ad_orders"))
        #expect(catalog["cpc"]?.unit == .currency)
        #expect(catalog["page_views"]?.isFunnelStage == false)
        #expect(catalog["product_views"]?.isFunnelStage == true)
    }

    @Test("every derived metric is a formula over base metrics, and resolves like a custom one would")
    func formulas() throws {
        let baseOnly = Dictionary(uniqueKeysWithValues: MetricCatalog.baseMetrics.map { ($0.key, $0) })
        for metric in MetricCatalog.derivedMetrics {
            let formula = try #require(metric.formula)
            for part in formula.parts { #expect(baseOnly[part] != nil, "\(metric.key) uses \(part)") }
            let resolved = try NewMetric(key: metric.key, definition: metric.definition, direction: metric.direction,
                                         layer: metric.layer, formula: formula,
                                         unbounded: metric.upperBound == nil).resolve(in: baseOnly)
            #expect(resolved.unit == metric.unit, "\(metric.key) unit")
            #expect(resolved.upperBound == metric.upperBound, "\(metric.key) bound")
        }
    }

    @Test("directions and units where the method is explicit")
    func directions() {
        for key in ["bounce_rate", "cart_abandonment_rate", "acos", "refund_rate"] {
            #expect(catalog[key]?.direction == .down, "\(key)")
        }
        #expect(catalog["conversion_rate"]?.formula == MetricFormula(numerator: "orders", denominator: "sessions"))
        #expect(catalog["cart_abandonment_rate"]?.formula?.description == "(add_to_cart - orders) / add_to_cart")
        #expect(catalog["aov"]?.unit == .currency)
        #expect(catalog["revenue"]?.unit == .currency)
        #expect(catalog["roas"]?.upperBound == nil)
        #expect(catalog["ctr"]?.upperBound == 1)
    }

    @Test("a rate target outside 0...1 is refused, with a hint for percentages")
    func valueRanges() throws {
        let ctr = try #require(catalog["ctr"])
        #expect(throws: Never.self) { try ctr.validateValue(0.035, field: "target") }
        let error = #expect(throws: LinkStarError.self) { try ctr.validateValue(3.5, field: "target") }
        #expect(error?.message.contains("0.035") == true)
        #expect(error?.details.first?.field == "target")
        #expect(throws: LinkStarError.self) { try ctr.validateValue(-0.1, field: "target") }
        #expect(throws: LinkStarError.self) { try ctr.validateValue(.nan, field: "target") }
        #expect(throws: Never.self) { try catalog["roas"]!.validateValue(4.2, field: "target") }
    }

    @Test("formula parsing")
    func formulaParsing() throws {
        #expect(try MetricFormula(parsing: "orders / sessions") == MetricFormula(numerator: "orders", denominator: "sessions"))
        #expect(try MetricFormula(parsing: "(add_to_cart - orders)/add_to_cart").subtract == "orders")
        for bad in ["orders", "orders / ", "a - b / c", "orders * 2 / sessions", "(a - b - c) / d", "Orders / Sessions"] {
            #expect(throws: LinkStarError.self, "\(bad)") { try MetricFormula(parsing: bad) }
        }
    }

    @Test("custom metrics follow the catalog's rules")
    func customMetrics() throws {
        let live = try NewMetric(key: "live_viewers", definition: "TikTok live unique viewers", unit: .count,
                                 direction: .up, layer: .traffic).resolve(in: catalog)
        #expect(!live.isDerived)
        var withLive = catalog
        withLive["live_viewers"] = live
        let liveCTR = try NewMetric(key: "live_ctr", definition: "clicks per live viewer", direction: .up, layer: .traffic,
                                    formula: MetricFormula(parsing: "clicks / live_viewers")).resolve(in: withLive)
        #expect(liveCTR.unit == .ratio)
        #expect(liveCTR.upperBound == 1)

        func refusal(_ input: NewMetric) -> LinkStarError? {
            #expect(throws: LinkStarError.self) { try input.resolve(in: withLive) }
        }
        // A ratio's parts must exist (with a suggestion).
        #expect(refusal(NewMetric(key: "x_rate", definition: "d", direction: .up, layer: .traffic,
                                  formula: MetricFormula(numerator: "clickz", denominator: "sessions")))?.kind == .notFound)
        // Parts must be base metrics.
        #expect(refusal(NewMetric(key: "x_rate", definition: "d", direction: .up, layer: .traffic,
                                  formula: MetricFormula(numerator: "orders", denominator: "ctr")))?.kind == .invalid)
        // A ratio is never observed directly.
        #expect(refusal(NewMetric(key: "x_rate", definition: "d", unit: .ratio, direction: .up, layer: .traffic))?.kind == .invalid)
        // count / currency has no meaning here.
        #expect(refusal(NewMetric(key: "x_rate", definition: "d", direction: .up, layer: .traffic,
                                  formula: MetricFormula(numerator: "orders", denominator: "revenue")))?.kind == .invalid)
        // An existing key conflicts; a definition is required.
        #expect(refusal(NewMetric(key: "ctr", definition: "d", unit: .count, direction: .up, layer: .traffic))?.kind == .conflict)
        #expect(refusal(NewMetric(key: "y", definition: "d", unit: .count, direction: .up, layer: .traffic))?.kind == .invalid)
        #expect(refusal(NewMetric(key: "yy", definition: " ", unit: .count, direction: .up, layer: .traffic))?.kind == .invalid)
        // currency / count is a currency (like aov).
        let perOrder = try NewMetric(key: "spend_per_order", definition: "d", direction: .down, layer: .traffic,
                                     formula: MetricFormula(numerator: "ad_spend", denominator: "orders")).resolve(in: withLive)
        #expect(perOrder.unit == .currency)
    }
}

@Suite("KPI status rule")
struct KPIStatusRuleTests {
    let period = try! DayRange(parsing: "2026-09")

    func status(_ current: Double?, baseline: Double? = 0.5, target: Double?, band: WarningBand? = nil,
                _ direction: MetricDirection) -> KPIStatus {
        KPIStatusRule.status(current: current, baseline: baseline.map { Baseline(value: $0, period: period) },
                             target: target, band: band, direction: direction)
    }

    @Test("up is good")
    func upIsGood() {
        #expect(status(0.70, target: 0.68, band: .absolute(0.03), .up) == .onTrack)
        #expect(status(0.68, target: 0.68, band: .absolute(0.03), .up) == .onTrack)
        #expect(status(0.66, target: 0.68, band: .absolute(0.03), .up) == .atRisk)
        #expect(status(0.65, target: 0.68, band: .absolute(0.03), .up) == .atRisk)
        #expect(status(0.64, target: 0.68, band: .absolute(0.03), .up) == .offTrack)
    }

    @Test("down is good")
    func downIsGood() {
        #expect(status(0.03, target: 0.035, band: .absolute(0.005), .down) == .onTrack)
        #expect(status(0.039, target: 0.035, band: .absolute(0.005), .down) == .atRisk)
        #expect(status(0.05, target: 0.035, band: .absolute(0.005), .down) == .offTrack)
    }

    @Test("relative band is a share of the target; default 10%")
    func relativeBand() {
        #expect(status(46_000, baseline: 42_000, target: 50_000, band: .relative(0.1), .up) == .atRisk)
        #expect(status(44_000, baseline: 42_000, target: 50_000, band: .relative(0.1), .up) == .offTrack)
        #expect(status(45_000, baseline: 42_000, target: 50_000, band: nil, .up) == .atRisk)
    }

    @Test("no baseline and no data are flagged before anything else")
    func flags() {
        #expect(status(0.9, baseline: nil, target: 0.5, .up) == .noBaseline)
        #expect(status(nil, target: 0.5, .up) == .noData)
        #expect(status(.nan, target: 0.5, .up) == .noData)
    }

    @Test("without a target the baseline is the reference")
    func baselineReference() {
        #expect(status(0.52, baseline: 0.5, target: nil, .up) == .onTrack)
        #expect(status(0.47, baseline: 0.5, target: nil, .up) == .atRisk)
        #expect(status(0.40, baseline: 0.5, target: nil, .up) == .offTrack)
    }

    @Test("warning bands parse")
    func bands() throws {
        #expect(try WarningBand(parsing: "10%") == .relative(0.1))
        #expect(try WarningBand(parsing: "0.005") == .absolute(0.005))
        for bad in ["-1", "150%", "abc", "%"] { #expect(throws: LinkStarError.self) { try WarningBand(parsing: bad) } }
        #expect(try NumberInput.parse("3.5%", field: "t") == 0.035)
        #expect(try NumberInput.parse("1,234", field: "t") == 1234)
        #expect(throws: LinkStarError.self) { try NumberInput.parse("12abc", field: "t") }
    }

    @Test("KPI values are checked against the metric")
    func specValidation() throws {
        let ctr = MetricCatalog.all.first { $0.key == "ctr" }!
        let bad = KPISpec(metric: "ctr", target: 2.2)
        #expect(throws: LinkStarError.self) { try bad.validate(against: ctr) }
        let badBaseline = KPISpec(metric: "ctr", baseline: Baseline(value: 1.8, period: period))
        #expect(throws: LinkStarError.self) { try badBaseline.validate(against: ctr) }
        let wideBand = KPISpec(metric: "ctr", target: 0.02, warningBand: .absolute(2))
        #expect(throws: LinkStarError.self) { try wideBand.validate(against: ctr) }
        #expect(throws: Never.self) { try KPISpec(metric: "ctr", target: 0.022).validate(against: ctr) }
    }
}
