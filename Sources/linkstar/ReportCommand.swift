import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore
import LinkStarText
import LinkStarWeb

/// `linkstar report`: the overview as one self-contained HTML file.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: tr("The overview as one self-contained HTML file (inline CSS and SVG charts, no external requests), to attach to a mail or a chat."))
    @OptionGroup var global: GlobalOptions
    @OptionGroup var periodOptions: PeriodOptions
    @Option(help: h("Write to this file (default: stdout).")) var out: String?

    func validate() throws { try ErrorReport.validating { try periodOptions.check() } }

    func run() async throws {
        let database = try await global.open()
        let period = try periodOptions.range(database)
        let overview = try await database.overview(period: period, today: database.today(try periodOptions.todayOverride()))
        let html = OverviewPage.render(overview, reader, generatedAt: database.now())
        guard let out else { return Output.raw(html) }
        guard FileManager.default.createFile(atPath: out, contents: Data(html.utf8)) else {
            throw LinkStarError(.invalid, "cannot write \(out)", details: [.init(field: "out", message: "cannot write \(out)")])
        }
        Output.line("Wrote \(out) (\(ValueFormat.format(Double(html.utf8.count), unit: .count)) bytes)")
    }
}
