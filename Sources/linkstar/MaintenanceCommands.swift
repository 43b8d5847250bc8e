import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore

/// `linkstar backup FILE`.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: tr("Write a consistent copy of the workspace database to FILE while others keep writing."),
        discussion: tr("One step of SQLite's online backup inside one read transaction: the copy is the database as of the moment it began. FILE must not exist; it is created 0600."))
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: h("The backup file to create.")) var file: String

    func run() async throws {
        let report = try Workspace.backup(global.location, to: file)
        if output.json { return try Output.json(report) }
        Output.line("Backed up to \(report.file): \(report.bytes) bytes, every change up to audit entry #\(report.lastAuditId), in \(String(format: "%.2f", report.seconds)) s")
    }
}

/// `linkstar restore FILE`.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: tr("Replace the workspace database with a backup (checked first); the replaced file is kept as *.before-restore."),
        discussion: tr("Refuses a backup that fails the integrity check or has a newer schema; an older one is migrated. Stop linkstar serve first. Needs an admin of the current workspace."))
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: h("The backup file.")) var file: String

    func run() async throws {
        let location = global.location
        // Onto an existing workspace only its admins restore; onto an empty place, whoever runs it.
        let actor = FileManager.default.fileExists(atPath: location.databasePath)
            ? try await global.actor(.restore) : try global.identity.claimedHandle()
        let report = try await Workspace.restore(location, from: file, actor: actor)
        if output.json { return try Output.json(report) }
        let restored: Message = "Restored \(location.databasePath) from \(report.restoredFrom) (changes up to audit entry #\(report.lastAuditId))"
        Output.line(report.migrated.isEmpty ? restored : "\(restored); migrated \(report.migrated.joined(separator: ", "))")
        if let kept = report.previousKeptAs { Output.line("The replaced database is kept as \(kept)") }
    }
}

/// `linkstar doctor`.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: tr("Check the database: integrity, foreign keys, migrations against this version's, file permissions, the daily totals against the observations; exits 7 on a finding."))
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Flag(help: h("First rebuild the daily totals from the observations (admin; audited).")) var repair = false

    func run() async throws {
        if repair {
            let rebuilt = try Workspace.rebuildRollup(global.location, actor: try await global.actor(.rollupRebuild))
            if !output.json { Output.line("Rebuilt the daily totals from the observations: \(rebuilt.cells) cells (\(rebuilt.differed) differed).") }
        }
        let report = try Workspace.doctor(global.location)
        if output.json { try Output.json(report) } else {
            Output.line("Database \(report.database)")
            Output.line("integrity:   \(report.integrity)")
            Output.line("foreign keys: \(report.foreignKeyViolations) violations")
            Output.line("migrations:  \(report.appliedMigrations.count) applied of \(report.shippedMigrations.count) shipped")
            Output.line("journal:     \(report.journalMode)")
            Output.line("files:       \(report.fileModes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
            for finding in report.findings { Output.line("problem (\(finding.check)): \(finding.message)") }
            if report.healthy { Output.line("Healthy.") }
        }
        if !report.healthy { throw ExitCode(ExitStatus.checkFailed) }
    }
}

/// `linkstar export`.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: tr("Write the whole workspace as one portable JSON document (every table's rows, the applied migrations)."))
    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: h("JSON (the only format; accepted for symmetry with other commands).")) var json = false
    @Option(help: h("Write to this file instead of stdout.")) var out: String?

    func run() async throws {
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let handle = FileHandle(forWritingAtPath: out) else {
                throw LinkStarError(.invalid, "cannot write \(out)")
            }
            defer { try? handle.close() }
            try Workspace.export(global.location, to: handle)
        } else {
            try Workspace.export(global.location, to: FileHandle.standardOutput)
        }
    }
}
