import Foundation

/// Renders aligned text tables for terminals (CJK characters count as two columns).
public enum Table {
    /// Headers, a rule, one line per row; `empty` when there are no rows.
    public static func render(_ headers: [String], _ rows: [[String]], empty: String) -> String {
        var widths = headers.map(displayWidth)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], displayWidth(cell)) }
        }
        func format(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let padding = i == cells.count - 1 || i >= widths.count ? 0 : widths[i] - displayWidth(cell)
                parts.append(cell + String(repeating: " ", count: max(0, padding)))
            }
            var line = parts.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
        var lines = [format(headers), format(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.map(format)
        if rows.isEmpty { lines.append(empty) }
        return lines.joined(separator: "\n")
    }

    /// Terminal columns a string takes: East Asian wide characters count as two.
    public static func displayWidth(_ text: String) -> Int {
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
