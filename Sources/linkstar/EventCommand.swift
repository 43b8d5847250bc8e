import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore

/// `linkstar event add|list|edit|delete`.
struct EventCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event", abstract: tr("Events that move numbers without any action: promotions, holidays, platform changes, stock-outs, outages."),
        subcommands: [Add.self, List.self, Edit.self, Delete.self])

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: tr("Correct an event's kind, title, days or segment (audited with before and after)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Event id.")) var id: Int64
        @Option(help: h("promo | holiday | platform | stockout | outage | other")) var kind: String?
        @Option(help: h("New title.")) var title: String?
        @Option(help: h("New first day.")) var from: String?
        @Option(help: h("New last day.")) var to: String?
        @Option(help: h("New channel/market/device.")) var segment: String?

        func makeChanges() throws -> EventChanges { try EventChanges.parse(kind: kind, title: title, from: from, to: to, segment: segment) }
        func validate() throws { try ErrorReport.validating { _ = try makeChanges() } }

        func run() async throws {
            let event = try await global.open().editEvent(id: id, try makeChanges(), actor: try await global.actor(.eventEdit))
            if output.json { return try Output.json(event) }
            Output.line("#\(event.id) \(event.label)")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", 
            abstract: tr("Delete an event logged by mistake: it no longer shows or confounds evaluations; the audit keeps it."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Event id.")) var id: Int64
        @Option(help: h("Why (kept in the audit log).")) var reason: String?

        func run() async throws {
            let event = try await global.open().deleteEvent(id: id, reason: reason, actor: try await global.actor(.eventDelete))
            if output.json { return try Output.json(event) }
            Output.line("Deleted event #\(event.id) \(event.label)")
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: tr("Log an event."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: h("promo | holiday | platform | stockout | outage | other")) var kind: String
        @Option(help: h("e.g. \"Prime Day\", \"11.11\", \"A9 ranking update\".")) var title: String
        @Option(help: h("First day.")) var from: String
        @Option(help: h("Last day (default: the first).")) var to: String?
        @Option(help: h("channel/market/device it affects (default */*/*).")) var segment: String?

        func validate() throws { try ErrorReport.validating { _ = try makeInput() } }

        func makeInput() throws -> NewEvent {
            try NewEvent.parse(kind: kind, title: title, from: from, to: to, segment: segment)
        }

        func run() async throws {
            let event = try await global.open().addEvent(try makeInput(), actor: try await global.actor(.eventAdd))
            if output.json { return try Output.json(event) }
            Output.raw(String(event.id))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: tr("List events."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: h("Only events overlapping this period.")) var period: String?
        @Option(help: h("Treat this day as today (for relative periods).")) var today: String?

        func run() async throws {
            let database = try await global.open()
            let range = try period.map { try PeriodSpec.parse($0, today: database.today(try today.map { try Day(parsing: $0, field: "today") })) }
            let events = try await database.events(overlapping: range)
            if output.json { return try Output.json(events) }
            Output.table(["ID", "KIND", "FROM", "TO", "SEGMENT", "TITLE"], events.map {
                [String($0.id), tr($0.kind), $0.from.description, $0.to.description, $0.segment.description, $0.title]
            })
        }
    }
}
