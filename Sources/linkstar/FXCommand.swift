import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore

/// `linkstar fx`: reporting currency and exchange rates.
struct FXCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fx", abstract: tr("Reporting currency and exchange rates (amounts in different currencies are never added without them)."),
        subcommands: [Reporting.self, Set.self, List.self])

    struct Reporting: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reporting", abstract: tr("Set the reporting currency, e.g. USD."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Currency code.")) var currency: String

        func run() async throws {
            let table = try await global.open().setReportingCurrency(currency, actor: try await global.actor(.fxSet))
            if output.json { return try Output.json(table) }
            Output.line("Reporting currency: \(table.reportingCurrency ?? "-")")
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", 
            abstract: tr("Record a rate: 1 CURRENCY = RATE reporting currency, from a day on."),
            discussion: tr("""
            A rate applies from --from until the currency's next rate; each day converts at the rate in force on it.
            Without --from, a currency's first rate applies to every day and a later one from today.
            """))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Currency code, e.g. MYR.")) var currency: String
        @Argument(help: h("Units of the reporting currency per unit, e.g. 0.2126.")) var rate: String
        @Option(help: h("First day the rate applies to (YYYY-MM-DD).")) var from: String?

        func validate() throws {
            try ErrorReport.validating {
                _ = try NumberInput.parse(rate, field: "rate")
                _ = try from.map { try Day(parsing: $0, field: "from") }
            }
        }

        func run() async throws {
            let value = try NumberInput.parse(rate, field: "rate")
            let table = try await global.open().setFXRate(currency: currency, rate: value, from: try from.map { try Day(parsing: $0, field: "from") },
                                                          actor: try await global.actor(.fxSet))
            if output.json { return try Output.json(table) }
            let code = currency.trimmingCharacters(in: .whitespaces).uppercased()
            let from = table.rates.filter { $0.currency == code && $0.rate == value }.map(\.from).max()
            let rate = "1 \(code) = \(value) \(table.reportingCurrency ?? "")"
            Output.line(from.map { "\(rate) from \($0)" } ?? Message(verbatim: rate))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: tr("Show the reporting currency and rates."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let table = try await global.open().fx()
            if output.json { return try Output.json(table) }
            Output.line("Reporting currency: \(table.reportingCurrency ?? "(none)")")
            Output.table(["CURRENCY", "FROM", "RATE", "SET BY", "AT"], table.rates.map {
                [$0.currency, $0.from == Day.firstSupported ? "(always)" : $0.from.description, String($0.rate), $0.setBy,
                 LinkStarJSON.timestamp($0.setAt)]
            })
        }
    }
}
