import Foundation
import LinkStarCore
import LinkStarStore

/// Any outbox message as a chat message in the reader's language: the daily report, an alert, a channel test.
public enum NoticeText {
    /// The message for `notice`; `publicURL` (the `public_url` setting) adds a link to the page it is about.
    public static func message(_ notice: Notice, _ r: Reader, identities: [String: ChatIdentity] = [:], publicURL: String? = nil) -> ChatMessage {
        func link(_ path: String) -> String? { publicURL.map { PublicURL.link($0, path) } }
        switch notice.topic {
        case .digest:
            guard let digest = notice.digest else { break }
            return DigestText.message(digest, r, identities: identities, link: link("/"))
        case .alert:
            guard let alert = notice.alert else { break }
            return AlertText.message(alert, r, identities: identities, link: link(AlertText.path(alert)))
        case .test:
            guard let test = notice.test else { break }
            return ChatMessage(title: r("LinkStar test message"),
                               lines: [r("Channel \(test.channel) works: sent by \(test.requestedBy) at \(r.time(test.at)).")], mentions: [],
                               link: link("/"))
        }
        return ChatMessage(title: r("LinkStar notice"), lines: [r("(empty message)")], mentions: [], link: nil)
    }
}

/// An alert as a chat message: what became true, and its owner mentioned.
public enum AlertText {
    /// The web page an alert is about.
    public static func path(_ a: Alert) -> String {
        switch a.kind {
        case .reviewOverdue, .reviewPastGrace: a.review?.openReviewId.map { "/reviews/\($0)" } ?? "/"
        case .decay: a.decay.map { "/actions/\($0.actionId)" } ?? "/"
        case .kpiOffTrack: a.kpi.map { "/kpis/\($0.id)" } ?? "/"
        case .stale: "/"
        }
    }

    public static func message(_ a: Alert, _ r: Reader, identities: [String: ChatIdentity] = [:], link: String? = nil) -> ChatMessage {
        let owner = a.owner.map(ChatMessage.mentionToken) ?? r.unowned
        let title: String
        var lines: [String] = []
        switch a.kind {
        case .reviewOverdue:
            title = r("LinkStar alert: review overdue")
            if let v = a.review {
                lines.append(r("\(r.scope(v.scope)) \(v.duePeriod ?? "-") was due \(v.dueOn.map { "\($0)" } ?? "-"), \(v.daysOverdue) days overdue, owner \(owner)"))
            }
        case .reviewPastGrace:
            title = r("LinkStar alert: review past its grace period")
            if let v = a.review {
                lines.append(r("\(r.scope(v.scope)) \(v.duePeriod ?? "-") is \(v.daysOverdue) days overdue, past the \(a.graceDays ?? 0)-day grace period: new actions on it are refused until it is closed. Owner \(owner)"))
            }
        case .decay:
            title = r("LinkStar alert: an effect decayed")
            if let x = a.decay {
                lines.append(r("#\(x.actionId) \(x.title): the +\(x.checkpointDays)d follow-up on \(x.evaluatedOn) found the effect decayed, owner \(owner)"))
            }
        case .stale:
            title = r("LinkStar alert: data stopped arriving")
            lines.append(r("\(a.stale.count) series stopped getting new data:"))
            lines += a.stale.prefix(DigestText.listLimit).map { s in
                r("\(metric: s.metric) \(s.segment): newest \(s.lastDay), \(s.daysBehind) days behind")
            }
            if a.stale.count > DigestText.listLimit { lines.append(r("… and \(a.stale.count - DigestText.listLimit) more")) }
        case .kpiOffTrack:
            title = r("LinkStar alert: KPI off-track")
            if let k = a.kpi {
                let row = Rows.kpiStatus(k, r)
                lines.append(r("\(r.metric(k.metric)) \(k.segment.description) \(row[5]) against \(row[8]) (\(k.status)), \(k.from)..\(k.to), owner \(owner)"))
            }
        }
        let mentions = a.owner.map { [ChatMessage.Mention(handle: $0, identity: identities[$0] ?? ChatIdentity())] } ?? []
        return ChatMessage(title: title, lines: lines, mentions: mentions, link: link)
    }
}
