import Foundation
import LinkStarCore
import LinkStarStore

/// The review pack (复盘材料) as text or Markdown in the reader's language: the CLI prints it, the API serves it.
public enum ReviewPackText {
    public static func render(_ pack: ReviewPack, markdown: Bool, _ r: Reader) -> String {
        let review = pack.review
        var lines: [String] = []
        func heading(_ text: Message) { lines.append(""); lines.append(markdown ? "## \(r(text))" : r(text).uppercased()) }
        func table(_ headers: [Message], _ rows: [[String]]) {
            let titles = headers.map { r($0) }
            if markdown {
                lines.append("| " + titles.joined(separator: " | ") + " |")
                lines.append("|" + titles.map { _ in "---" }.joined(separator: "|") + "|")
                lines += rows.map { "| " + $0.map(escapeCell).joined(separator: " | ") + " |" }
                if rows.isEmpty { lines.append("| " + titles.map { _ in "–" }.joined(separator: " | ") + " |") }
            } else {
                lines.append(Table.render(titles, rows, empty: r("(none)")))
            }
        }
        let scope = r.scope(review.scope)
        lines.append(markdown ? r("# 复盘 \(scope) \(review.period)") : r("复盘 REVIEW #\(review.id): \(scope) \(review.period)"))
        lines.append(Rows.reviewFacts(review, r))

        heading("KPIs")
        table(Rows.kpiStatusHeaders, pack.kpis.map { Rows.kpiStatus($0, r) })

        heading("Funnel \(pack.funnel.from)..\(pack.funnel.to) vs \(pack.funnel.compare)")
        table(Rows.funnelStepHeaders, (pack.funnel.steps + pack.funnel.retention).map { Rows.funnelStep($0, r, unowned: "-") })
        for note in pack.funnel.notes { lines.append(markdown ? "- \(r(note))" : r("note: \(note)")) }
        if let b = pack.funnel.bottleneck {
            let worst: Message = b.segments.first.map { "; worst in \($0.segment)" } ?? Message(verbatim: "")
            lines.append(r("Bottleneck: \(Rows.bottleneck(b, r))\(worst)"))
        }

        heading("Actions")
        table(Rows.reviewActionHeaders, Rows.reviewActions(pack.actions, r))

        heading("Checklist")
        for item in review.items {
            let optional = item.optional ? " " + r("(optional)") : ""
            let who = item.checkedBy.map { " — \($0) \(item.checkedAt.map(r.time) ?? "")" } ?? ""
            lines.append("\(markdown ? "- " : "")\(item.checked ? "[x]" : "[ ]") \(item.position). \(r.item(item))\(optional)\(who)"
                         + (item.note.map { ": \($0)" } ?? ""))
        }
        heading("Findings")
        lines += review.findings.isEmpty ? [r("(none)")] : review.findings.map { "\(markdown ? "- " : "• ")\($0.text) — \($0.author)" }
        heading("Decisions")
        lines += review.decisions.isEmpty ? [r("(none)")] : review.decisions.map { "\(markdown ? "- " : "• ")\($0.text) — \($0.author)" }
        if !review.addenda.isEmpty {
            heading("Addenda")
            lines += review.addenda.map { "\(markdown ? "- " : "• ")\($0.text) — \($0.author) \(r.time($0.createdAt))" }
        }
        return lines.joined(separator: "\n")
    }

    /// A Markdown table cell: pipes escaped, line breaks flattened.
    static func escapeCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
