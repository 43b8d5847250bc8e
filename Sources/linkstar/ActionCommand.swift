import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore
import LinkStarText

/// `linkstar action …`: optimization actions, their lifecycle and honest evaluation.
struct ActionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "action",
        abstract: tr("Optimization actions: log, start, stop, record A/B counts, evaluate, conclude, follow up, replicate."),
        discussion: tr("Lifecycle: proposed → running → measuring → evaluated → replicated | rolled-back | archived; cancelled at any step before evaluated."),
        subcommands: [Log.self, Edit.self, Cancel.self, List.self, Show.self, Start.self, Stop.self, Record.self, Evaluate.self, Conclude.self,
                      Followup.self, Replicate.self])

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "log", abstract: tr("Log a proposed action; prints its id."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var fields: ActionFields
        @OptionGroup var gate: GateOptions

        func validate() throws {
            try ErrorReport.validating {
                _ = try makeInput()
                _ = try gate.resolved()
            }
        }

        func makeInput() throws -> NewAction { try fields.makeInput() }

        func run() async throws {
            let (today, override) = try gate.resolved()
            let database = try await global.open()
            let result = try await database.logAction(try makeInput(), today: database.today(today), override: override, actor: try await global.actor(.actionLog))
            if output.json { return try Output.json(result) }
            Output.raw(String(result.action.id))
            for warning in result.warnings { Output.error("warning: \(warning)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: tr("List actions (proposed ones ranked by ICE)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: h("Only this status.")) var status: String?
        @Option(help: h("Only this layer.")) var layer: String?
        @Option(help: h("Only this owner.")) var owner: String?

        func validate() throws {
            try ErrorReport.validating {
                _ = try Parse.layer(layer)
                _ = try ActionCommand.status(status)
            }
        }

        func run() async throws {
            let actions = try await global.open().actions(status: try ActionCommand.status(status), layer: try Parse.layer(layer), owner: owner)
            if output.json { return try Output.json(actions) }
            Output.table(["ID", "STATUS", "ICE", "LAYER", "KPI", "SEGMENT", "KIND", "OWNER", "VERDICT", "TITLE"], actions.map {
                [String($0.id), tr($0.status), $0.iceScore.map { String(format: "%.1f", $0) } ?? "-", tr($0.layer), metricName($0.metric),
                 $0.segment.description, tr($0.kind), $0.owner ?? "-", $0.verdict.map { tr($0) } ?? "-", $0.title]
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: tr("Show an action with its evaluations, follow-ups and history."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Action id.")) var id: Int64

        func run() async throws {
            let detail = try await global.open().action(id: id)
            if output.json { return try Output.json(detail) }
            let a = detail.action
            Output.line("#\(a.id) \(a.title)")
            var status: [Message] = [a.status.label]
            if let verdict = a.verdict { status.append("verdict \(verdict)") }
            if let decision = a.decision { status.append("decision \(decision): \(a.decisionReason ?? "")") }
            Output.line("status:     \(Message.joined(status, separator: " · "))")
            Output.line("target:     \(metricName(a.metric)) in \(a.segment) (\(a.layer)) · \(a.kind) · owner \(a.owner ?? "-")")
            Output.line("hypothesis: \(a.hypothesis)")
            if let expected = a.expected { Output.line("expected:   \(expected)") }
            if let ice = a.ice { Output.line("ice:        \(ice.impact),\(ice.confidence),\(ice.ease) (\(String(format: "%.1f", ice.score)))") }
            let run = "\(a.startedOn?.description ?? "-") … \(a.stoppedOn?.description ?? "-")"
            Output.line(a.rampUpDays > 0 ? "run:        \(run) (ramp-up \(a.rampUpDays) days)" : "run:        \(run)")
            if let control = a.controlSegment { Output.line("control:    \(control)") }
            if let from = a.replicatedFrom { Output.line("replicates: #\(from)") }
            if !detail.replications.isEmpty { Output.line("replicated as: \(detail.replications.map { "#\($0)" }.joined(separator: ", "))") }
            if !detail.variants.isEmpty {
                Output.line()
                Output.table(["VARIANT", "EXPOSURES", "CONVERSIONS", "RATE"], detail.variants.map {
                    [$0.variant, String($0.exposures), String($0.conversions), String(format: "%.2f%%", $0.rate * 100)]
                })
            }
            for evaluation in detail.evaluations {
                Output.line()
                ActionCommand.printEvaluation(evaluation)
            }
            if !detail.followups.isEmpty {
                Output.line()
                Output.table(["CHECKPOINT", "DUE", "DONE", "VERDICT", "DECAYED"], detail.followups.map {
                    [tr("+\($0.offsetDays) d"), $0.dueOn.description, tr($0.done ? "yes" : "no"), $0.verdict.map { tr($0) } ?? "-", $0.decayed.map { tr($0 ? "yes" : "no") } ?? "-"]
                })
            }
            Output.line()
            Output.line("History")
            Output.table(["AT", "BY", "ACTION", "CHANGE"], detail.history.map {
                [CLILanguage.time($0.at), $0.actor, $0.action, Rows.auditChange($0)]
            })
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: tr("proposed → running."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Action id.")) var id: Int64
        @Option(help: h("Start day (default today).")) var date: String?
        @OptionGroup var gate: GateOptions

        func validate() throws {
            try ErrorReport.validating {
                _ = try date.map { try Day(parsing: $0) }
                _ = try gate.resolved()
            }
        }

        func run() async throws {
            let (gateToday, override) = try gate.resolved()
            let database = try await global.open()
            let today = database.today(gateToday)
            let day = try date.map { try Day(parsing: $0) } ?? today
            let result = try await database.startAction(id: id, on: day, today: today, override: override, actor: try await global.actor(.actionStart))
            try ActionCommand.print(result, output: output, message: "#\(id) running since \(day)")
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stop", abstract: tr("running → measuring."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Action id.")) var id: Int64
        @Option(help: h("Stop day (default today).")) var date: String?

        func validate() throws { try ErrorReport.validating { _ = try date.map { try Day(parsing: $0) } } }

        func run() async throws {
            let database = try await global.open()
            let day = try date.map { try Day(parsing: $0) } ?? database.today()
            let result = try await database.stopAction(id: id, on: day, actor: try await global.actor(.actionStop))
            try ActionCommand.print(result, output: output, message: "#\(id) stopped on \(day): ready to evaluate")
        }
    }

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "record", abstract: tr("Record an A/B variant's exposures and conversions."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Action id.")) var id: Int64
        @Option(help: h("control | treatment | another variant name.")) var variant: String
        @Option(help: h("Visitors exposed.")) var exposures: Int
        @Option(help: h("Visitors who converted.")) var conversions: Int

        func run() async throws {
            let detail = try await global.open().recordVariant(id: id, variant: variant, exposures: exposures, conversions: conversions,
                                                               actor: try await global.actor(.actionRecord))
            if output.json { return try Output.json(detail.variants) }
            Output.line("#\(id) \(variant): \(conversions)/\(exposures)")
        }
    }

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "evaluate", 
            abstract: tr("Evaluate a measured action: A/B z-test with SRM check, or before/after (z-test for rates, Welch's t for means), or difference-in-differences with a control segment."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Action id.")) var id: Int64

        func run() async throws {
            let evaluation = try await global.open().evaluateAction(id: id, actor: try await global.actor(.actionEvaluate))
            if output.json { return try Output.json(evaluation) }
            ActionCommand.printEvaluation(evaluation)
        }
    }

    struct Conclude: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "conclude", abstract: tr("Conclude: replicate (won only) | roll-back | archive, with a reason."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Action id.")) var id: Int64
        @Option(help: h("replicate | roll-back | archive")) var decision: String
        @Option(help: h("Why.")) var reason: String
        @Option(help: h("Follow-up checkpoints in days after the stop day (won actions; default 7,30,90).")) var checkpoints: String?

        func validate() throws {
            try ErrorReport.validating {
                _ = try ActionCommand.decision(decision)
                _ = try checkpoints.map { try ActionRules.parseCheckpoints($0) }
            }
        }

        func run() async throws {
            let result = try await global.open().concludeAction(id: id, decision: try ActionCommand.decision(decision), reason: reason,
                                                                checkpoints: try checkpoints.map { try ActionRules.parseCheckpoints($0) },
                                                                actor: try await global.actor(.actionConclude))
            try ActionCommand.print(result, output: output, message: "#\(id) \(result.action.status)")
        }
    }

    struct Followup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "followup", abstract: tr("Run the follow-up checkpoints that are due: re-measure and flag decay."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Action id.")) var id: Int64
        @Option(help: h("Treat this day as today.")) var today: String?

        func validate() throws { try ErrorReport.validating { _ = try today.map { try Day(parsing: $0) } } }

        func run() async throws {
            let database = try await global.open()
            let results = try await database.followUpAction(id: id, today: database.today(try today.map { try Day(parsing: $0, field: "today") }),
                                                            actor: try await global.actor(.actionFollowup))
            if output.json { return try Output.json(results) }
            if results.isEmpty { Output.line("No checkpoint of #\(id) is due (see linkstar action show \(id)).") }
            for result in results {
                ActionCommand.printEvaluation(result)
                Output.line()
            }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: tr("Change a proposed action's plan: title, hypothesis, expected effect, ICE, owner (audited)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Action id.")) var id: Int64
        @Option(help: h("New title.")) var title: String?
        @Option(help: h("New hypothesis.")) var hypothesis: String?
        @Option(help: h("New expected effect.")) var expected: String?
        @Option(help: h("New impact,confidence,ease (each 1-10).")) var ice: String?
        @Option(help: h("New owner handle.")) var owner: String?

        func makeChanges() throws -> ActionChanges {
            try ActionChanges.parse(title: title, hypothesis: hypothesis, expected: expected, ice: ice, owner: owner)
        }
        func validate() throws { try ErrorReport.validating { _ = try makeChanges() } }

        func run() async throws {
            let result = try await global.open().editAction(id: id, try makeChanges(), actor: try await global.actor(.actionEdit))
            try ActionCommand.print(result, output: output, message: "#\(id) \(result.action.title)")
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: tr("Cancel an action before it is evaluated (a mistake, or overtaken by events)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Action id.")) var id: Int64
        @Option(help: h("Why (kept with the action and in the audit log).")) var reason: String

        func run() async throws {
            let result = try await global.open().cancelAction(id: id, reason: reason, actor: try await global.actor(.actionCancel))
            try ActionCommand.print(result, output: output, message: "#\(id) cancelled")
        }
    }

    struct Replicate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "replicate", abstract: tr("Create a linked action for another market or channel."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Action id.")) var id: Int64
        @Option(help: h("channel/market/device to replicate to.")) var segment: String

        func validate() throws { try ErrorReport.validating { _ = try Segment(parsing: segment) } }

        func run() async throws {
            let result = try await global.open().replicateAction(id: id, segment: try Segment(parsing: segment), actor: try await global.actor(.actionReplicate))
            if output.json { return try Output.json(result) }
            Output.raw(String(result.action.id))
        }
    }

    static func status(_ text: String?) throws -> ActionStatus? { try text.map { try ActionStatus.parse($0, field: "status") } }

    static func decision(_ text: String) throws -> ActionDecision { try ActionDecision.parse(text, field: "decision") }

    static func print(_ result: ActionResult, output: OutputOptions, message: Message) throws {
        if output.json { return try Output.json(result) }
        Output.line(message)
        for warning in result.warnings { Output.error("warning: \(warning)") }
    }

    static func printEvaluation(_ e: ActionEvaluation) {
        let title: Message = e.purpose == .followup ? "Follow-up +\(e.checkpointDays ?? 0)d" : "Evaluation"
        let what: Message = e.controlSegment.map { "\(metricName(e.metric)) in \(e.segment) vs control \($0)" } ?? "\(metricName(e.metric)) in \(e.segment)"
        Output.line("\(title) of #\(e.actionId): \(e.method), \(what)")
        let labels: [Message] = ["before", "after", "control before", "control after"]
        let width = labels.map { Table.displayWidth(tr($0)) }.max() ?? 0
        func window(_ label: Message, _ w: WindowSummary?) {
            guard let w else { return }
            let value = w.value.map { v in w.numerator != nil ? String(format: "%.4f (%.0f/%.0f)", v, w.numerator!, w.denominator!) : String(format: "%.4g", v) } ?? "-"
            let padded = tr(label) + String(repeating: " ", count: max(0, width - Table.displayWidth(tr(label))))
            Output.line("  \(padded) \(w.from)..\(w.to): \(value), \(w.daysWithData)/\(w.days) days with data")
        }
        window(labels[0], e.before)
        window(labels[1], e.after)
        window(labels[2], e.controlBefore)
        window(labels[3], e.controlAfter)
        for v in e.variants ?? [] {
            Output.line("  \(v.variant): \(v.conversions)/\(v.exposures) = \(String(format: "%.3f%%", v.rate * 100))")
        }
        let estimate = String(format: "%+.5g", e.estimate), low = String(format: "%+.5g", e.ciLow), high = String(format: "%+.5g", e.ciHigh)
        let p = String(format: "%.3g", e.pValue)
        Output.line(e.relativeChange.map { "  estimate \(estimate) (95% CI \(low) … \(high)), \(String(format: "%+.1f%%", $0 * 100)) relative, p = \(p)" }
                    ?? "  estimate \(estimate) (95% CI \(low) … \(high)), p = \(p)")
        if let naive = e.naiveEstimate, let naiveP = e.naivePValue, let verdict = e.naiveVerdict {
            Output.line("  naive before/after: \(String(format: "%+.5g", naive)), p = \(String(format: "%.3g", naiveP)) → \(verdict)")
        }
        if let srm = e.srm {
            let statistic = String(format: "%.3g", srm.statistic), srmP = String(format: "%.3g", srm.pValue)
            Output.line(srm.mismatch ? "  sample ratio: chi-square \(statistic), p = \(srmP) MISMATCH" : "  sample ratio: chi-square \(statistic), p = \(srmP)")
        }
        Output.line(e.decayed == true ? "  verdict: \(tr(e.verdict).uppercased()) (alpha \(e.alpha)) · DECAYED" : "  verdict: \(tr(e.verdict).uppercased()) (alpha \(e.alpha))")
        for warning in e.warnings { Output.line("  warning: \(warning)") }
    }
}
