import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore

/// `linkstar data check`.
struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: tr("Data quality: stale series, missing days, impossible values."),
        subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", 
            abstract: tr("Find stale series, missing days inside series, and impossible values. Exits 7 when anything is found."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: h("Treat this day as today (YYYY-MM-DD).")) var today: String?
        @Option(help: h("Days a series may lag before it is stale (default: the workspace setting, else 2).")) var lag: Int?
        @Flag(help: h("Store --lag as the workspace default.")) var save = false

        func validate() throws {
            try ErrorReport.validating { _ = try today.map { try Day(parsing: $0, field: "today") } }
            if let lag, !(0...365).contains(lag) { throw ValidationError(tr("--lag must be 0 to 365")) }
            if save && lag == nil { throw ValidationError(tr("--save needs --lag")) }
        }

        func run() async throws {
            let database = try await global.open()
            if save, let lag { try await database.setStaleAfterDays(lag, actor: try await global.actor(.configSet)) }
            let report = try await database.dataCheck(today: database.today(try today.map { try Day(parsing: $0, field: "today") }), staleAfterDays: lag)
            if output.json {
                try Output.json(report)
            } else {
                Output.line("Data check \(report.today): \(report.series) series, stale after \(report.staleAfterDays) days")
                if report.clean { Output.line("Clean: no stale series, no missing days, no impossible values.") }
                if !report.stale.isEmpty {
                    Output.line()
                    Output.line("Stale series (\(report.stale.count))")
                    Output.table(["METRIC", "SEGMENT", "LAST DAY", "DAYS BEHIND"], report.stale.prefix(30).map {
                        [metricName($0.metric), $0.segment.description, $0.lastDay.description, String($0.daysBehind)]
                    })
                }
                if !report.gaps.isEmpty {
                    Output.line()
                    Output.line("Missing days (\(report.gaps.count) series)")
                    Output.table(["METRIC", "SEGMENT", "MISSING", "FIRST GAPS"], report.gaps.prefix(30).map {
                        [metricName($0.metric), $0.segment.description, String($0.missingDays), $0.ranges.map { $0.dayCount == 1 ? "\($0.from)" : "\($0)" }.joined(separator: ", ")]
                    })
                }
                if report.impossibleCount > 0 {
                    Output.line()
                    Output.line("Impossible values (\(report.impossibleCount))")
                    Output.table(["RULE", "SEGMENT", "DAY", "VALUE", "VS"], report.impossible.prefix(30).map {
                        [tr($0.rule), $0.segment.description, $0.day.description, ValueFormat.format($0.value, unit: .count),
                         ValueFormat.format($0.otherValue, unit: .count)]
                    })
                }
            }
            if !report.clean { throw ExitCode(ExitStatus.checkFailed) }
        }
    }
}
