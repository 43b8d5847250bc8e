import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore

/// Renders the review pack as text or Markdown.
enum ReviewPackRenderer {
    static func render(_ pack: ReviewPack, markdown: Bool) -> String {
        let r = pack.review
        var lines: [String] = []
        func heading(_ text: String) { lines.append(""); lines.append(markdown ? "## \(text)" : text.uppercased()) }
        func table(_ headers: [String], _ rows: [[String]]) {
            if markdown {
                lines.append("| " + headers.joined(separator: " | ") + " |")
                lines.append("|" + headers.map { _ in "---" }.joined(separator: "|") + "|")
                lines += rows.map { "| " + $0.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |" }
                if rows.isEmpty { lines.append("| " + headers.map { _ in "–" }.joined(separator: " | ") + " |") }
            } else {
                lines.append(Table.render(headers, rows))
            }
        }
        lines.append(markdown ? "# 复盘 \(r.scope) \(r.period)" : "复盘 REVIEW #\(r.id): \(r.scope) \(r.period)")
        lines.append("Period \(r.from)..\(r.to) · due \(r.dueOn) · \(r.status)\(r.closedBy.map { " · closed by \($0)" } ?? "") · owner \(r.owner ?? "(unowned)")"
                     + (r.playbookVersion.map { " · playbook v\($0)" } ?? ""))
        heading("KPIs")
        table(KPIStatusCommand.headers, pack.kpis.map(KPIStatusCommand.row))
        heading("Funnel \(pack.funnel.from)..\(pack.funnel.to) vs \(pack.funnel.compare.rawValue)")
        table(FunnelCommand.stepHeaders, (pack.funnel.steps + pack.funnel.retention).map { FunnelCommand.stepRow($0, unowned: "-") })
        for note in pack.funnel.notes { lines.append("\(markdown ? "- " : "note: ")\(note)") }
        if let b = pack.funnel.bottleneck {
            lines.append("Bottleneck: \(b.fromMetric) → \(b.toMetric) (\(b.layer.rawValue), owner \(b.owner ?? "nobody")) "
                         + "\(FunnelCommand.rate(b.compareRate)) → \(FunnelCommand.rate(b.rate))"
                         + (b.segments.first.map { "; worst in \($0.segment)" } ?? ""))
        }
        heading("Actions")
        func actionRows(_ label: String, _ actions: [ActionView]) -> [[String]] {
            actions.map { [label, "#\($0.id)", $0.status.rawValue, $0.verdict?.rawValue ?? "-", $0.title] }
        }
        table(["IN PERIOD", "ID", "STATUS", "VERDICT", "TITLE"],
              actionRows("started", pack.actions.started) + actionRows("evaluated", pack.actions.evaluated)
              + actionRows("followed up", pack.actions.followedUp) + actionRows("from this review", pack.actions.fromThisReview))
        heading("Checklist")
        for item in r.items {
            let who = item.checkedBy.map { " — \($0) \(item.checkedAt.map(LinkStarJSON.timestamp) ?? "")" } ?? ""
            lines.append("\(markdown ? "- " : "")\(item.checked ? "[x]" : "[ ]") \(item.position). \(item.text)\(item.optional ? " (optional)" : "")\(who)"
                         + (item.note.map { ": \($0)" } ?? ""))
        }
        heading("Findings")
        lines += r.findings.isEmpty ? ["(none)"] : r.findings.map { "\(markdown ? "- " : "• ")\($0.text) — \($0.author)" }
        heading("Decisions")
        lines += r.decisions.isEmpty ? ["(none)"] : r.decisions.map { "\(markdown ? "- " : "• ")\($0.text) — \($0.author)" }
        return lines.joined(separator: "\n")
    }
}
