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
