import ArgumentParser
import LinkStarCore
import LinkStarStore

/// `linkstar metric list|show|define`.
struct MetricCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metric", abstract: tr("The metric catalog: exact definitions, units, good direction, layer."),
        subcommands: [List.self, Show.self, Define.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: tr("List catalog metrics."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: h("Only this layer's metrics.")) var layer: String?

        func validate() throws { try ErrorReport.validating { _ = try Parse.layer(layer) } }

        func run() async throws {
            let metrics = try await global.open().metrics(layer: try Parse.layer(layer))
            if output.json { return try Output.json(metrics) }
            Output.table(["METRIC", "NAME", "UNIT", "GOOD", "LAYER", "STAGE", "FORMULA"], metrics.map {
                [$0.key, MetricCatalog.text(key: $0.key, name: $0.name, definition: $0.definition, language: CLILanguage.current).name,
                 tr($0.unit), tr($0.direction), tr($0.layer), $0.funnelStage ? tr("yes") : "",
                 $0.formula ?? tr($0.source == .workspace ? "(LinkStar records)" : "(observed)")]
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: tr("Show one metric's definition."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Metric key.")) var key: String

        func run() async throws {
            let m = try await global.open().metric(key)
            if output.json { return try Output.json(m) }
            let text = MetricCatalog.text(key: m.key, name: m.name, definition: m.definition, language: CLILanguage.current)
            Output.line("\(m.key) · \(text.name)")
            Output.line("definition: \(text.definition)")
            Output.line(m.upperBound.map { "unit:       \(m.unit) (0 to \(ValueFormat.format($0, unit: .count)))" } ?? "unit:       \(m.unit)")
            Output.line(m.direction == .up ? "good:       up (higher is better)" : "good:       down (lower is better)")
            Output.line("layer:      \(m.layer)")
            Output.line(m.formula.map { "formula:    \($0)" } ?? (m.source == .workspace ? "formula:    counted from LinkStar's own records" : "formula:    observed directly (base metric)"))
            Output.line(m.funnelStage ? "funnel:     a funnel stage (sessions reaching this step; never more than the stage above on one cell)" : "funnel:     not a funnel stage")
            Output.line("as a KPI:   \(m.aggregation.explanationLabel)")
            Output.line(m.builtin ? "catalog:    built-in" : "catalog:    custom")
        }
    }

    struct Define: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "define", 
            abstract: tr("Add a custom metric: a base metric (--unit) or a derived one (--formula over base metrics)."),
            discussion: tr("Examples:\n  linkstar metric define live_viewers --unit count --direction up --layer traffic --definition \"TikTok live unique viewers\"\n  linkstar metric define live_ctr --formula \"clicks / live_viewers\" --direction up --layer traffic --definition \"...\""))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("New metric key (snake_case).")) var key: String
        @Option(help: h("Exact definition: what is counted, from which report.")) var definition: String
        @Option(help: h("up (higher is better) | down")) var direction: String
        @Option(help: h("Layer the metric belongs to.")) var layer: String
        @Option(help: h("count | currency | seconds for a base metric.")) var unit: String?
        @Option(help: h("\"a / b\" or \"(a - b) / c\" over base metrics.")) var formula: String?
        @Option(help: h("Display name.")) var name: String?
        @Flag(help: h("A count/count ratio that may exceed 1 (default: bounded 0 to 1).")) var unbounded = false

        func validate() throws { try ErrorReport.validating { _ = try makeInput() } }

        func makeInput() throws -> NewMetric {
            try NewMetric.parse(key: key, name: name, definition: definition, unit: unit, direction: direction, layer: layer,
                                formula: formula, unbounded: unbounded)
        }

        func run() async throws {
            let metric = try await global.open().defineMetric(try makeInput(), actor: try await global.actor(.metricDefine))
            if output.json { return try Output.json(metric) }
            let defined: Message = "Defined \(metric.key): \(metric.unit), \(metric.direction) is good, layer \(metric.layer)"
            Output.line(metric.formula.map { "\(defined), = \($0)" } ?? defined)
        }
    }
}
