import Foundation
import LinkStarCore

/// Picks the format of a file from its header when `--format auto`.
public enum ImportFormatDetector {
    /// The preset (or `long` / `wide`) whose columns best match the header.
    public static func detect(header: [String], catalog: [String: MetricDefinition]) throws -> ImportMapping {
        let normalised = Set(header.map(HeaderName.normalise))
        if normalised.contains("metric") && normalised.contains("value") { return try ImportPresets.mapping("long") }
        var best: (ImportMapping, Int)?
        for (name, _) in ImportPresets.yaml where name != "long" && name != "wide" {
            let mapping = try ImportPresets.mapping(name)
            guard mapping.dateColumns.contains(where: { normalised.contains(HeaderName.normalise($0)) }) else { continue }
            let names = mapping.metrics.flatMap(\.headers) + mapping.rates.flatMap(\.headers) + mapping.ignored.flatMap(\.headers)
            let score = Set(names.map(HeaderName.normalise)).intersection(normalised).count
            if score >= 2, score > (best?.1 ?? 0) { best = (mapping, score) }
        }
        let segmentNames: Set<String> = ["date", "day", "channel", "market", "device", "currency"]
        let metricLike = normalised.subtracting(segmentNames)
        let wideMatches = metricLike.filter { catalog[$0.replacingOccurrences(of: " ", with: "_")] != nil }.count
        if wideMatches > 0 && wideMatches == metricLike.count { return try ImportPresets.mapping("wide") }
        if let best { return best.0 }
        throw LinkStarError(.invalid, "cannot tell the file's format from its header (\(Excerpt.shortened(header.joined(separator: ", "))))",
                            details: [.init(field: "format", message: "not recognised")], hint: .chooseImportFormat)
    }
}
