import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarFormats
import LinkStarStore

/// Writes rejected rows, with their line and reasons, as CSV.
final class RejectsWriter {
    private let handle: FileHandle
    private var wroteHeader = false
    let path: String

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw LinkStarError(.invalid, "cannot write \(path)", details: [.init(field: "skip-invalid", message: "cannot write \(path)")])
        }
        self.handle = handle
        self.path = path
    }

    func write(header: [String], record: CSVRecord, problems: [LinkStarError.Detail]) {
        if !wroteHeader {
            handle.write(Data((["line"] + header + ["problems"]).map(CSVField.quote).joined(separator: ",").utf8 + [10]))
            wroteHeader = true
        }
        let reasons = problems.map { p in tr(p.column.map { "column \($0): \(p.text)" } ?? p.text) }.joined(separator: "; ")
        handle.write(Data(([String(record.line)] + record.strings + [reasons]).map(CSVField.quote).joined(separator: ",").utf8 + [10]))
    }

    func close() throws { try handle.close() }
}

/// A progress line on stderr, only when stderr is a terminal.
final class ProgressLine: @unchecked Sendable {
    let isActive = isatty(STDERR_FILENO) == 1
    let total: UInt64

    init(total: UInt64) { self.total = total }

    func update(lines: Int, bytes: Int) {
        guard isActive else { return }
        let percent = total > 0 ? min(100, Int(Double(bytes) / Double(total) * 100)) : 0
        Output.write("\r  \(tr("importing… \(lines) lines, \(percent)%"))", to: STDERR_FILENO)
    }

    func clear() {
        guard isActive else { return }
        Output.write("\r\u{1B}[K", to: STDERR_FILENO)
    }
}
