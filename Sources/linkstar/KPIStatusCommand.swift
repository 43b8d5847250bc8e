import ArgumentParser
import LinkStarCore
import LinkStarStore
import LinkStarText

/// `linkstar kpi status`.
struct KPIStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: tr("Each KPI's current value, baseline, target, delta and status."),
        discussion: tr("""
        Status rule (direction-aware): no baseline → no-baseline; no data → no-data; at or beyond target (the baseline when no target) → on-track;
        short by no more than the warning band → at-risk; further → off-track. Rates come from summed counts over the cells (segment × day)
        that report every part (COVERAGE: the share of the denominator that did; below the threshold the KPI is partial);
        observed counts and amounts are daily averages (/day); loop-health counts are period totals.
        """))
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var periodOptions: PeriodOptions
    @Option(help: h("Only this layer.")) var layer: String?
    @Option(help: h("Only KPIs this person owns.")) var owner: String?

    func validate() throws {
        try ErrorReport.validating {
            try periodOptions.check()
            _ = try Parse.layer(layer)
        }
    }

    func run() async throws {
        let database = try await global.open()
        let statuses = try await database.kpiStatus(period: try periodOptions.range(database), layer: try Parse.layer(layer), owner: owner)
        if output.json { return try Output.json(statuses) }
        Output.table(Rows.kpiStatusHeaders, statuses.map { Rows.kpiStatus($0, reader) })
        for s in statuses where s.note != nil { Output.line("#\(s.id): \(s.note!)") }
    }
}
