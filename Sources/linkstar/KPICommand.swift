import ArgumentParser
import LinkStarCore
import LinkStarStore
import LinkStarText

/// `linkstar kpi set|list|show`.
struct KPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpi", abstract: tr("KPIs: layer × metric × segment, owner, baseline, target, warning band."),
        subcommands: [Set.self, Edit.self, Retire.self, List.self, Show.self, KPIStatusCommand.self])

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", 
            abstract: tr("Correct a KPI's owner, baseline, target, band or currency by id (its layer, metric and segment stay); audited."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("KPI id.")) var id: Int64
        @OptionGroup var values: KPIValueOptions

        func makeChanges() throws -> KPISpec {
            try KPISpec.parseEdit(owner: values.owner, baseline: try values.baselineValue(), baselinePeriod: values.baselinePeriod,
                                  target: try values.targetValue(), warn: values.warn, currency: values.currency)
        }

        func validate() throws { try ErrorReport.validating { _ = try makeChanges() } }

        func run() async throws {
            let result = try await global.open().editKPI(id: id, try makeChanges(), actor: try await global.actor(.kpiEdit))
            if output.json { return try Output.json(result) }
            let k = result.kpi
            Output.line("\(Message.term(result.outcome.rawValue.capitalized)) KPI #\(k.id): baseline \(Rows.baseline(k, reader)) · target \(Rows.value(k.target, k, reader)) · owner \(k.owner ?? reader.unowned)")
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "retire", 
            abstract: tr("Retire a KPI: no longer judged; its past statuses and review snapshots stay as they were."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("KPI id.")) var id: Int64
        @Option(help: h("Why (kept with the KPI and in the audit log).")) var reason: String

        func run() async throws {
            let kpi = try await global.open().retireKPI(id: id, reason: reason, actor: try await global.actor(.kpiRetire))
            if output.json { return try Output.json(kpi) }
            Output.line("Retired KPI #\(kpi.id) \(metricName(kpi.metric)) \(kpi.segment)")
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", 
            abstract: tr("Create a KPI, or update the given fields of the KPI with the same layer, metric and segment."),
            discussion: tr("""
            Values take the metric's unit; rates accept percentages (--target 3.5% = 0.035).
            --warn is the warning band: how far short of target is still at-risk rather than off-track,
            absolute (0.005) or relative to target (10%, the default for a new KPI).
            Example: linkstar kpi set --metric checkout_to_order_rate --segment '*/MY/mobile' --baseline 62% --baseline-period 2026-09 --target 68% --owner chen.jie
            """))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: h("Catalog metric key.")) var metric: String
        @Option(help: h("Layer (default: the metric's layer).")) var layer: String?
        @Option(help: h("channel/market/device, each a value or * (default */*/*).")) var segment: String?
        @OptionGroup var values: KPIValueOptions

        func validate() throws { try ErrorReport.validating { _ = try makeSpec() } }

        func makeSpec() throws -> KPISpec {
            try KPISpec.parse(metric: metric, layer: layer, segment: segment, owner: values.owner, baseline: try values.baselineValue(),
                              baselinePeriod: values.baselinePeriod, target: try values.targetValue(), warn: values.warn, currency: values.currency)
        }

        func run() async throws {
            let result = try await global.open().setKPI(try makeSpec(), actor: try await global.actor(.kpiSet))
            if output.json { return try Output.json(result) }
            let k = result.kpi
            Output.line("\(Message.term(result.outcome.rawValue.capitalized)) KPI #\(k.id): \(k.layer) \(metricName(k.metric)) \(k.segment) · owner \(k.owner ?? reader.unowned) · baseline \(Rows.baseline(k, reader)) · target \(Rows.value(k.target, k, reader))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: tr("List KPIs."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: h("Only this layer.")) var layer: String?
        @Option(help: h("Only this metric.")) var metric: String?
        @Option(help: h("Only KPIs this person owns (directly or as layer owner).")) var owner: String?
        @Flag(help: h("Include retired KPIs.")) var all = false

        func validate() throws { try ErrorReport.validating { _ = try Parse.layer(layer) } }

        func run() async throws {
            let kpis = try await global.open().kpis(layer: try Parse.layer(layer), metric: metric, owner: owner, includeRetired: all)
            if output.json { return try Output.json(kpis) }
            Output.table(Rows.kpiHeaders, kpis.map { Rows.kpi($0, reader) })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: tr("Show one KPI."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("KPI id.")) var id: Int64

        func run() async throws {
            let k = try await global.open().kpi(id: id)
            if output.json { return try Output.json(k) }
            let r = reader
            Output.line("KPI #\(k.id): \(metricName(k.metric)) · \(k.layer) · \(k.segment)")
            let owner = k.owner ?? r.unowned
            Output.line(k.ownerSource == .layer ? "owner:    \(owner) (layer owner)" : "owner:    \(owner)")
            Output.line("baseline: \(Rows.baseline(k, r))")
            let target = Rows.value(k.target, k, r)
            Output.line(k.direction == .up ? "target:   \(target) (higher is better)" : "target:   \(target) (lower is better)")
            Output.line("band:     \(Rows.band(k, r)) short of target is at-risk; further is off-track")
            Output.line("value:    \(k.aggregation.explanationLabel)")
            if let retired = k.retired { Output.line("retired:  \(r.time(retired.at)) by \(retired.by): \(retired.reason)") }
        }
    }
}

/// The value flags `kpi set` and `kpi edit` share.
struct KPIValueOptions: ParsableArguments {
    @Option(help: h("Owner handle (default for a new KPI: the layer owner).")) var owner: String?
    @Option(help: h("Baseline value; needs --baseline-period.")) var baseline: String?
    @Option(help: h("Period the baseline was measured over: YYYY-MM-DD..YYYY-MM-DD or YYYY-MM.")) var baselinePeriod: String?
    @Option(help: h("Target value.")) var target: String?
    @Option(help: h("Warning band: absolute (0.005) or relative (10%).")) var warn: String?
    @Option(help: h("Currency of a money KPI's baseline and target (default: the data's one currency, else the reporting currency)."))
    var currency: String?

    func baselineValue() throws -> Double? { try baseline.map { try NumberInput.parse($0, field: "baseline") } }
    func targetValue() throws -> Double? { try target.map { try NumberInput.parse($0, field: "target") } }
}
