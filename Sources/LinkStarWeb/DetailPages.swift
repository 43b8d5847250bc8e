import Foundation
import LinkStarCore
import LinkStarStore
import LinkStarText

/// The KPI page and the owner page: the same rows as the CLI, a larger chart on the KPI page.
public enum DetailPages {
    static func nav(_ r: Reader, _ principal: Principal, csrf: String) -> [String: Any] {
        ["who": r("\(principal.handle) (\(principal.role))"), "csrf": csrf,
         "links": [["href": "/", "label": r("Overview")], ["href": Links.served.person(principal.handle) ?? "/", "label": r("My page")],
                   ["href": "/funnel", "label": r("Funnel explorer")], ["href": "/audit", "label": r("Audit log")],
                   ["href": "/tv", "label": r("Big screen")]],
         "signOutLabel": r("Sign out")]
    }

    static func page(_ r: Reader, title: String, subtitle: String, sections: [[String: Any]], nav: [String: Any], generatedAt: Date) -> String {
        OverviewPage.library.render(["lang": r.language == .zh ? "zh-CN" : "en", "title": title, "subtitle": subtitle, "css": OverviewPage.css,
                                     "sections": sections, "nav": nav, "footer": r("generated \(r.time(generatedAt))")], withTemplate: "page") ?? ""
    }

    /// `/kpis/{id}`: the daily trend with baseline, target and warning band, events shaded and listed, the status row.
    public static func kpi(_ d: KPIDetail, _ r: Reader, principal: Principal, csrf: String, generatedAt: Date) -> String {
        let k = d.kpi, s = d.series
        let unit = OverviewPage.unitLabel(k.unit, upperBound: k.upperBound, currency: k.currency, aggregation: k.aggregation, r)
        let first = s.points.first?.day.ordinal ?? 0
        var chart = Sparkline(values: s.points.map(\.value), target: s.target, bandEdge: OverviewPage.bandEdge(s), unit: unit,
                              title: r("\(r.metric(k.metric)) \(k.segment.description), \(s.points.count) days, \(unit)"),
                              format: { ValueFormat.format($0, unit: s.unit, upperBound: s.upperBound) })
        chart.width = 900
        chart.height = 220
        chart.baseline = s.baseline
        chart.shaded = d.events.map { (from: $0.from.ordinal - first, to: $0.to.ordinal - first, label: r($0.label)) }
        var sections: [[String: Any]] = [["kind": "trend", "heading": r("Daily trend, \(s.points.first?.day.description ?? "")..\(s.points.last?.day.description ?? "")"),
                                          "chart": chart.svg(),
                                          "lines": [r("target dashed · baseline thin · warning band shaded · events shaded violet · gaps marked below the axis")]]]
        if let status = d.status {
            sections.append(["kind": "status", "heading": r("KPI status, \(status.from)..\(status.to)"),
                             "table": OverviewPage.kpiTable([status], r, links: .served),
                             "lines": status.note.map { [r($0)] } ?? []])
        }
        sections.append(["kind": "events", "heading": r("Events"), "lines": d.events.map { r($0.label) }])
        var layer: [String: Any] = ["kind": "layer", "heading": r(k.layer), "lines": [r("owner \(k.owner ?? r.unowned)")],
                                    "more": ["href": Links.served.playbook(k.layer) ?? "", "label": r("Playbook")]]
        if let owner = Links.served.person(k.owner) { layer["links"] = [["href": owner, "label": k.owner ?? ""]] }
        sections.append(layer)
        return page(r, title: r("KPI #\(k.id): \(r.metric(k.metric)) · \(k.layer) · \(k.segment)"),
                    subtitle: r("owner \(k.owner ?? r.unowned)"), sections: sections, nav: nav(r, principal, csrf: csrf), generatedAt: generatedAt)
    }

    /// `/people/{handle}`: my layers, my KPIs with status, my reviews due, my actions.
    public static func person(_ p: PersonOverview, _ r: Reader, principal: Principal, csrf: String, generatedAt: Date) -> String {
        let layers: Message = p.layers.isEmpty ? "no layer" : Message.joined(p.layers.map(\.label), separator: ", ")
        let owns: Message = p.backupFor.isEmpty ? "\(p.person.handle) — owns \(layers)"
            : "\(p.person.handle) — owns \(layers); backup for \(Message.joined(p.backupFor.map(\.label), separator: ", "))"
        let sections: [[String: Any]] = [
            ["kind": "kpis", "heading": r("KPIs"), "table": OverviewPage.kpiTable(p.kpis, r, links: .served)],
            OverviewPage.reviewsDueSection(p.reviewsDue, r, links: .served),
            ["kind": "actions", "heading": r("Actions"), "table": OverviewPage.actionTable(p.actions, r, links: .served)],
            ["kind": "playbooks", "heading": r("Playbook"),
             "links": (p.layers + p.backupFor).map { ["href": Links.served.playbook($0) ?? "", "label": r($0.label)] }],
        ]
        return page(r, title: r(owns), subtitle: "\(p.person.displayName) · \(r(p.person.role))", sections: sections,
                    nav: nav(r, principal, csrf: csrf), generatedAt: generatedAt)
    }
}

