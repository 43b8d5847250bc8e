import Foundation
import LinkStarCore
@testable import LinkStarStore
import Testing
@testable import LinkStarText

@Suite("What people read: rows and tables in both languages")
struct RowsTests {
    static func status(_ status: KPIStatus = .offTrack, current: Double? = 0.4466, delta: Double? = -0.3034) throws -> KPIStatusView {
        KPIStatusView(id: 8, layer: .conversion, metric: "checkout_to_order_rate", unit: .ratio, direction: .up, upperBound: 1,
                      segment: try Segment(parsing: "*/MY/mobile"), owner: nil, from: try Day(parsing: "2026-11-20"), to: try Day(parsing: "2026-11-26"),
                      aggregation: .rate, current: current, currency: nil, baseline: 0.72, target: 0.75, delta: delta, changeVsBaseline: nil,
                      status: status, daysWithData: 7, coverage: 0.59, partial: true, note: nil)
    }

    @Test("a KPI status row: the same numbers in both languages, the words in each")
    func kpiStatusRow() throws {
        let en = Rows.kpiStatus(try Self.status(), Reader(language: .en))
        let zh = Rows.kpiStatus(try Self.status(), Reader(language: .zh))
        #expect(en == ["8", "conversion", "checkout_to_order_rate", "*/MY/mobile", "(unowned)", "44.66%", "59% partial", "72.00%", "75.00%",
                       "-30.34 pp", "off-track"])
        #expect(zh == ["8", "转化层", "结账到支付率", "*/MY/mobile", "（无负责人）", "44.66%", "59% 部分", "72.00%", "75.00%",
                       "-30.34个百分点", "未达标"])
        #expect(Rows.kpiStatusHeaders.map { $0.text(.zh) }.first == "编号")
    }

    @Test("terminal tables align CJK text as two columns a character")
    func alignment() {
        let table = Table.render(["层", "STATUS"], [["转化层", "未达标"], ["traffic", "on-track"]], empty: "-")
        let lines = table.split(separator: "\n").map(String.init)
        // The second column starts at the same terminal column on every line.
        let starts = lines.map { line -> Int in
            var width = 0
            for (i, scalar) in line.unicodeScalars.enumerated() where i > 0 {
                let before = String(String.UnicodeScalarView(line.unicodeScalars.prefix(i)))
                if scalar != " " && before.hasSuffix("  ") { width = Table.displayWidth(before); break }
            }
            return width
        }
        #expect(Set(starts).count == 1, "\(table)")
        #expect(Table.displayWidth("转化层") == 6 && Table.displayWidth("abc") == 3)
        #expect(Table.render(["A"], [], empty: "（无）").hasSuffix("（无）"))
    }

    @Test("a Markdown pack cell cannot break the table: pipes escaped, line breaks flattened")
    func markdownCells() {
        #expect(ReviewPackText.escapeCell("a | b\nc") == "a \\| b c")
    }
}
