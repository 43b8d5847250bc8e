import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore

/// `linkstar review …`: periodic reviews (复盘) with checklists that block closing.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Periodic reviews (复盘): due dates, start, check items, findings and decisions, close with sign-off, the review pack.",
        subcommands: [Due.self, Start.self, Check.self, Uncheck.self, Note.self, AddAction.self, Close.self, Amend.self, Show.self, List.self,
                      Configure.self])

    struct Amend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a dated addendum to a closed review; the review itself does not change.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Review id.") var id: Int64
        @Option(help: "The addendum: a correction or a late finding.") var note: String

        func run() async throws {
            let review = try await global.open().amendReview(id, note: note, actor: try await global.actor(.reviewAmend))
            if output.json { return try Output.json(review) }
            Output.line("#\(id): \(review.addenda.count) addend\(review.addenda.count == 1 ? "um" : "a")")
        }
    }

    struct Due: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each layer's and the funnel's last review, next due date, days overdue, owner.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Treat this day as today.") var today: String?

        func validate() throws { try ErrorReport.validating { _ = try ReviewCommand.day(today) } }

        func run() async throws {
            let database = try global.open()
            let due = try await database.reviewsDue(today: database.today(try ReviewCommand.day(today)))
            if output.json { return try Output.json(due) }
            Output.table(["SCOPE", "OWNER", "CADENCE", "LAST", "PERIOD DUE", "DUE ON", "STATUS", "OVERDUE", "NEXT"], due.map(Self.row))
        }

        static func row(_ d: ReviewDue) -> [String] {
            var last = "-"
            if let period = d.lastPeriod, let id = d.lastReviewId { last = "\(period) #\(id)" }
            var status = d.status.rawValue
            if let open = d.openReviewId { status += " #\(open)" }
            let overdue: String = d.daysOverdue > 0 ? "\(d.daysOverdue)d" : "-"
            let cadence: String = d.cadence?.rawValue ?? "-"
            let period: String = d.duePeriod ?? "-"
            let dueOn: String = d.dueOn?.description ?? "-"
            let next: String = d.nextDueOn?.description ?? "-"
            return [d.scope.description, d.owner ?? "(unowned)", cadence, last, period, dueOn, status, overdue, next]
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start the review of a layer (or the funnel) for a period (default: the one due now).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "traffic | landing | conversion | retention | feedback | funnel") var scope: String
        @Option(help: "The period: 2026-W47, 2026-11, 2026-Q4 or a day inside it.") var period: String?
        @Option(help: "Treat this day as today.") var today: String?

        func validate() throws {
            try ErrorReport.validating {
                _ = try ReviewScope(parsing: scope)
                _ = try ReviewCommand.day(today)
            }
        }

        func run() async throws {
            let database = try global.open()
            let review = try await database.startReview(try ReviewScope(parsing: scope), period: period,
                                                        today: database.today(try ReviewCommand.day(today)), actor: try await global.actor(.reviewStart))
            if output.json { return try Output.json(review) }
            ReviewCommand.printReview(review)
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check an item (records who and when).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Review id.") var id: Int64
        @Argument(help: "Item number.") var item: Int
        @Option(help: "What was found or done.") var note: String?

        func run() async throws {
            let review = try await global.open().setReviewItem(id, item: item, checked: true, note: note, actor: try await global.actor(.reviewCheck))
            if output.json { return try Output.json(review) }
            Output.line("#\(id) item \(item) checked; \(review.requiredOpen) required item\(review.requiredOpen == 1 ? "" : "s") open")
        }
    }

    struct Uncheck: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Uncheck an item.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Review id.") var id: Int64
        @Argument(help: "Item number.") var item: Int

        func run() async throws {
            let review = try await global.open().setReviewItem(id, item: item, checked: false, actor: try await global.actor(.reviewCheck))
            if output.json { return try Output.json(review) }
            Output.line("#\(id) item \(item) unchecked; \(review.requiredOpen) required item\(review.requiredOpen == 1 ? "" : "s") open")
        }
    }

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a finding or a decision.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Review id.") var id: Int64
        @Option(help: "A finding.") var finding: String?
        @Option(help: "A decision.") var decision: String?

        func validate() throws {
            if (finding == nil) == (decision == nil) { throw ValidationError("give exactly one of --finding or --decision") }
        }

        func run() async throws {
            let review = try await global.open().addReviewNote(id, kind: finding != nil ? "finding" : "decision", text: finding ?? decision!,
                                                               actor: try await global.actor(.reviewNote))
            if output.json { return try Output.json(review) }
            Output.line("#\(id): \(review.findings.count) finding\(review.findings.count == 1 ? "" : "s"), \(review.decisions.count) decision\(review.decisions.count == 1 ? "" : "s")")
        }
    }

    struct AddAction: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-action", abstract: "Log an action decided in this review (linked to it).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Review id.") var id: Int64
        @OptionGroup var fields: ActionFields

        func makeInput() throws -> NewAction { try fields.makeInput() }

        func validate() throws { try ErrorReport.validating { _ = try makeInput() } }

        func run() async throws {
            let database = try global.open()
            let result = try await database.addReviewAction(id, try makeInput(), today: database.today(), actor: try await global.actor(.actionLog))
            if output.json { return try Output.json(result) }
            Output.line(String(result.action.id))
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a review: every required item checked, signed off by the owner, the backup or an admin; it can never change again.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Review id.") var id: Int64

        func run() async throws {
            let review = try await global.open().closeReview(id, actor: try await global.actor(.reviewClose))
            if output.json { return try Output.json(review) }
            Output.line("#\(id) closed by \(review.closedBy ?? "-"): the \(review.scope) review for \(review.period)")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The review pack: KPIs, funnel with bottleneck, actions, checklist, findings, decisions.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Review id.") var id: Int64
        @Option(help: "text | md | json") var format: String = "text"
        @Flag(help: "Same as --format json.") var json = false

        func validate() throws {
            if !["text", "md", "json"].contains(format) { throw ValidationError("--format must be text, md or json") }
        }

        func run() async throws {
            let pack = try await global.open().reviewPack(id)
            if json || format == "json" { return try Output.json(pack) }
            Output.line(ReviewPackRenderer.render(pack, markdown: format == "md"))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List reviews, newest first.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this layer or funnel.") var scope: String?

        func run() async throws {
            let reviews = try await global.open().reviews(scope: try scope.map { try ReviewScope(parsing: $0) })
            if output.json { return try Output.json(reviews) }
            Output.table(["ID", "SCOPE", "PERIOD", "DUE", "STATUS", "OPEN ITEMS", "CLOSED BY"], reviews.map {
                [String($0.id), $0.scope.description, $0.period, $0.dueOn.description, $0.status.rawValue, String($0.requiredOpen), $0.closedBy ?? "-"]
            })
        }
    }

    struct Configure: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set the funnel review's owner, cadence and day, and the gating grace period.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Who owns the whole-funnel review.") var funnelOwner: String?
        @Option(help: "weekly | biweekly | monthly | quarterly (default monthly).") var funnelCadence: String?
        @Option(help: "Weekday or day of month the funnel review is due.") var funnelDay: String?
        @Option(help: "Days a review may be overdue before new actions on its layer are refused (default 3).") var grace: Int?

        func validate() throws {
            try ErrorReport.validating {
                _ = try funnelCadence.map { try ReviewCadence.parse($0, field: "funnel_cadence") }
            }
        }

        func run() async throws {
            try await global.open().configureReviews(funnelOwner: funnelOwner, funnelCadence: try funnelCadence.map { try ReviewCadence.parse($0, field: "funnel_cadence") },
                                                     funnelDay: funnelDay, graceDays: grace, actor: try await global.actor(.reviewConfigure))
            Output.line("Review settings saved.")
        }
    }

    /// The `--today` override, if given (nil: the workspace's clock).
    static func day(_ text: String?) throws -> Day? { try text.map { try Day(parsing: $0, field: "today") } }

    static func printReview(_ r: ReviewView) {
        Output.line("Review #\(r.id): \(r.scope) \(r.period) (\(r.from)..\(r.to)), due \(r.dueOn), \(r.status)"
                    + (r.playbookVersion.map { " · playbook v\($0)" } ?? "") + " · owner \(r.owner ?? "(unowned)")")
        for item in r.items {
            let box = item.checked ? "[x]" : "[ ]"
            Output.line(" \(item.position). \(box) \(item.text)\(item.optional ? " (optional)" : "")\(item.source == .playbook ? "" : "  ← \(item.source.rawValue)")"
                        + (item.checkedBy.map { " — \($0)" } ?? "") + (item.note.map { ": \($0)" } ?? ""))
        }
        Output.line("\(r.requiredOpen) required item\(r.requiredOpen == 1 ? "" : "s") open")
    }
}
