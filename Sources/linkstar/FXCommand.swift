import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore

/// `linkstar fx`: reporting currency and exchange rates.
struct FXCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fx", abstract: "Reporting currency and exchange rates (amounts in different currencies are never added without them).",
        subcommands: [Reporting.self, Set.self, List.self])

    struct Reporting: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set the reporting currency, e.g. USD.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Currency code.") var currency: String

        func run() async throws {
            let table = try await global.open().setReportingCurrency(currency, actor: try global.actingHandle())
            if output.json { return try Output.json(table) }
            Output.line("Reporting currency: \(table.reportingCurrency ?? "-")")
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a rate: 1 CURRENCY = RATE reporting currency.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Currency code, e.g. MYR.") var currency: String
        @Argument(help: "Units of the reporting currency per unit, e.g. 0.2126.") var rate: Double

        func run() async throws {
            let table = try await global.open().setFXRate(currency: currency, rate: rate, actor: try global.actingHandle())
            if output.json { return try Output.json(table) }
            Output.line("1 \(currency.uppercased()) = \(rate) \(table.reportingCurrency ?? "")")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the reporting currency and rates.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let table = try await global.open().fx()
            if output.json { return try Output.json(table) }
            Output.line("Reporting currency: \(table.reportingCurrency ?? "(none)")")
            Output.table(["CURRENCY", "RATE", "SET BY", "AT"], table.rates.map {
                [$0.currency, String($0.rate), $0.setBy, LinkStarJSON.timestamp($0.setAt)]
            })
        }
    }
}
