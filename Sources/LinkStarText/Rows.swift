import Foundation
import LinkStarCore
import LinkStarStore

/// The tables every adapter shows (terminal, review packs, web, chat): one header list and one row builder each.
public enum Rows {
    // MARK: KPI status

    public static let kpiStatusHeaders: [Message] = ["ID", "LAYER", "METRIC", "SEGMENT", "OWNER", "CURRENT", "COVERAGE", "BASELINE", "TARGET", "DELTA", "STATUS"]

    /// One KPI's status: current value, coverage, baseline, target, delta, status.
    public static func kpiStatus(_ s: KPIStatusView, _ r: Reader) -> [String] {
        func value(_ v: Double?) -> String {
            guard v != nil else { return "-" }
            return ValueFormat.format(v, unit: s.unit, upperBound: s.upperBound) + (s.currency.map { " \($0)" } ?? "") + r(s.aggregation.suffixLabel)
        }
        var delta = "-"
        if let d = s.delta {
            if s.unit == .ratio && s.upperBound != nil { delta = r.percentPoints(d * 100) }
            else if s.unit == .ratio { delta = String(format: "%+.2f", d) }
            else { delta = (d < 0 ? "-" : "+") + ValueFormat.format(abs(d), unit: s.unit) }
        }
        let coverage = s.aggregation == .rate ? Self.coverage(s.coverage, partial: s.partial, r) : "-"
        return [String(s.id), r(s.layer), r.metric(s.metric), s.segment.description, s.owner ?? r.unowned, value(s.current), coverage,
                value(s.baseline), value(s.target), delta, r(s.status)]
    }

    // MARK: KPIs

    public static let kpiHeaders: [Message] = ["ID", "LAYER", "METRIC", "SEGMENT", "OWNER", "BASELINE", "TARGET", "BAND"]

    /// One KPI's definition; an owner inherited from the layer is marked `*`.
    public static func kpi(_ k: KPIView, _ r: Reader) -> [String] {
        [String(k.id), r(k.layer), r.metric(k.metric), k.segment.description,
         k.owner.map { k.ownerSource == .layer ? "\($0)*" : $0 } ?? r.unowned, baseline(k, r), value(k.target, k, r), band(k, r)]
    }

    /// The band in the metric's unit: percentage points for rates, `10%` of target for a relative band.
    public static func band(_ k: KPIView, _ r: Reader) -> String {
        switch k.warningBand {
        case nil: return "-"
        case .relative?: return r("\(k.warningBand!.description) of target")
        case .absolute(let v)?:
            if k.unit == .ratio && k.upperBound != nil { return r("\(ValueFormat.format(v * 100, unit: .currency)) pp") }
            return ValueFormat.format(v, unit: k.unit, upperBound: k.upperBound)
        }
    }

    /// A value with its currency and unit suffix (`/day` for observed counts and amounts).
    public static func value(_ v: Double?, _ k: KPIView, _ r: Reader) -> String {
        guard v != nil else { return "-" }
        return ValueFormat.format(v, unit: k.unit, upperBound: k.upperBound) + (k.currency.map { " \($0)" } ?? "") + r(k.aggregation.suffixLabel)
    }

    /// The baseline with the period it was measured over.
    public static func baseline(_ k: KPIView, _ r: Reader) -> String {
        guard let b = k.baseline else { return r("(none)") }
        return "\(value(b.value, k, r)) (\(b.from)..\(b.to))"
    }

    // MARK: Funnel

    public static let funnelStageHeaders: [Message] = ["STAGE", "VOLUME", "BEFORE"]
    public static let funnelStepHeaders: [Message] = ["STEP", "LAYER", "OWNER", "RATE", "COVERAGE", "LIKE-FOR-LIKE", "BEFORE", "CHANGE"]

    /// One stage's observed volume now and before.
    public static func funnelStage(_ s: FunnelStage, _ r: Reader) -> [String] {
        [r.metric(s.metric), ValueFormat.format(s.volume, unit: .count), ValueFormat.format(s.compareVolume, unit: .count)]
    }

    /// One funnel step: rate, coverage, like-for-like rate, rate before, change.
    public static func funnelStep(_ s: FunnelStep, _ r: Reader, unowned: String? = nil) -> [String] {
        [r.step(s.fromMetric, s.toMetric), r(s.layer), s.owner ?? unowned ?? r.unowned, s.problem != nil ? r("problem") : rate(s.rate),
         coverage(s.coverage, partial: s.partial, r), rate(s.comparableRate), rate(s.compareRate), relative(s.relativeChange)]
    }

    /// A coverage share, with `partial` when it is below the workspace threshold.
    public static func coverage(_ value: Double?, partial: Bool, _ r: Reader) -> String {
        let share = value.map { String(format: "%.0f%%", $0 * 100) } ?? "-"
        return partial ? r("\(share) partial") : share
    }

    /// A rate as a percentage (or a plain ratio above 1).
    public static func rate(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value <= 1 ? String(format: "%.2f%%", value * 100) : String(format: "%.2f", value)
    }

