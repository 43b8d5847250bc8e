import Foundation
import LinkStarCore
import ArgumentParser
import LinkStarText

/// Writing to stdout and stderr: JSON documents for machines, aligned tables for people.
enum Output {
    /// Prints exactly one JSON document to stdout.
    static func json(_ value: some Encodable) throws {
        var data = try LinkStarJSON.encoder().encode(value)
        data.append(UInt8(ascii: "\n"))
        data.withUnsafeBytes { write($0, to: STDOUT_FILENO) }
    }

    /// Prints a line to stdout in the reader's language.
    static func line(_ text: Message = Message(verbatim: "")) {
        raw(text.text(CLILanguage.current))
    }

    /// Prints text that is data, not prose (a file's content, a generated document), as it is.
    static func raw(_ text: String) {
        write(text + "\n", to: STDOUT_FILENO)
    }

    /// Writes text to a file descriptor as it is. With `write(2)`, not `FileHandle` and `Data(text.utf8)`, whose
    /// generic initializer's dynamic cast scanned the binary's conformance records: a sixth of `--version`'s start-up.
    /// A closed or failing output stops the writing; it never traps.
    static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0), to: descriptor) }
    }

    static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = Foundation.write(descriptor, next, left)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            next += written
            left -= written
        }
    }

    /// Prints a line to stderr in the reader's language.
    static func error(_ text: Message) {
        write(text.text(CLILanguage.current) + "\n", to: STDERR_FILENO)
    }

    /// Prints an aligned table (CJK characters count as two columns); headers in the reader's language.
    static func table(_ headers: [Message], _ rows: [[String]]) {
        raw(Table.render(headers.map(tr), rows, empty: tr("(none)")))
    }
}

/// This run's reader: its language and the workspace's time zone.
var reader: Reader { Reader(language: CLILanguage.current, timeZone: CLILanguage.timeZone) }

/// A message (a status, a verdict, a label) as a table cell in the reader's language.
func tr(_ message: Message) -> String { message.text(CLILanguage.current) }

/// A value's name as a table cell in the reader's language.
func tr(_ value: some Localizable) -> String { value.label.text(CLILanguage.current) }

/// A metric as a person reads it in this run's language (its key in English, its Chinese name in Chinese).
func metricName(_ key: String) -> String { Catalog.metricName(key, CLILanguage.current) }


/// An option's or argument's help in the reader's language (resolved before parsing: `--lang`, `LINKSTAR_LANG`, `LANG`).
func h(_ message: Message) -> ArgumentHelp { ArgumentHelp(tr(message)) }
