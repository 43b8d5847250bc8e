import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore
import LinkStarText
import LinkStarWeb

/// `linkstar review …`: periodic reviews (复盘) with checklists that block closing.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: tr("Periodic reviews (复盘): due dates, start, check items, findings and decisions, close with sign-off, the review pack."),
        subcommands: [Due.self, Start.self, Check.self, Uncheck.self, Note.self, AddAction.self, Close.self, Amend.self, Show.self, List.self,
                      Configure.self])

    struct Amend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "amend", abstract: tr("Add a dated addendum to a closed review; the review itself does not change."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Review id.")) var id: Int64
        @Option(help: h("The addendum: a correction or a late finding.")) var note: String

        func run() async throws {
            let review = try await global.open().amendReview(id, note: note, actor: try await global.actor(.reviewAmend))
            if output.json { return try Output.json(review) }
            Output.line(review.addenda.count == 1 ? "#\(id): 1 addendum" : "#\(id): \(review.addenda.count) addenda")
        }
    }

    struct Due: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "due", abstract: tr("Each layer's and the funnel's last review, next due date, days overdue, owner."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: h("Treat this day as today.")) var today: String?

        func validate() throws { try ErrorReport.validating { _ = try ReviewCommand.day(today) } }

        func run() async throws {
            let database = try await global.open()
            let due = try await database.reviewsDue(today: database.today(try ReviewCommand.day(today)))
            if output.json { return try Output.json(due) }
            Output.table(Rows.reviewDueHeaders, due.map { Rows.reviewDue($0, reader) })
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: tr("Start the review of a layer (or the funnel) for a period (default: the one due now)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("traffic | landing | conversion | retention | feedback | funnel")) var scope: String
        @Option(help: h("The period: 2026-W47, 2026-11, 2026-Q4 or a day inside it.")) var period: String?
        @Option(help: h("Treat this day as today.")) var today: String?

        func validate() throws {
            try ErrorReport.validating {
                _ = try ReviewScope(parsing: scope)
                _ = try ReviewCommand.day(today)
            }
        }

        func run() async throws {
            let database = try await global.open()
            let review = try await database.startReview(try ReviewScope(parsing: scope), period: period,
                                                        today: database.today(try ReviewCommand.day(today)), actor: try await global.actor(.reviewStart))
            if output.json { return try Output.json(review) }
            ReviewCommand.printReview(review)
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", abstract: tr("Check an item (records who and when)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Review id.")) var id: Int64
        @Argument(help: h("Item number.")) var item: Int
        @Option(help: h("What was found or done.")) var note: String?

        func run() async throws {
            let review = try await global.open().setReviewItem(id, item: item, checked: true, note: note, actor: try await global.actor(.reviewCheck))
            if output.json { return try Output.json(review) }
            Output.line("#\(id) item \(item) checked; \(ReviewCommand.openItems(review.requiredOpen))")
        }
    }

    struct Uncheck: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "uncheck", abstract: tr("Uncheck an item."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Review id.")) var id: Int64
        @Argument(help: h("Item number.")) var item: Int

        func run() async throws {
            let review = try await global.open().setReviewItem(id, item: item, checked: false, actor: try await global.actor(.reviewCheck))
            if output.json { return try Output.json(review) }
            Output.line("#\(id) item \(item) unchecked; \(ReviewCommand.openItems(review.requiredOpen))")
        }
    }

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "note", abstract: tr("Record a finding or a decision."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Review id.")) var id: Int64
        @Option(help: h("A finding.")) var finding: String?
        @Option(help: h("A decision.")) var decision: String?

        func validate() throws {
            if (finding == nil) == (decision == nil) { throw ValidationError(tr("give exactly one of --finding or --decision")) }
        }

        func run() async throws {
            let review = try await global.open().addReviewNote(id, kind: finding != nil ? "finding" : "decision", text: finding ?? decision!,
                                                               actor: try await global.actor(.reviewNote))
            if output.json { return try Output.json(review) }
            Output.line("#\(id): \(review.findings.count) finding(s), \(review.decisions.count) decision(s)")
        }
    }

    struct AddAction: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-action", abstract: tr("Log an action decided in this review (linked to it)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Review id.")) var id: Int64
        @OptionGroup var fields: ActionFields

        func makeInput() throws -> NewAction { try fields.makeInput() }

        func validate() throws { try ErrorReport.validating { _ = try makeInput() } }

        func run() async throws {
            let database = try await global.open()
            let result = try await database.addReviewAction(id, try makeInput(), today: database.today(), actor: try await global.actor(.actionLog))
            if output.json { return try Output.json(result) }
            Output.raw(String(result.action.id))
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close", 
            abstract: tr("Close a review: every required item checked, signed off by the owner, the backup or an admin; it can never change again."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Review id.")) var id: Int64

        func run() async throws {
            let review = try await global.open().closeReview(id, actor: try await global.actor(.reviewClose))
            if output.json { return try Output.json(review) }
            Output.line("#\(id) closed by \(review.closedBy ?? "-"): the \(reader.scope(review.scope)) review for \(review.period)")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: tr("The review pack: KPIs, funnel with bottleneck, actions, checklist, findings, decisions."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: h("Review id.")) var id: Int64
        @Option(help: h("text | md | html | json")) var format: String = "text"
        @Flag(help: h("Same as --format json.")) var json = false

        func validate() throws {
            if !["text", "md", "html", "json"].contains(format) { throw ValidationError(tr("--format must be text, md, html or json")) }
        }

        func run() async throws {
            let database = try await global.open()
            let pack = try await database.reviewPack(id)
            if json || format == "json" { return try Output.json(pack) }
            if format == "html" { return Output.raw(ReviewPage.render(pack, reader, viewer: nil, message: nil, generatedAt: database.now())) }
            Output.raw(ReviewPackText.render(pack, markdown: format == "md", reader))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: tr("List reviews, newest first."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: h("Only this layer or funnel.")) var scope: String?

        func run() async throws {
            let reviews = try await global.open().reviews(scope: try scope.map { try ReviewScope(parsing: $0) })
            if output.json { return try Output.json(reviews) }
            Output.table(["ID", "SCOPE", "PERIOD", "DUE", "STATUS", "OPEN ITEMS", "CLOSED BY"], reviews.map {
                [String($0.id), reader.scope($0.scope), $0.period, $0.dueOn.description, tr($0.status), String($0.requiredOpen), $0.closedBy ?? "-"]
            })
        }
    }

    struct Configure: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "configure", abstract: tr("Set the funnel review's owner, cadence and day, and the gating grace period."))
        @OptionGroup var global: GlobalOptions
        @Option(help: h("Who owns the whole-funnel review.")) var funnelOwner: String?
        @Option(help: h("weekly | biweekly | monthly | quarterly (default monthly).")) var funnelCadence: String?
        @Option(help: h("Weekday or day of month the funnel review is due.")) var funnelDay: String?
        @Option(help: h("Days a review may be overdue before new actions on its layer are refused (default 3).")) var grace: Int?

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
        let heading: Message = "Review #\(r.id): \(reader.scope(r.scope)) \(r.period) (\(r.from)..\(r.to)), due \(r.dueOn), \(r.status)"
        var facts: [Message] = [heading]
        if let version = r.playbookVersion { facts.append("playbook v\(version)") }
        facts.append("owner \(r.owner ?? reader.unowned)")
        Output.line(Message.joined(facts, separator: " · "))
        for item in r.items {
            let box = item.checked ? "[x]" : "[ ]"
            var line = " \(item.position). \(box) \(reader.item(item))"
            if item.optional { line += " " + tr("(optional)") }
            if item.source != .playbook { line += "  ← " + tr(item.source) }
            if let by = item.checkedBy { line += " — \(by)" }
            if let note = item.note { line += ": \(note)" }
            Output.raw(line)
        }
        Output.line(openItems(r.requiredOpen))
    }

    /// `3 required items open`.
    static func openItems(_ count: Int) -> Message {
        count == 1 ? "1 required item open" : "\(count) required items open"
    }
}
