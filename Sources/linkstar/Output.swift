import Foundation
import LinkStarCore

/// Writing to stdout and stderr: JSON documents for machines, aligned tables for people.
enum Output {
    /// Prints exactly one JSON document to stdout.
    static func json(_ value: some Encodable) throws {
        let data = try LinkStarJSON.encoder().encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// Prints a line to stdout.
    static func line(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Prints a line to stderr.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints an aligned table (CJK characters count as two columns).
    static func table(_ headers: [String], _ rows: [[String]]) {
        line(Table.render(headers, rows))
    }
}

/// Renders aligned text tables.
enum Table {
    static func render(_ headers: [String], _ rows: [[String]]) -> String {
        var widths = headers.map(displayWidth)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], displayWidth(cell)) }
        }
        func format(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let padding = i == cells.count - 1 ? 0 : widths[i] - displayWidth(cell)
                parts.append(cell + String(repeating: " ", count: max(0, padding)))
            }
            return parts.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var lines = [format(headers), format(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.map(format)
        if rows.isEmpty { lines.append("(none)") }
        return lines.joined(separator: "\n")
    }

    /// Terminal columns a string takes: East Asian wide characters count as two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let v = scalar.value
            if scalar.properties.generalCategory == .nonspacingMark || v == 0x200B { return width }
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
            return width + (wide ? 2 : 1)
        }
    }
}
