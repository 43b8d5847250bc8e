import Foundation
import LinkStarCore

/// SVG built in Swift: every text node and attribute escaped, every chart with its unit and its gaps.
public enum SVG {
    /// Text or an attribute value safe inside SVG/HTML.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters cannot appear in XML 1.0.
                if c.value < 0x20 && c != "\n" && c != "\t" { continue }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A coordinate with two decimals (no locale, no exponent).
    static func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        // Hundredths by integer arithmetic: String(format:) per coordinate was a visible share of a page.
        guard value.magnitude < 1e15 else { return String(format: "%.2f", value) }
        let hundredths = Int64((value.magnitude * 100).rounded())
        let whole = hundredths / 100, fraction = hundredths % 100
        return (value < 0 && hundredths != 0 ? "-" : "") + String(whole) + (fraction < 10 ? ".0" : ".") + String(fraction)
    }
}

/// A KPI's daily series as a small line chart: the line breaks at every gap and the gap is marked,
/// the target is a dashed line, the warning band a shaded strip; the title says the unit and the range.
public struct Sparkline: Sendable {
    public var values: [Double?]
    public var target: Double?
    /// The warning band's far edge (the value below/above which the KPI is off-track), when known.
    public var bandEdge: Double?
    /// The unit, e.g. `%`, `/day`, `MYR/day`.
    public var unit: String
    /// The accessible title, e.g. `checkout_to_order_rate, 90 days`.
    public var title: String
    /// How a value is written (same as the tables).
    public var format: @Sendable (Double) -> String
    public var width = 240.0
    public var height = 64.0
    /// The baseline, drawn as a thin line (on the KPI page).
    public var baseline: Double?
    /// Day ranges to shade (events), as indexes into `values`, with what they were.
    public var shaded: [(from: Int, to: Int, label: String)] = []
    /// Day ranges of an action's windows (before, after), as indexes into `values`, outlined with their label.
    public var windows: [(from: Int, to: Int, label: String)] = []

    public init(values: [Double?], target: Double?, bandEdge: Double? = nil, unit: String, title: String,
                format: @escaping @Sendable (Double) -> String) {
        self.values = values
        self.target = target
        self.bandEdge = bandEdge
        self.unit = unit
        self.title = title
        self.format = format
    }

