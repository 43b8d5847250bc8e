import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LinkStarCore
import LinkStarText
import Testing
@testable import LinkStarStore
@testable import LinkStarWeb

/// Parses XML; nil when it is not well-formed.
final class WellFormed: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var texts: [String] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(name)
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }

    static func parse(_ xml: String) -> WellFormed? {
        let delegate = WellFormed()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = delegate
        return parser.parse() ? delegate : nil
    }
}

@Suite("Web: SVG charts and the overview page")
struct WebTests {
    static func sparkline(_ values: [Double?], title: String = "checkout_to_order_rate, 9 days") -> String {
        Sparkline(values: values, target: 0.75, bandEdge: 0.7, unit: "%", title: title,
                  format: { ValueFormat.format($0, unit: .ratio, upperBound: 1) }).svg()
    }

    @Test("a sparkline is well-formed SVG, never draws through a gap, and marks each missing day")
    func sparklineGaps() throws {
        let svg = Self.sparkline([0.70, 0.72, nil, nil, 0.74, 0.71, nil, 0.73, 0.76])
        let parsed = try #require(WellFormed.parse(svg), "not well-formed: \(svg)")
        #expect(parsed.elements.first == "svg")
        // Runs: [0,1] [4,5] [7,8]: three separate lines, three gap markers, the target line and the band.
        #expect(parsed.elements.filter { $0 == "polyline" }.count == 3)
        #expect(svg.components(separatedBy: #"class="gap""#).count - 1 == 3)
        #expect(svg.contains(#"class="target""#) && svg.contains(#"class="band""#))
        #expect(parsed.texts.contains("76.00% %") || parsed.texts.contains { $0.contains("76.00%") }, "the last value with its unit")
        #expect(svg.contains("<desc>3 days without data</desc>"))
        // A lone day between gaps is a point, not a line to nowhere.
        let lone = Self.sparkline([nil, 0.7, nil])
        #expect(WellFormed.parse(lone)?.elements.contains("circle") == true && !lone.contains("polyline"))
        // No data at all: no line, every day marked, still well-formed.
        let empty = Self.sparkline([nil, nil, nil])
        #expect(WellFormed.parse(empty) != nil && !empty.contains("polyline"))
    }

    @Test("text in charts is escaped: a title with markup renders as text")
    func escaping() throws {
        let svg = Self.sparkline([1, 2], title: #"<script>alert("x")</script> & co"#)
        let parsed = try #require(WellFormed.parse(svg))
        #expect(!svg.contains("<script>") && svg.contains("&lt;script&gt;"))
        #expect(parsed.texts.joined().contains(#"<script>alert("x")</script> & co"#), "the parser reads back the original text")
        let funnel = FunnelChart(stages: [.init(label: "<b>sessions</b>", volume: 100), .init(label: "orders", volume: nil)],
                                 steps: [.init(label: "3.00% & more", bottleneck: true, partial: true)], title: "t<", unit: "count").svg()
        let parsedFunnel = try #require(WellFormed.parse(funnel), "\(funnel)")
        #expect(!funnel.contains("<b>") && parsedFunnel.texts.joined().contains("<b>sessions</b>"))
        #expect(funnel.contains(#"class="step bottleneck""#) && funnel.contains("url(#hatch)") && funnel.contains(#"class="missing""#))
    }

    @Test("the overview page: self-contained, escaped, in the reader's language, with a chart per KPI that has a series")
    func overviewPage() async throws {
        let clock = { @Sendable in LinkStarJSON.parseTimestamp("2026-11-08T09:00:00Z")! }
        let database = try WorkspaceDatabase.inMemory(clock: clock)
        _ = try await database.seedDefaults(actor: "setup", since: try Day(parsing: "2026-01-01"))
        _ = try await database.addPerson(NewPerson(handle: "chen.jie", displayName: "Chen", role: .admin), actor: "setup")
        let batch = (1...6).flatMap { day -> [ObservationInput] in
            [ObservationInput(date: "2026-11-0\(day)", channel: "shopify", market: "US", device: "all", metric: "sessions", value: 1000),
             ObservationInput(date: "2026-11-0\(day)", channel: "shopify", market: "US", device: "all", metric: "orders", value: day == 3 ? 0 : 30)]
        }
        _ = try database.importObservations(batch, actor: "chen.jie")
        _ = try await database.setKPI(KPISpec(metric: "conversion_rate", target: 0.03), actor: "chen.jie")
        _ = try await database.logAction(NewAction(title: "<script>alert(1)</script>", layer: .conversion, metric: "conversion_rate",
                                                   kind: .page, hypothesis: "h"), override: GateOverride(reason: "test"), actor: "chen.jie")
        let overview = try await database.overview(period: try DayRange(parsing: "2026-11-01..2026-11-07"), today: try Day(parsing: "2026-11-08"))
        for language in Language.allCases {
            let html = OverviewPage.render(overview, Reader(language: language), generatedAt: clock())
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            // The only link element is the empty inline icon, so a browser asks for no /favicon.ico.
            let linkless = html.replacingOccurrences(of: #"<link rel="icon" href="data:,">"#, with: "")
            #expect(!html.contains("<script") && !linkless.contains("<link") && !html.contains("src=\""), "no script, no external resource")
            #expect(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http") == false)
            #expect(html.components(separatedBy: "<svg").count - 1 == 2, "one sparkline and the funnel chart")
            #expect(html.contains(language == .zh ? "LinkStar 总览" : "LinkStar overview"))
            #expect(html.contains(language == .zh ? "转化率" : "conversion_rate"))
        }
        // The action title is data: escaped wherever it is shown.
        let english = OverviewPage.render(overview, Reader(language: .en), generatedAt: clock())
        #expect(!english.contains("<script>alert(1)</script>") == true)
    }
}
