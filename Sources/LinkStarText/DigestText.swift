import Foundation
import LinkStarCore
import LinkStarStore

/// The daily report (日报) as a chat message in the reader's language: owners are mentioned (`@{handle}`), so each
/// channel can notify them its own way.
public enum DigestText {
    /// How many stale series and items per list a message shows before "and N more".
    static let listLimit = 10

    public static func message(_ d: Digest, _ r: Reader, identities: [String: ChatIdentity] = [:], link: String? = nil) -> ChatMessage {
        var lines: [String] = []
        var mentioned: [String] = []
        func mention(_ handle: String?) -> String {
            guard let handle else { return r.unowned }
            if !mentioned.contains(handle) { mentioned.append(handle) }
            return ChatMessage.mentionToken(handle)
        }
        func chain(_ f: FunnelReport, change: Bool) -> String {
            f.mainChainSteps.map { s in
                let rate = s.problem != nil ? r("problem") : Rows.rate(s.rate)
                let partial = s.partial ? " " + r("\(Rows.coverage(s.coverage, partial: false, r)) coverage, partial") : ""
                return "\(r.step(s.fromMetric, s.toMetric)) \(rate)\(change ? " (\(Rows.relative(s.relativeChange)))" : "")\(partial)"
            }.joined(separator: " · ")
        }
        func limited<T>(_ items: [T], _ line: (T) -> String) -> [String] {
            items.prefix(listLimit).map(line) + (items.count > listLimit ? [r("… and \(items.count - listLimit) more")] : [])
        }

        lines.append(r("Yesterday \(d.yesterday.from): \(chain(d.yesterday, change: false))"))
        lines.append(r("Last 7 days \(d.week.from)..\(d.week.to) against the 7 before: \(chain(d.week, change: true))"))
        if let b = d.week.bottleneck {
            lines.append(r("Bottleneck: \(r.step(b.fromMetric, b.toMetric)) \(Rows.rate(b.compareRate)) → \(Rows.rate(b.rate)) (\(Rows.relative(b.relativeChange))), owner \(mention(b.owner))"))
        }
        if !d.kpis.isEmpty {
            lines.append(r("KPIs off-track or at risk (last 7 days):"))
            var owners: [String?] = []
            for k in d.kpis where !owners.contains(k.owner) { owners.append(k.owner) }
            for owner in owners {
                let items = d.kpis.filter { $0.owner == owner }.map { k in
                    let row = Rows.kpiStatus(k, r)
                    return r("\(r.metric(k.metric)) \(k.segment.description) \(row[5]) against \(row[8]) (\(k.status))")
                }
                lines.append("\(mention(owner))" + (r.language == .zh ? "：" : ": ") + items.joined(separator: r.language == .zh ? "；" : "; "))
            }
        }
        let overdue = d.reviews.filter { $0.status != .due }
        if !overdue.isEmpty {
            lines.append(r("Reviews overdue:"))
            lines += limited(overdue) { v in
                r("\(r.scope(v.scope)) \(v.duePeriod ?? "-") due \(v.dueOn.map { "\($0)" } ?? "-"), \(v.daysOverdue) days overdue, owner \(mention(v.owner))")
            }
        }
        let dueToday = d.reviews.filter { $0.status == .due }
        if !dueToday.isEmpty {
            lines.append(r("Reviews due today:"))
            lines += limited(dueToday) { v in r("\(r.scope(v.scope)) \(v.duePeriod ?? "-"), owner \(mention(v.owner))") }
        }
        if !d.actionsAwaitingEvaluation.isEmpty {
            lines.append(r("Actions awaiting evaluation:"))
            lines += limited(d.actionsAwaitingEvaluation) { a in r("#\(a.id) \(a.title) (\(a.detail)), owner \(mention(a.owner))") }
        }
        if !d.followupsDue.isEmpty {
            lines.append(r("Follow-ups due:"))
            lines += limited(d.followupsDue) { a in r("#\(a.id) \(a.title) (\(a.detail)), owner \(mention(a.owner))") }
        }
        if !d.decays.isEmpty {
            lines.append(r("Effects that decayed:"))
            lines += limited(d.decays) { x in r("#\(x.actionId) \(x.title) (+\(x.checkpointDays)d, \(x.evaluatedOn)), owner \(mention(x.owner))") }
        }
        if !d.staleSeries.isEmpty {
            lines.append(r("Stale data:"))
            lines += limited(d.staleSeries) { s in r("\(metric: s.metric) \(s.segment): newest \(s.lastDay), \(s.daysBehind) days behind") }
        }
        if d.kpis.isEmpty && d.reviews.isEmpty && d.actionsAwaitingEvaluation.isEmpty && d.followupsDue.isEmpty && d.decays.isEmpty
            && d.staleSeries.isEmpty {
            lines.append(r("Nothing needs anyone today."))
        }
        return ChatMessage(title: r("LinkStar daily report \(d.yesterday.from)"), lines: lines,
                           mentions: mentioned.map { .init(handle: $0, identity: identities[$0] ?? ChatIdentity()) }, link: link)
    }

    /// The message as plain text (what `notify preview` prints): mentions as `@handle`.
    public static func plain(_ m: ChatMessage) -> String {
        ([m.title] + m.lines.map { m.render($0) { handle, _ in "@" + handle } } + (m.link.map { [$0] } ?? [])).joined(separator: "\n") + "\n"
    }
}
