import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarFormats
import LinkStarStore

/// `linkstar import FILE`, `linkstar import list` and `linkstar import revert ID`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: tr("Import observations from exports (CSV), or list past imports."),
        subcommands: [File.self, List.self, Revert.self], defaultSubcommand: File.self)

    struct Revert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revert", 
            abstract: tr("Undo an import (e.g. into the wrong market): remove what it inserted, put back exactly what it replaced."),
            discussion: tr("Refused when a later import changed the same cells, unless --force (those cells keep the later values). Admin only; audited."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Import id (import list).")) var id: Int64
        @Flag(help: h("Revert although a later import changed some of the same cells.")) var force = false

        func run() async throws {
            let report = try await global.open().revertImport(id: id, force: force, actor: try await global.actor(.importRevert))
            if output.json { return try Output.json(report) }
            let reverted: Message = "Reverted import #\(report.importId): \(report.removed) values removed, \(report.restored) put back as they were"
            Output.line(report.changedLater > 0 ? "\(reverted); \(report.changedLater) changed by a later import kept their values" : reverted)
        }
    }

    struct File: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "file",
            abstract: tr("Import a CSV export: all rows valid, or nothing is written (unless --skip-invalid)."),
            discussion: tr("""
            Formats: \(ImportPresets.formatNames.joined(separator: ", ")).
            long: date,channel,market,device,metric,value[,currency]. wide: date, optional channel/market/device, one column per metric key.
            Presets read the marketplace exports as they are (BOM, "1,234", $1,234.56, 3.45%, -, totals rows).
            Rate columns are not stored: rates are recomputed from counts.
            """))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("The CSV file.")) var file: String
        @Option(help: h("auto | \(ImportPresets.formatNames.dropFirst().joined(separator: " | "))")) var format: String = "auto"
        @Option(help: h("Channel for files without a channel column (amazon, shopee, …).")) var channel: String?
        @Option(help: h("Market for files without a market column (US, MY, …).")) var market: String?
        @Option(help: h("Device for files without a device column (desktop, mobile, app, all, …).")) var device: String?
        @Option(help: h("Currency of amounts when the file does not say (USD, MYR, …).")) var currency: String?
        @Option(help: h("A YAML mapping for an export LinkStar does not know (same shape as the presets).")) var mapping: String?
        @Flag(help: h("Validate and count, write nothing.")) var dryRun = false
        @Option(name: .customLong("skip-invalid"), help: h("Import the valid rows; write rejected rows with reasons to this CSV."))
        var rejectsFile: String?

        func validate() throws {
            try ErrorReport.validating {
                if mapping == nil && !ImportPresets.formatNames.contains(format) {
                    throw LinkStarError.unknownValue("format", format, field: "format", among: ImportPresets.formatNames)
                }
            }
        }

        func run() async throws {
            let database = try await global.open()
            var mappingValue: ImportMapping?
            if let mapping {
                guard let text = try? String(contentsOfFile: mapping, encoding: .utf8) else {
                    throw LinkStarError(.notFound, "cannot read mapping \(mapping)")
                }
                mappingValue = try ImportMapping.parse(yaml: text, file: mapping)
            }
            let source = try FileByteSource(path: file)
            let request = ImportRequest(
                fileName: (file as NSString).lastPathComponent, format: format, mapping: mappingValue,
                overrides: ImportOverrides(channel: channel, market: market, device: device, currency: currency),
                dryRun: dryRun, skipInvalid: rejectsFile != nil)
            let rejects = try rejectsFile.map { try RejectsWriter(path: $0) }
            let progress = ProgressLine(total: source.size)
            let callbacks = ImportCallbacks(
                progress: progress.isActive ? { lines, bytes in progress.update(lines: lines, bytes: bytes) } : nil,
                rejected: rejects.map { writer in { header, record, problems in writer.write(header: header, record: record, problems: problems) } })
            let actor = try await global.actor(.importObservations)
            let summary: ImportSummary
            do {
                summary = try database.importObservations(from: source, request: request, actor: actor,
                                                          callbacks: callbacks)
            } catch {
                progress.clear()
                throw error
            }
            progress.clear()
            try rejects?.close()
            if output.json { try Output.json(summary) } else { ImportCommand.printSummary(summary, rejectsFile: rejectsFile) }
            // A dry run of a file that would be rejected fails like the real import would.
            if summary.problemCount > 0 && rejectsFile == nil { throw ExitCode(ExitStatus.invalid) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: tr("List past imports, newest first."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: h("At most this many.")) var limit: Int = 50

        func run() async throws {
            let imports = try await global.open().imports(limit: limit)
            if output.json { return try Output.json(imports) }
            Output.table(["ID", "AT", "BY", "SOURCE", "FILE", "FORMAT", "ROWS", "INSERTED", "UPDATED", "UNCHANGED", "REJECTED", "HASH", "REVERTED"],
                         imports.map {
                [String($0.id), CLILanguage.time($0.importedAt), $0.actor, $0.source, $0.file ?? "-", $0.format,
                 String($0.rowsRead), String($0.inserted), String($0.updated), String($0.unchanged), String($0.rowsRejected),
                 String(($0.contentHash ?? "-").prefix(12)), $0.revertedBy.map { tr("by \($0)") } ?? "-"]
            })
        }
    }

    static func printSummary(_ s: ImportSummary, rejectsFile: String?) {
        let what: Message = s.importId.map { "\(s.file) as \(s.format) (import #\($0))" } ?? "\(s.file) as \(s.format)"
        switch s.outcome {
        case .imported: Output.line("Imported \(what)")
        case .dryRun: Output.line("Dry run (nothing written): \(what)")
        case .unchanged: Output.line("Nothing changed: \(what)")
        }
        Output.line("  rows: \(s.rowsRead) read, \(s.rowsImported) with values, \(s.rowsSkipped) skipped (totals, blank, rates), \(s.rowsRejected) rejected")
        Output.line("  values: \(s.valuesRead) read → \(s.inserted) inserted, \(s.updated) updated, \(s.unchanged) unchanged")
        if let first = s.firstDay, let last = s.lastDay { Output.line("  days: \(first) … \(last)") }
        if !s.metrics.isEmpty { Output.line("  metrics: \(s.metrics.map(metricName).joined(separator: ", "))") }
        if !s.segments.isEmpty {
            let shown = s.segments.prefix(8).joined(separator: ", ")
            Output.line(s.segments.count > 8 ? "  segments: \(shown) … (\(s.segments.count))" : "  segments: \(shown)")
        }
        if s.outcome == .unchanged, let previous = s.previousImportId { Output.line("  identical to import #\(previous)") }
        for note in s.notes { Output.line("  note: \(note)") }
        if s.problemCount > 0 {
            let found: Message = s.problemCount == 1 ? "1 problem" : "\(s.problemCount) problems"
            Output.line(rejectsFile.map { "  \(found); rejected rows written to \($0):" } ?? "  \(found):")
            for problem in s.problems.prefix(10) { Output.line("    \(problem)") }
        }
    }
}