    /// A relative change, `+12.5%`.
    public static func relative(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(format: "%+.1f%%", value * 100)
    }

    /// The bottleneck in one sentence.
    public static func bottleneck(_ b: FunnelBottleneck, _ r: Reader) -> String {
        r("\(r.step(b.fromMetric, b.toMetric)) (\(b.layer), owner \(b.owner ?? r("nobody"))) \(rate(b.compareRate)) → \(rate(b.rate)) (\(relative(b.relativeChange)))")
    }

    // MARK: Layers

    public static let layerHeaders: [Message] = ["LAYER", "名称", "OWNER", "BACKUP", "PLAYBOOK", "REVIEW", "KPIS"]

    /// One layer: owner, backup, playbook version, review cadence, KPI count.
    public static func layer(_ l: LayerView, _ r: Reader) -> [String] {
        [l.key.rawValue, l.nameZh, l.owner ?? r.unowned, l.backupOwner ?? "-",
         l.playbook.map { "v\($0.version) \($0.contentHash.prefix(8))" } ?? "-",
         l.playbook.map { r($0.cadence) } ?? "-", String(l.kpiCount)]
    }

    // MARK: Reviews

    /// A review's period, due day, status, who closed it, owner and playbook version, on one line.
    public static func reviewFacts(_ review: ReviewView, _ r: Reader) -> String {
        var facts: [Message] = ["period \(review.from)..\(review.to)", "due \(review.dueOn)", review.status.label]
        if let by = review.closedBy { facts.append("closed by \(by)") }
        facts.append("owner \(review.owner ?? r.unowned)")
        if let version = review.playbookVersion { facts.append("playbook v\(version)") }
        return r(Message.joined(facts, separator: " · "))
    }

    public static let reviewDueHeaders: [Message] = ["SCOPE", "OWNER", "CADENCE", "LAST", "PERIOD DUE", "DUE ON", "STATUS", "OVERDUE", "NEXT"]

    /// Where one scope stands with its review.
    public static func reviewDue(_ d: ReviewDue, _ r: Reader) -> [String] {
        var last = "-"
        if let period = d.lastPeriod, let id = d.lastReviewId { last = "\(period) #\(id)" }
        var status = r(d.status)
        if let open = d.openReviewId { status += " #\(open)" }
        let overdue = d.daysOverdue > 0 ? r("\(d.daysOverdue) d") : "-"
        return [r.scope(d.scope), d.owner ?? r.unowned, d.cadence.map { r($0) } ?? "-", last, d.duePeriod ?? "-",
                d.dueOn?.description ?? "-", status, overdue, d.nextDueOn?.description ?? "-"]
    }

    // MARK: Audit

    public static let auditHeaders: [Message] = ["ID", "AT", "ACTOR", "ACTION", "ENTITY", "CHANGE"]

    /// One audit entry; its change as `field: before → after` (`+ field: value` created, `- field: value` removed).
    public static func audit(_ e: AuditEntryView, _ r: Reader) -> [String] {
        [String(e.id), r.time(e.at), e.actor, e.action, "\(e.entity):\(e.entityId)", auditChange(e)]
    }

    /// Every changed field of an audit entry.
    public static func auditChange(_ e: AuditEntryView) -> String {
        AuditDiff.changes(before: e.before, after: e.after).map { change in
            switch (change.before, change.after) {
            case (nil, let after?): "+ \(change.field): \(after)"
            case (let before?, nil): "- \(change.field): \(before)"
            default: "\(change.field): \(change.before ?? "∅") → \(change.after ?? "∅")"
            }
        }.joined(separator: "; ")
    }

    // MARK: Actions

    public static let reviewActionHeaders: [Message] = ["IN PERIOD", "ID", "STATUS", "VERDICT", "TITLE"]

    /// A review pack's actions: started, evaluated and followed up in the period, and those this review decided.
    public static func reviewActions(_ actions: ReviewActions, _ r: Reader) -> [[String]] {
        reviewActionEntries(actions).map { label, a in [r(label), "#\(a.id)", r(a.status), a.verdict.map { r($0) } ?? "-", a.title] }
    }

    /// The pack's actions in the order they are listed, each with what it did in the period.
    public static func reviewActionEntries(_ actions: ReviewActions) -> [(label: Message, action: ActionView)] {
        actions.started.map { ("started", $0) } + actions.evaluated.map { ("evaluated", $0) }
            + actions.followedUp.map { ("followed up", $0) } + actions.fromThisReview.map { ("from this review", $0) }
    }

    public static let actionHeaders: [Message] = ["ID", "STATUS", "VERDICT", "KPI", "SEGMENT", "TITLE"]

    /// One action: status, verdict, KPI metric, segment, title.
    public static func action(_ a: ActionView, _ r: Reader) -> [String] {
        [String(a.id), r(a.status), a.verdict.map { r($0) } ?? "-", r.metric(a.metric), a.segment.description, a.title]
    }
}
