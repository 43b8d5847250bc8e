import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarFormats
import LinkStarStore
import Logging

/// `linkstar`: the growth funnel as a managed process.
@main
struct LinkStarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "linkstar",
        abstract: tr("Run a cross-border e-commerce growth funnel as a managed process: owners, KPIs, SOP playbooks, audit."),
        discussion: tr("""
        Layers, top to bottom: traffic 流量层 → landing 承接层 → conversion 转化层 → retention 留存层 → feedback 反哺层.
        Exit codes: 0 ok, 1 internal error, 2 usage, 3 not found, 4 invalid input, 5 conflict, 6 forbidden, 7 a check found problems,
        8 busy (another process held the database lock past the timeout: retry), 9 a chat message not delivered (notify).
        """),
        version: LinkStarCommand.version,
        subcommands: [
            InitCommand.self, DemoCommand.self, PersonCommand.self, LayerCommand.self, MetricCommand.self,
            KPICommand.self, PlaybookCommand.self, ImportCommand.self, FunnelCommand.self, ScorecardCommand.self,
            DataCommand.self, FXCommand.self, ActionCommand.self, EventCommand.self, ReviewCommand.self, CheckCommand.self,
            ConfigCommand.self, TokenCommand.self, ServeCommand.self, AuditCommand.self, BackupCommand.self, RestoreCommand.self,
            DoctorCommand.self, ExportCommand.self, ReportCommand.self, NotifyCommand.self,
        ]
    )

    /// The version `--version` prints.
    static let version = "0.1.0"

    /// Runs the command and maps failures to the documented exit codes.
    static func main() async {
        // The lean path: `--version` alone needs no parser, logging or language (see Benchmarks/startup.sh).
        if CommandLine.arguments.count == 2, CommandLine.arguments[1] == "--version" {
            return Output.raw(version)
        }
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        CLILanguage.bootstrap(arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as LinkStarError {
            ErrorReport.print(error)
            Foundation.exit(ExitStatus.code(for: error.kind))
        } catch {
            if let domain = WorkspaceDatabase.domainError(error) {
                ErrorReport.print(domain)
                Foundation.exit(ExitStatus.code(for: domain.kind))
            }
            let code = exitCode(for: error)
            if code == .success, CLILanguage.current != .en {
                // Help in the reader's language: our texts are already translated; the parser's headings are translated here.
                Output.raw(ParserText.translate(fullMessage(for: error), CLILanguage.current))
                Foundation.exit(0)
            }
            if code == .validationFailure {
                Output.error(Message(verbatim: ParserText.translate(fullMessage(for: error), CLILanguage.current)))
                Foundation.exit(ExitStatus.usage)
            }
            if code == .failure, !(error is ExitCode) {
                // Anything that is not a domain error (the database, the file system) is internal: exit 1.
                Output.error("linkstar: error: \(String(describing: error))")
                Foundation.exit(ExitStatus.internalError)
            }
            exit(withError: error)
        }
    }
}

/// Prints domain errors to stderr, and turns them into exit codes inside `validate()`.
enum ErrorReport {
    /// `linkstar: error: …` and, for located problems, one line each.
    static func print(_ error: LinkStarError) {
        Output.error("linkstar: error: \(error.summary)")
        if error.details.count > 1 || error.details.contains(where: { $0.file != nil && !error.message.contains($0.description) }) {
            for detail in error.details { Output.error("  \(detail)") }
        }
        if let hint = error.hint { Output.error("hint: \(text(for: hint))") }
    }

    /// What a hint means on the command line.
    static func text(for hint: LinkStarError.Hint) -> Message {
        switch hint {
        case .overrideWithReason: "to act anyway, add --force --reason \"…\" (audited)"
        case .listActions: "`linkstar action list` shows the actions"
        case .listKPIs: "`linkstar kpi list` shows the KPIs"
        case .listReviews: "`linkstar review due` and `linkstar review list` show the reviews"
        case .syncPlaybooks: "run `linkstar playbook sync`"
        case .initWorkspace: "create one with `linkstar init`, or point --db / LINKSTAR_DB at it"
        case .addPerson: "add one with `linkstar person add`"
        case .setExchangeRates: "set them with `linkstar fx reporting CUR` and `linkstar fx set CUR RATE`"
        case .chooseImportFormat: "pass --format (\(ImportPresets.formatNames.dropFirst().joined(separator: "|"))) or --mapping FILE.yml"
        }
    }

    /// Runs validation code; a domain error is reported and exits with its documented code.
    static func validating(_ body: () throws -> Void) throws {
        do { try body() } catch let error as LinkStarError {
            print(error)
            throw ExitCode(ExitStatus.code(for: error.kind))
        }
    }
}

/// The documented exit codes.
enum ExitStatus {
    static let internalError: Int32 = 1
    static let usage: Int32 = 2
    static let notFound: Int32 = 3
    static let invalid: Int32 = 4
    static let conflict: Int32 = 5
    static let forbidden: Int32 = 6
    static let checkFailed: Int32 = 7
    static let busy: Int32 = 8
    /// `notify run`: a message was given up on, or waits for another attempt.
    static let undelivered: Int32 = 9

    static func code(for kind: LinkStarError.Kind) -> Int32 {
        switch kind {
        case .notFound: notFound
        case .invalid: invalid
        case .conflict: conflict
        case .forbidden: forbidden
        case .busy: busy
        }
    }
}
