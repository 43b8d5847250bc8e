import ArgumentParser
import LinkStarCore
import LinkStarStore
import LinkStarText

/// `linkstar scorecard`: per owner, the layers and KPIs they own with status.
struct ScorecardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorecard", abstract: tr("Each owner's layers and KPIs with status, and what nobody owns."))
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var periodOptions: PeriodOptions
    @Option(help: h("Only this person.")) var owner: String?

    func validate() throws { try ErrorReport.validating { try periodOptions.check() } }

    func run() async throws {
        let database = try await global.open()
        let card = try await database.scorecard(period: try periodOptions.range(database), owner: owner)
        if output.json { return try Output.json(card) }
        Output.line("Scorecard \(card.from)..\(card.to)")
        for owner in card.owners {
            Output.line()
            let c = owner.counts
            let who = owner.displayName.map { "\(owner.owner) · \($0)" } ?? owner.owner
            let layers: Message = owner.layers.isEmpty ? "no layer" : Message.joined(owner.layers.map(\.label), separator: ", ")
            Output.line(owner.backupFor.isEmpty ? "\(who) — owns \(layers)"
                        : "\(who) — owns \(layers); backup for \(Message.joined(owner.backupFor.map(\.label), separator: ", "))")
            let counts: [Message] = KPIStatus.allCases.map { status in
                let n = switch status {
                case .onTrack: c.onTrack
                case .atRisk: c.atRisk
                case .offTrack: c.offTrack
                case .noData: c.noData
                case .noBaseline: c.noBaseline
                }
                return "\(status) \(n)"
            }
            Output.line("  \(Message.joined(counts, separator: " · "))")
            if !owner.kpis.isEmpty { Output.table(Rows.kpiStatusHeaders, owner.kpis.map { Rows.kpiStatus($0, reader) }) }
        }
        Output.line()
        let unownedLayers: Message = card.unowned.layers.isEmpty ? "none" : Message.joined(card.unowned.layers.map(\.label), separator: ", ")
        Output.line("Unowned — layers: \(unownedLayers); KPIs: \(card.unowned.kpis.count)")
        if !card.unowned.kpis.isEmpty { Output.table(Rows.kpiStatusHeaders, card.unowned.kpis.map { Rows.kpiStatus($0, reader) }) }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
