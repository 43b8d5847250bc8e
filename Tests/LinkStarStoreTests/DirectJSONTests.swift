import Foundation
@testable import LinkStarCore
@testable import LinkStarStore
import Testing

/// The reports whose members are written directly (`JSONMembers`) give the bytes the tree gives through their
/// `encode(to:)`, in both languages; the encoder's compact output for every report is the tree's.
@Suite("Direct JSON: the API's reports")
struct DirectJSONTests {
    /// `value`'s compact text from its members directly when it has them (`JSONMembers`), and from the encoder: each
    /// the tree's bytes (built through `encode(to:)`), in both languages.
    static func check<T: Encodable>(_ value: T, _ label: String) throws {
        for language in [Language.en, .zh] {
            let userInfo: [CodingUserInfoKey: Any] = language == .en ? [:] : [.language: language]
            let state = JSONTreeState(userInfo: userInfo)
            var tree = JSONTreeWriter(pretty: false)
            tree.write(try state.node(value, path: []), indent: 0)
            if let members = value as? any JSONMembers {
                let direct = LinkStarJSONEncoder.direct(members, language: language)
                #expect(direct.map { String(decoding: $0, as: UTF8.self) } == String(decoding: tree.bytes, as: UTF8.self), "\(label) in \(language): members")
            }
            #expect(try LinkStarJSON.encoder(pretty: false, language: language).encode(value) == Data(tree.bytes), "\(label) in \(language)")
        }
    }

