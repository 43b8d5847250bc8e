import ArgumentParser
import LinkStarCore
import LinkStarStore

/// `linkstar scorecard`: per owner, the layers and KPIs they own with status.
struct ScorecardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorecard", abstract: "Each owner's layers and KPIs with status, and what nobody owns.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var periodOptions: PeriodOptions
    @Option(help: "Only this person.") var owner: String?

    func validate() throws { try ErrorReport.validating { try periodOptions.check() } }

    func run() async throws {
        let database = try global.open()
        let card = try await database.scorecard(period: try periodOptions.range(database), owner: owner)
        if output.json { return try Output.json(card) }
        Output.line("Scorecard \(card.from)..\(card.to)")
        for owner in card.owners {
            Output.line()
            let c = owner.counts
            Output.line("\(owner.owner)\(owner.displayName.map { " · \($0)" } ?? "") — owns \(owner.layers.map(\.rawValue).joined(separator: ", ").nonEmpty ?? "no layer")"
                        + (owner.backupFor.isEmpty ? "" : "; backup for \(owner.backupFor.map(\.rawValue).joined(separator: ", "))"))
            Output.line("  on-track \(c.onTrack) · at-risk \(c.atRisk) · off-track \(c.offTrack) · no-data \(c.noData) · no-baseline \(c.noBaseline)")
            if !owner.kpis.isEmpty { Output.table(KPIStatusCommand.headers, owner.kpis.map(KPIStatusCommand.row)) }
        }
        Output.line()
        Output.line("Unowned — layers: \(card.unowned.layers.map(\.rawValue).joined(separator: ", ").nonEmpty ?? "none"); KPIs: \(card.unowned.kpis.count)")
        if !card.unowned.kpis.isEmpty { Output.table(KPIStatusCommand.headers, card.unowned.kpis.map(KPIStatusCommand.row)) }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

/// `linkstar kpi status`.
struct KPIStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Each KPI's current value, baseline, target, delta and status.",
        discussion: """
        Status rule (direction-aware): no baseline → no-baseline; no data → no-data; at or beyond target (the baseline when no target) → on-track;
        short by no more than the warning band → at-risk; further → off-track. Rates come from summed counts; counts and amounts are daily averages.
        """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var periodOptions: PeriodOptions
    @Option(help: "Only this layer.") var layer: String?
    @Option(help: "Only KPIs this person owns.") var owner: String?

    func validate() throws {
        try ErrorReport.validating {
            try periodOptions.check()
            _ = try Parse.layer(layer)
        }
    }

    func run() async throws {
        let database = try global.open()
        let statuses = try await database.kpiStatus(period: try periodOptions.range(database), layer: try Parse.layer(layer), owner: owner)
        if output.json { return try Output.json(statuses) }
        Output.table(Self.headers, statuses.map(Self.row))
        for s in statuses where s.note != nil { Output.line("#\(s.id): \(s.note!)") }
    }

    static let headers = ["ID", "LAYER", "METRIC", "SEGMENT", "OWNER", "CURRENT", "BASELINE", "TARGET", "DELTA", "STATUS"]

    static func row(_ s: KPIStatusView) -> [String] {
        func value(_ v: Double?) -> String {
            ValueFormat.format(v, unit: s.unit, upperBound: s.upperBound) + (v != nil && s.currency != nil ? " \(s.currency!)" : "")
        }
        var delta = "-"
        if let d = s.delta {
            if s.unit == .ratio && s.upperBound != nil { delta = String(format: "%+.2fpp", d * 100) }
            else if s.unit == .ratio { delta = String(format: "%+.2f", d) }
            else { delta = (d < 0 ? "-" : "+") + ValueFormat.format(abs(d), unit: s.unit) }
        }
        return [String(s.id), s.layer.rawValue, s.metric, s.segment.description, s.owner ?? "(unowned)", value(s.current),
                value(s.baseline), value(s.target), delta, s.status.rawValue]
    }
}