    /// The SVG element.
    public func svg() -> String {
        let known = values.compactMap { $0 }.filter(\.isFinite)
        let top = 14.0, bottom = height - 12
        var low = (known + [target, bandEdge, baseline].compactMap { $0 }).min() ?? 0
        var high = (known + [target, bandEdge, baseline].compactMap { $0 }).max() ?? 1
        if high - low < 1e-12 { low -= 1; high += 1 }
        let span = high - low
        low -= span * 0.08
        high += span * 0.08
        func x(_ i: Int) -> Double { values.count <= 1 ? width / 2 : Double(i) / Double(values.count - 1) * (width - 2) + 1 }
        func y(_ v: Double) -> Double { bottom - (v - low) / (high - low) * (bottom - top) }
        var parts: [String] = []
        parts.append(#"<svg xmlns="http://www.w3.org/2000/svg" class="spark" viewBox="0 0 \#(SVG.n(width)) \#(SVG.n(height))" width="\#(SVG.n(width))" height="\#(SVG.n(height))" role="img">"#)
        parts.append("<title>\(SVG.escape(title))</title>")
        if let target, let edge = bandEdge {
            let y1 = y(max(target, edge)), y2 = y(min(target, edge))
            parts.append(#"<rect class="band" x="0" y="\#(SVG.n(y1))" width="\#(SVG.n(width))" height="\#(SVG.n(max(0.5, y2 - y1)))"/>"#)
        }
        for band in shaded where band.from <= band.to {
            let x1 = x(max(0, band.from)) - 1, x2 = x(min(values.count - 1, band.to)) + 1
            parts.append(#"<rect class="event" x="\#(SVG.n(x1))" y="\#(SVG.n(top))" width="\#(SVG.n(max(2, x2 - x1)))" height="\#(SVG.n(bottom - top))"><title>\#(SVG.escape(band.label))</title></rect>"#)
        }
        for window in windows where window.from <= window.to && window.to >= 0 && window.from < values.count {
            let x1 = x(max(0, window.from)), x2 = x(min(values.count - 1, window.to))
            parts.append(#"<rect class="window" x="\#(SVG.n(x1))" y="\#(SVG.n(top))" width="\#(SVG.n(max(2, x2 - x1)))" height="\#(SVG.n(bottom - top))"><title>\#(SVG.escape(window.label))</title></rect>"#)
            parts.append(#"<text class="axis" x="\#(SVG.n(x1 + 2))" y="\#(SVG.n(top + 10))">\#(SVG.escape(window.label))</text>"#)
        }
        if let baseline {
            parts.append(#"<line class="baseline" x1="0" x2="\#(SVG.n(width))" y1="\#(SVG.n(y(baseline)))" y2="\#(SVG.n(y(baseline)))"/>"#)
        }
        if let target {
            parts.append(#"<line class="target" x1="0" x2="\#(SVG.n(width))" y1="\#(SVG.n(y(target)))" y2="\#(SVG.n(y(target)))"/>"#)
        }
        // One polyline per run of consecutive known days: a gap is never bridged.
        var run: [String] = []
        func flush() {
            if run.count == 1 {
                let xy = run[0].split(separator: ",")
                parts.append(#"<circle class="point" cx="\#(xy[0])" cy="\#(xy[1])" r="1.5"/>"#)
            } else if run.count > 1 {
                parts.append(#"<polyline class="line" points="\#(run.joined(separator: " "))"/>"#)
            }
            run = []
        }
        var gaps = 0
        for (i, value) in values.enumerated() {
            if let value, value.isFinite { run.append("\(SVG.n(x(i))),\(SVG.n(y(value)))") } else {
                flush()
                gaps += 1
                parts.append(#"<rect class="gap" x="\#(SVG.n(x(i) - 0.75))" y="\#(SVG.n(bottom + 3))" width="1.5" height="4"/>"#)
            }
        }
        flush()
        let last = values.last.flatMap { $0 }
        // The value's own format may carry the unit already (`2.47%`): it is never said twice.
        let shown = last.map(format) ?? "–"
        let label = unit.isEmpty || shown.hasSuffix(unit) ? shown : shown + " " + unit
        parts.append(#"<text class="axis" x="0" y="10">\#(SVG.escape(format(high - span * 0.08)))</text>"#)
        parts.append(#"<text class="axis" x="0" y="\#(SVG.n(height - 1))">\#(SVG.escape(format(low + span * 0.08)))</text>"#)
        parts.append(#"<text class="last" x="\#(SVG.n(width))" y="10" text-anchor="end">\#(SVG.escape(label))</text>"#)
        if gaps > 0 { parts.append(#"<desc>\#(gaps) days without data</desc>"#) }
        parts.append("</svg>")
        return parts.joined()
    }
}

/// The funnel as horizontal bars: each stage's volume, each step's rate between them, the bottleneck step
/// highlighted, a partial step (coverage below the threshold) drawn hatched and labelled.
public struct FunnelChart: Sendable {
    public struct Stage: Sendable {
        public var label: String
        public var volume: Double?
        public init(label: String, volume: Double?) { self.label = label; self.volume = volume }
    }

    public struct Step: Sendable {
        public var label: String
        public var bottleneck: Bool
        public var partial: Bool
        public init(label: String, bottleneck: Bool, partial: Bool) { self.label = label; self.bottleneck = bottleneck; self.partial = partial }
    }

    public var stages: [Stage]
    /// Between stage i and i+1.
    public var steps: [Step]
    public var title: String
    /// The unit of the bars (e.g. `sessions, 7 days`).
    public var unit: String
    public var width = 640.0

    public init(stages: [Stage], steps: [Step], title: String, unit: String) {
        self.stages = stages
        self.steps = steps
        self.title = title
        self.unit = unit
    }

    public func svg() -> String {
        let labelWidth = 150.0, barArea = width - labelWidth - 110, row = 26.0, stepRow = 18.0
        let height = Double(stages.count) * row + Double(max(0, stages.count - 1)) * stepRow + 24
        let maximum = max(1, stages.compactMap(\.volume).max() ?? 1)
        var parts = [#"<svg xmlns="http://www.w3.org/2000/svg" class="funnel" viewBox="0 0 \#(SVG.n(width)) \#(SVG.n(height))" width="100%" role="img">"#,
                     "<title>\(SVG.escape(title))</title>",
                     #"<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="6" class="hatch"/></pattern></defs>"#]
        var y = 0.0
        for (i, stage) in stages.enumerated() {
            let barWidth = stage.volume.map { max(1, $0 / maximum * barArea) } ?? 0
            parts.append(#"<text class="label" x="\#(SVG.n(labelWidth - 8))" y="\#(SVG.n(y + 17))" text-anchor="end">\#(SVG.escape(stage.label))</text>"#)
            if stage.volume != nil {
                parts.append(#"<rect class="bar" x="\#(SVG.n(labelWidth))" y="\#(SVG.n(y + 4))" width="\#(SVG.n(barWidth))" height="\#(SVG.n(row - 8))"/>"#)
                parts.append(#"<text class="volume" x="\#(SVG.n(labelWidth + barWidth + 6))" y="\#(SVG.n(y + 17))">\#(SVG.escape(ValueFormat.format(stage.volume, unit: .count)))</text>"#)
            } else {
                parts.append(#"<rect class="missing" x="\#(SVG.n(labelWidth))" y="\#(SVG.n(y + 4))" width="\#(SVG.n(barArea))" height="\#(SVG.n(row - 8))"/>"#)
                parts.append(#"<text class="volume" x="\#(SVG.n(labelWidth + 6))" y="\#(SVG.n(y + 17))">–</text>"#)
            }
            y += row
            if i < steps.count {
                let step = steps[i]
                let cls = step.bottleneck ? "step bottleneck" : step.partial ? "step partial" : "step"
                if step.partial { parts.append(#"<rect x="\#(SVG.n(labelWidth))" y="\#(SVG.n(y + 2))" width="40" height="\#(SVG.n(stepRow - 4))" fill="url(#hatch)"/>"#) }
                parts.append(#"<text class="\#(cls)" x="\#(SVG.n(labelWidth + 46))" y="\#(SVG.n(y + 13))">↓ \#(SVG.escape(step.label))</text>"#)
                y += stepRow
            }
        }
        parts.append(#"<text class="axis" x="\#(SVG.n(labelWidth))" y="\#(SVG.n(height - 4))">\#(SVG.escape(unit))</text>"#)
        parts.append("</svg>")
        return parts.joined()
    }
}