    @Test("funnel reports of every shape: their members written directly are the tree's bytes", arguments: 1...4)
    func randomFunnelReports(seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(seed) * 104_729)
        func number() -> Double {
            [0, -0.0, 1, 0.1, 1e21, 5e-324, -2.5, 123_456_789.125, Double.random(in: -1...1, using: &random) * 1e6][Int.random(in: 0..<9, using: &random)]
        }
        func maybe<T>(_ make: () -> T) -> T? { Bool.random(using: &random) ? make() : nil }
        func text() -> String { ["orders", "q\"\\/\n\t\u{01}é中\u{2028}", "", "lin.wei", "阿明"][Int.random(in: 0..<5, using: &random)] }
        func segment() -> Segment { try! Segment(parsing: ["amazon/US/mobile", "shopee/MY/app", "lazada/TH/*", "*/*/*"][Int.random(in: 0..<4, using: &random)]) }
        func message() -> Message {
            Bool.random(using: &random) ? Message(verbatim: text())
                : "\(metric: "orders") exceeds \(metric: "checkouts") on the cells that report both (\("103.2")%): a definition problem, not a rate; see data check"
        }
        func step() -> FunnelStep {
            FunnelStep(fromMetric: text(), toMetric: text(), rateMetric: maybe(text), layer: LayerKey.allCases.randomElement(using: &random)!,
                       owner: maybe(text), direction: MetricDirection.allCases.randomElement(using: &random)!, fromVolume: number(),
                       toVolume: number(), rate: maybe(number), coverage: maybe(number), partial: Bool.random(using: &random),
                       leftOut: (0..<Int.random(in: 0...3, using: &random)).map { _ in segment() }, problem: maybe(message),
                       comparableRate: maybe(number), compareRate: maybe(number), change: maybe(number), relativeChange: maybe(number),
                       pValue: maybe(number))
        }
        func revenue() -> FunnelRevenue { FunnelRevenue(currency: text(), revenue: number(), compareRevenue: maybe(number), aov: maybe(number)) }
        for round in 0..<60 {
            let day = try Day(parsing: "2026-11-01").adding(days: Int.random(in: -400...400, using: &random))
            let report = FunnelReport(
                from: day, to: day.adding(days: 29), compare: Comparison.allCases.randomElement(using: &random)!,
                compareFrom: maybe { day.adding(days: -30) }, compareTo: maybe { day.adding(days: -1) }, segment: segment(),
                stages: (0..<Int.random(in: 0...7, using: &random)).map { _ in FunnelStage(metric: text(), volume: number(), compareVolume: maybe(number)) },
                steps: (0..<Int.random(in: 0...6, using: &random)).map { _ in step() }, retention: (0..<Int.random(in: 0...2, using: &random)).map { _ in step() },
                bottleneck: maybe {
                    FunnelBottleneck(fromMetric: text(), toMetric: text(), rateMetric: maybe(text), layer: .conversion, owner: maybe(text), rate: maybe(number),
                                     compareRate: maybe(number), change: maybe(number), relativeChange: maybe(number), pValue: maybe(number),
                                     significant: Bool.random(using: &random),
                                     segments: (0..<Int.random(in: 0...5, using: &random)).map { _ in
                                         BottleneckSegment(segment: segment(), fromVolume: number(), rate: maybe(number), compareRate: maybe(number),
                                                           relativeChange: maybe(number))
                                     })
                },
                revenue: (0..<Int.random(in: 0...3, using: &random)).map { _ in revenue() }, revenueTotal: maybe(revenue),
                coverageThreshold: number(), newSegments: (0..<Int.random(in: 0...2, using: &random)).map { _ in segment() },
                goneSegments: (0..<Int.random(in: 0...2, using: &random)).map { _ in segment() },
                notes: (0..<Int.random(in: 0...3, using: &random)).map { _ in message() })
            try Self.check(report, "seed \(seed), round \(round)")
        }
        // A number that is not finite: the direct path steps aside, and the encoder reports where it was.
        var bad = FunnelReport(from: try Day(parsing: "2026-11-01"), to: try Day(parsing: "2026-11-30"), compare: .previous, compareFrom: nil, compareTo: nil,
                               segment: .all, stages: [FunnelStage(metric: "orders", volume: .nan, compareVolume: nil)], steps: [], retention: [],
                               bottleneck: nil, revenue: [], revenueTotal: nil, coverageThreshold: 0.8, newSegments: [], goneSegments: [], notes: [])
        #expect(LinkStarJSONEncoder.direct(bad, language: .en) == nil)
        let error = try #require(throws: EncodingError.self) { try LinkStarJSON.encoder(pretty: false).encode(bad) }
        guard case .invalidValue(_, let context) = error else { Issue.record("\(error)"); return }
        #expect(context.codingPath.map(\.stringValue) == ["stages", "volume"])
        bad.stages = []
        #expect(LinkStarJSONEncoder.direct(bad, language: .en) != nil)
    }

    @Test("import summaries (problems, notes, days, no days) and their audit entries: their members written directly are the tree's bytes")
    func importSummaries() async throws {
        let database = try await Fixture.workspace()
        let good = "date,channel,market,device,metric,value,currency\n2026-08-03,shopee,MY,mobile,sessions,100,\n2026-08-04,amazon,US,app,revenue,12.5,USD\n"
        let bad = good + "2026-13-01,shopee,MY,mobile,sessions,1,\nnot a date,\"q\"\"uote\",MY,mobile,orders,-1,\n"
        for (name, text) in [("good.csv", good), ("bad \"中\".csv", bad), ("good-again.csv", good)] {
            let summary = try database.importObservations(from: MemoryByteSource(text), request: ImportRequest(fileName: name, skipInvalid: true),
                                                          actor: "importer")
            try Self.check(summary, name)
            try Self.check(ImportAuditSnapshot(summary), "\(name): audit")
            for problem in summary.problems { try Self.check(problem, "\(name): \(problem)") }
            if name.hasPrefix("bad") { #expect(summary.problemCount >= 2 && !summary.problems.isEmpty) }
        }
        let api = try database.importObservations([ObservationInput(date: "2026-08-05", channel: "lazada", market: "TH", device: "all",
                                                                    metric: "orders", value: 3)], actor: "api")
        try Self.check(api, "an API batch")
        try Self.check(LinkStarError.Detail(field: "observations[0].value", message: "must be a number"), "a field's problem")
    }

    @Test("an import's overrides as import_batch.options_json keeps them: the bytes the dictionary it replaced gave")
    func importOptions() throws {
        for overrides in [ImportOverrides(), ImportOverrides(channel: "shopee", market: "MY"),
                          ImportOverrides(channel: "a\"b", market: "中", device: "mobile", currency: "USD")] {
            try Self.check(overrides, "\(overrides)")
            let dictionary: [String: String?] = ["channel": overrides.channel, "market": overrides.market, "device": overrides.device,
                                                 "currency": overrides.currency]
            #expect(try LinkStarJSON.encoder(pretty: false).encode(overrides) == LinkStarJSON.encoder(pretty: false).encode(dictionary))
        }
        // What an import without overrides stores without encoding them: the encoder's bytes.
        #expect(WorkspaceDatabase.noOverridesJSON == String(decoding: try LinkStarJSON.encoder(pretty: false).encode(ImportOverrides()), as: UTF8.self))
    }

    @Test("funnel, KPI status, overview, actions and their details of the demo: the tree's bytes")
    func demoReportsAreTheTreesBytes() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = TestClock("2026-11-25T08:00:00Z")
        let database = try await Fixture.demo(in: folder, clock: clock)
        let period = try DayRange(parsing: "2026-10-26..2026-11-24")

        func check<T: Encodable>(_ value: T, _ label: String) throws { try Self.check(value, label) }
        try check(try await database.funnel(period: period, segment: .all, compare: .previous), "funnel")
        try check(try await database.funnel(period: period, segment: try Segment(parsing: "shopee/*/*"), compare: .baseline), "funnel against baselines")
        try check(try await database.kpiStatus(period: period), "KPI status")
        try check(try await database.overview(period: period, today: try Day(parsing: "2026-11-25")), "overview")
        let actions = try await database.actions()
        try check(actions, "actions")
        for action in actions { try check(try await database.action(id: action.id), "action \(action.id)") }
    }
}