extension DetailPages {
    /// `/funnel?period=&channel=&market=&device=&compare=`: the chart, the steps, the worst segments of the bottleneck.
    public static func funnel(_ f: FunnelReport, _ r: Reader, principal: Principal, csrf: String, generatedAt: Date) -> String {
        var sections: [[String: Any]] = [filters(f, r), OverviewPage.funnelSection(f, r, links: .served)]
        sections.append(["kind": "stages", "heading": r("STAGE"), "table": OverviewPage.table(Rows.funnelStageHeaders, f.stages.map { Rows.funnelStage($0, r) }, r)])
        if let b = f.bottleneck {
            sections.append(["kind": "worst", "heading": r("Bottleneck: \(Rows.bottleneck(b, r))"),
                             "table": OverviewPage.table(["SEGMENT", "BEFORE", "RATE", "CHANGE", "VOLUME"], b.segments.map {
                                 [$0.segment.description, Rows.rate($0.compareRate), Rows.rate($0.rate), Rows.relative($0.relativeChange),
                                  ValueFormat.format($0.fromVolume, unit: .count)]
                             }, r),
                             "lines": [r("owner \(b.owner ?? r.unowned)")],
                             "links": ([Links.served.person(b.owner).map { ["href": $0, "label": b.owner ?? ""] }]
                                       + [Links.served.playbook(b.layer).map { ["href": $0, "label": r("Playbook") + " · " + r(b.layer)] }]).compactMap { $0 }])
        }
        return page(r, title: r("Funnel \(f.from)..\(f.to) vs \(f.compare)"), subtitle: f.segment.description, sections: sections,
                    nav: nav(r, principal, csrf: csrf), generatedAt: generatedAt)
    }

    /// `/playbooks/{layer}?version=N`: the SOP rendered (its raw HTML escaped), and every version, each linked.
    public static func playbook(_ p: PlaybookDetail, versions: [PlaybookVersionSummary], bodyHTML: String, _ r: Reader, principal: Principal,
                                csrf: String, generatedAt: Date) -> String {
        let history = OverviewPage.table(["VERSION", "TITLE", "SYNCED BY", "AT", "HASH"], versions.map {
            ["v\($0.version)" + ($0.current ? " ✓" : ""), $0.title, $0.syncedBy, r.time($0.syncedAt), String($0.contentHash.prefix(12))]
        }, r, rowClasses: versions.map { $0.version == p.version ? "on-track" : "" },
           links: versions.map { [0: "/playbooks/\(p.layer.rawValue)" + ($0.current ? "" : "?version=\($0.version)")] })
        let sections: [[String: Any]] = [["kind": "playbook", "heading": p.title, "chart": bodyHTML],
                                         ["kind": "versions", "heading": r("Versions"), "table": history]]
        return page(r, title: p.title, subtitle: r("playbook v\(p.version)") + " · " + r(p.cadence) + " · " + String(p.contentHash.prefix(12)),
                    sections: sections, nav: nav(r, principal, csrf: csrf), generatedAt: generatedAt)
    }

    /// `/audit?entity=&actor=`: the audit log, newest first; actors link to their page.
    public static func audit(_ entries: [AuditEntryView], entity: String?, actor: String?, _ r: Reader, principal: Principal, csrf: String,
                             generatedAt: Date) -> String {
        let filters: [String: Any] = ["kind": "filters", "heading": r("Filter"),
                                      "filters": ["action": "/audit", "submit": r("Show"),
                                                  "fields": [field("entity", r("ENTITY"), entity ?? "", placeholder: "review:3"),
                                                             field("actor", r("ACTOR"), actor ?? "", placeholder: "handle")]]]
        return page(r, title: r("Audit log"), subtitle: "", sections: [filters, ["kind": "audit", "heading": r("Audit log"),
                                                                          "table": OverviewPage.table(Rows.auditHeaders, entries.map { Rows.audit($0, r) }, r,
                                                                                                      links: entries.map { [2: Links.served.actor($0.actor)] })]],
                    nav: nav(r, principal, csrf: csrf), generatedAt: generatedAt)
    }

    static func field(_ name: String, _ label: String, _ value: String, placeholder: String) -> [String: Any] {
        ["name": name, "label": label, "value": value, "placeholder": placeholder]
    }

    /// The explorer's filters as a GET form, so every view has a shareable URL.
    static func filters(_ f: FunnelReport, _ r: Reader) -> [String: Any] {
        ["kind": "filters", "heading": r("Filter"),
         "filters": ["action": "/funnel", "submit": r("Show"),
                     "fields": [field("period", r("PERIOD"), "\(f.from)..\(f.to)", placeholder: "last-7d"),
                                field("channel", r("CHANNEL"), f.segment.channel, placeholder: "*"),
                                field("market", r("MARKET"), f.segment.market, placeholder: "*"),
                                field("device", r("DEVICE"), f.segment.device, placeholder: "*"),
                                field("compare", r("COMPARE"), f.compare.rawValue, placeholder: "previous")]]]
    }
}

