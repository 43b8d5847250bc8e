import Foundation
import LinkStarCore
import LinkStarStore
import LinkStarText
import Mustache

/// The overview (layers, KPI tiles with their series, the funnel chart, reviews, actions, findings) as one
/// self-contained HTML page: inline CSS and SVG, no script, no external request. Every word through the Reader.
public enum OverviewPage {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        // The template ships inside the binary; a broken one fails `OverviewPageTests`, never a request.
        try? library.register(String(decoding: PackageResources.page_mustache, as: UTF8.self), named: "page")
        try? library.register(String(decoding: PackageResources.signin_mustache, as: UTF8.self), named: "signin")
        try? library.register(String(decoding: PackageResources.nav_mustache, as: UTF8.self), named: "nav")
        return library
    }()

    static let css = String(decoding: PackageResources.page_css, as: UTF8.self)

    /// The whole page.
    public static func render(_ overview: Overview, _ r: Reader, generatedAt: Date) -> String {
        library.render(model(overview, r, generatedAt: generatedAt, links: .none), withTemplate: "page") ?? ""
    }

    /// What the template shows: only strings, already in the reader's language.
    static func model(_ o: Overview, _ r: Reader, generatedAt: Date, links: Links) -> [String: Any] {
        var sections: [[String: Any]] = []
        sections.append(["kind": "layers", "heading": r("Layers"),
                         "table": table(Rows.layerHeaders, o.layers.map { Rows.layer($0, r) }, r,
                                        links: o.layers.map { [0: links.playbook($0.key), 2: links.person($0.owner), 3: links.person($0.backupOwner)] })])
        let series = Dictionary(uniqueKeysWithValues: o.series.map { ($0.kpiId, $0) })
        let tiles: [[String: Any]] = o.kpis.map { k in
            let row = Rows.kpiStatus(k, r)
            let unit = unitLabel(k.unit, upperBound: k.upperBound, currency: k.currency, aggregation: k.aggregation, r)
            // A series with no day at all (loop-health counts are period totals) has no chart.
            let chart = series[k.id].flatMap { s in s.points.contains { $0.value != nil } ? s : nil }.map { s in
                Sparkline(values: s.points.map(\.value), target: s.target, bandEdge: bandEdge(s), unit: unit,
                          title: r("\(r.metric(k.metric)) \(k.segment.description), \(s.points.count) days, \(unit)"),
                          format: { ValueFormat.format($0, unit: s.unit, upperBound: s.upperBound) }).svg()
            } ?? ""
            return ["metric": r.metric(k.metric), "href": links.kpi(k.id) ?? false, "id": String(k.id), "raw": raw(k.current), "ownerHref": links.person(k.owner) ?? false,
                    "segment": k.segment.description, "owner": k.owner ?? r.unowned,
                    "current": row[5], "targetLabel": r("target \(row[8]) · baseline \(row[7])"), "status": r(k.status),
                    "statusClass": k.status.rawValue, "chart": chart]
        }
        sections.append(["kind": "kpis", "heading": r("KPI status, \(o.from)..\(o.to)"), "grid": ["tiles": tiles]])
        var funnel = funnelSection(o.funnel, r, links: links)
        if let href = links.funnel() { funnel["more"] = ["href": href, "label": r("Funnel explorer")] }
        sections.append(funnel)
        sections.append(reviewsDueSection(o.reviewsDue, r, links: links))
        sections.append(["kind": "actions", "heading": r("Actions running and measuring"), "table": actionTable(o.actions, r, links: links)])
        var findings: [String] = o.check.overdueReviews.map { r("\(r.scope($0.scope)) \($0.duePeriod ?? "") due \($0.dueOn.map { "\($0)" } ?? "") · \($0.daysOverdue) days overdue · owner \($0.owner ?? "-")") }
        findings += o.check.actionsAwaitingEvaluation.map { r("#\($0.id) \($0.title) (\($0.detail), owner \($0.owner ?? "-"))") }
        findings += o.check.followupsDue.map { r("#\($0.id) \($0.title) (\($0.detail))") }
        findings += o.check.staleSeries.prefix(20).map { r("\(metric: $0.metric) \($0.segment): newest \($0.lastDay), \($0.daysBehind) days behind") }
        let found: Message = o.check.clean ? "clean" : o.check.problemCount == 1 ? "1 problem" : "\(o.check.problemCount) problems"
        sections.append(["kind": "check", "heading": r("Compliance check \(o.today): \(found)"), "lines": findings])
        return ["lang": r.language == .zh ? "zh-CN" : "en", "title": r("LinkStar overview"),
                "subtitle": r("\(o.from)..\(o.to) · generated \(r.time(generatedAt))"), "css": css, "sections": sections,
                "footer": r("Rates from summed counts on cells that report every part; gaps are marked, never drawn through.")]
    }

    static func funnelSection(_ f: FunnelReport, _ r: Reader, links: Links) -> [String: Any] {
        // The stages of the main chain, in order; each step between two adjacent stages.
        let chain = f.mainChainSteps
        var stages: [FunnelChart.Stage] = []
        var steps: [FunnelChart.Step] = []
        let volumes = Dictionary(uniqueKeysWithValues: f.stages.map { ($0.metric, $0.volume) })
        for (i, step) in chain.enumerated() {
            if i == 0 { stages.append(.init(label: r.metric(step.fromMetric), volume: volumes[step.fromMetric] ?? nil)) }
            let isBottleneck = f.bottleneck.map { $0.fromMetric == step.fromMetric && $0.toMetric == step.toMetric } ?? false
            let rate = step.problem != nil ? r("problem") : Rows.rate(step.rate)
            let coverage = step.partial ? " · " + r("\(Rows.coverage(step.coverage, partial: false, r)) coverage, partial") : ""
            steps.append(.init(label: "\(rate) (\(Rows.relative(step.relativeChange)))\(coverage)", bottleneck: isBottleneck, partial: step.partial))
            stages.append(.init(label: r.metric(step.toMetric), volume: volumes[step.toMetric] ?? nil))
        }
        let chart = FunnelChart(stages: stages, steps: steps, title: r("Funnel \(f.from)..\(f.to) vs \(f.compare)"),
                                unit: r("bars: volume over the period (count); ↓ step rate (change vs the comparison)")).svg()
        var lines: [String] = []
        if let b = f.bottleneck { lines.append(r("Bottleneck: \(Rows.bottleneck(b, r))")) }
        lines += f.notes.map { r("note: \($0)") }
        return ["kind": "funnel", "heading": r("Funnel \(f.from)..\(f.to) vs \(f.compare)"), "chart": chart, "lines": lines,
                "table": table(Rows.funnelStepHeaders, (f.steps + f.retention).map { Rows.funnelStep($0, r) }, r,
                               rowClasses: (f.steps + f.retention).map { s in
                                   f.bottleneck.map { $0.fromMetric == s.fromMetric && $0.toMetric == s.toMetric } == true ? "off-track" : "" },
                               links: (f.steps + f.retention).map { [1: links.playbook($0.layer), 2: links.person($0.owner)] },
                               attributes: (f.steps + f.retention).map { [("step", "\($0.fromMetric)>\($0.toMetric)"), ("rate", raw($0.rate))] })]
    }

    /// The unit a KPI's values are in, as shown on its chart (`%`, `/day`, `MYR/day`, `per period`).
    static func unitLabel(_ unit: MetricUnit, upperBound: Double?, currency: String?, aggregation: MetricAggregation, _ r: Reader) -> String {
        let base: String = switch unit {
        case .ratio: upperBound != nil ? "%" : r(unit)
        case .currency: currency ?? r(unit)
        case .count: r(unit)
        case .seconds: "s"
        }
        return (base + r(aggregation.suffixLabel)).trimmingCharacters(in: .whitespaces)
    }

    /// The far edge of the warning band (off-track beyond it), from the target and the band.
    static func bandEdge(_ s: KPISeries) -> Double? {
        s.target.map { KPIStatusRule.offTrackEdge(reference: $0, band: s.warningBand, direction: s.direction) }
    }

    /// A table: translated headers, rows of cells, a class per row, and per row the cells (by column) that link somewhere.
    static func table(_ headers: [Message], _ rows: [[String]], _ r: Reader, rowClasses: [String] = [],
                      links: [[Int: String?]] = [], attributes: [[(String, String)]] = []) -> [String: Any] {
        ["headers": headers.map { r($0) }, "columns": headers.count, "empty": r("(none)"),
         "rows": rows.enumerated().map { i, cells in
             let rowLinks = i < links.count ? links[i] : [:]
             return ["rowClass": i < rowClasses.count ? rowClasses[i] : "",
                     "attributes": (i < attributes.count ? attributes[i] : []).map { ["name": $0.0, "value": $0.1] },
                     "cells": cells.enumerated().map { column, text in ["text": text, "href": (rowLinks[column] ?? nil) ?? false] as [String: Any] }]
         }]
    }

    /// A number as a program reads it (`data-value`): Swift's shortest round-trip form, the same digits as the API's JSON.
    static func raw(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }

    /// Where each scope stands with its review; a scope links to its open (else latest) review, the owner to their page.
    static func reviewsDueSection(_ due: [ReviewDue], _ r: Reader, links: Links) -> [String: Any] {
        ["kind": "reviews", "heading": r("Reviews due"),
         "table": table(Rows.reviewDueHeaders, due.map { Rows.reviewDue($0, r) }, r,
                        rowClasses: due.map { $0.status == .overdue ? "off-track" : "" },
                        links: due.map { [0: links.review($0.openReviewId ?? $0.lastReviewId), 1: links.person($0.owner)] })]
    }

    /// Actions, each id linking to its page.
    static func actionTable(_ actions: [ActionView], _ r: Reader, links: Links) -> [String: Any] {
        table(Rows.actionHeaders, actions.map { Rows.action($0, r) }, r, links: actions.map { [0: links.action($0.id)] })
    }

    /// KPI status rows, the id linking to the KPI page and the owner to theirs.
    static func kpiTable(_ kpis: [KPIStatusView], _ r: Reader, links: Links) -> [String: Any] {
        table(Rows.kpiStatusHeaders, kpis.map { Rows.kpiStatus($0, r) }, r, rowClasses: kpis.map(\.status.rawValue),
              links: kpis.map { [0: links.kpi($0.id), 4: links.person($0.owner)] })
    }
}