extension DetailPages {
    /// `/actions/{id}`: the daily values around the before and after windows (and the control's), events shaded, each
    /// evaluation (estimate, interval, p-value, verdict, warnings), the follow-ups and the history.
    public static func action(_ t: ActionTimeline, _ r: Reader, principal: Principal, csrf: String, generatedAt: Date) -> String {
        let a = t.detail.action
        let first = t.points.first?.day.ordinal ?? 0
        let format: @Sendable (Double) -> String = { [unit = t.unit, bound = t.upperBound] in ValueFormat.format($0, unit: unit, upperBound: bound) }
        let unit = OverviewPage.unitLabel(t.unit, upperBound: t.upperBound, currency: nil, aggregation: t.unit == .ratio ? .rate : .dailyAverage, r)
        var windows: [(from: Int, to: Int, label: String)] = []
        if let evaluation = t.detail.evaluations.first(where: { $0.purpose == .evaluation }) ?? t.detail.evaluations.first {
            if let before = evaluation.before { windows.append((before.from.ordinal - first, before.to.ordinal - first, r("before"))) }
            if let after = evaluation.after { windows.append((after.from.ordinal - first, after.to.ordinal - first, r("after"))) }
        } else if let start = a.startedOn {
            windows.append((start.ordinal - first, (a.stoppedOn ?? start).ordinal - first, r(a.status)))
        }
        func chart(_ points: [KPISeriesPoint], _ segment: String) -> String {
            var chart = Sparkline(values: points.map(\.value), target: nil, unit: unit,
                                  title: r("\(r.metric(a.metric)) \(segment), \(points.count) days, \(unit)"), format: format)
            chart.width = 900
            chart.height = 200
            chart.windows = windows
            chart.shaded = t.events.map { (from: $0.from.ordinal - first, to: $0.to.ordinal - first, label: r($0.label)) }
            return chart.svg()
        }
        var sections: [[String: Any]] = [["kind": "trend", "heading": r("\(r.metric(a.metric)) in \(a.segment)"), "chart": chart(t.points, a.segment.description),
                                          "lines": [a.hypothesis] + t.events.map { r($0.label) }]]
        if let control = t.controlPoints, let segment = a.controlSegment {
            sections.append(["kind": "control", "heading": r("control:    \(segment)"), "chart": chart(control, segment.description)])
        }
        for e in t.detail.evaluations {
            let title: Message = e.purpose == .followup ? "Follow-up +\(e.checkpointDays ?? 0)d" : "Evaluation"
            var lines = [r("  estimate \(String(format: "%+.5g", e.estimate)) (95% CI \(String(format: "%+.5g", e.ciLow)) … \(String(format: "%+.5g", e.ciHigh))), p = \(String(format: "%.3g", e.pValue))"),
                         r(e.decayed == true ? "  verdict: \(r(e.verdict).uppercased()) (alpha \(e.alpha)) · DECAYED" : "  verdict: \(r(e.verdict).uppercased()) (alpha \(e.alpha))")]
            lines += e.warnings.map { r("  warning: \($0)") }
            sections.append(["kind": "evaluation", "heading": r("\(title) of #\(e.actionId): \(e.method), \(r.metric(e.metric)) in \(e.segment)"), "lines": lines])
        }
        if !t.detail.followups.isEmpty {
            sections.append(["kind": "followups", "heading": r("Follow-ups due"),
                             "table": OverviewPage.table(["CHECKPOINT", "DUE", "DONE", "VERDICT", "DECAYED"], t.detail.followups.map {
                                 [r("+\($0.offsetDays) d"), $0.dueOn.description, r($0.done ? "yes" : "no"), $0.verdict.map { r($0) } ?? "-",
                                  $0.decayed.map { r($0 ? "yes" : "no") } ?? "-"]
                             }, r)])
        }
        sections.append(["kind": "history", "heading": r("History"),
                         "table": OverviewPage.table(["AT", "BY", "ACTION", "CHANGE"], t.detail.history.map { [r.time($0.at), $0.actor, $0.action, Rows.auditChange($0)] }, r,
                                                     links: t.detail.history.map { [1: Links.served.actor($0.actor)] })])
        sections.insert(["kind": "layer", "heading": r(a.layer),
                         "links": [Links.served.person(a.owner).map { ["href": $0, "label": a.owner ?? ""] },
                                   Links.served.playbook(a.layer).map { ["href": $0, "label": r("Playbook")] }].compactMap { $0 }], at: 1)
        return page(r, title: "#\(a.id) \(a.title)", subtitle: r("status:     \(a.status)"), sections: sections,
                    nav: nav(r, principal, csrf: csrf), generatedAt: generatedAt)
    }
}
