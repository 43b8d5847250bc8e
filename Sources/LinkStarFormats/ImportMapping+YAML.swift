import LinkStarCore
import Yams

extension ImportMapping {
    /// Parses a mapping from YAML; errors name the file and line.
    public static func parse(yaml: String, file: String) throws -> ImportMapping {
        func fail(_ line: Int?, _ message: Message) -> LinkStarError {
            let detail = LinkStarError.Detail(file: file, line: line, message: message)
            return LinkStarError(.invalid, "invalid mapping \(detail)", details: [detail])
        }
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch let error as YamlError {
            switch error {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
                throw fail(mark.line, "not valid YAML: \(problem)")
            default:
                throw fail(1, "not valid YAML: \(error)")
            }
        }
        guard let root = node?.mapping else { throw fail(1, "a mapping must be a YAML mapping (name, date, metrics, …)") }
        func line(_ node: Node?) -> Int? { node?.mark?.line }
        func text(_ node: Node?, _ path: String) throws -> String? {
            guard let node else { return nil }
            guard let value = node.scalar?.string else { throw fail(line(node), "'\(path)' must be a text value") }
            return value
        }
        func list(_ node: Node?, _ path: String) throws -> [String] {
            guard let node else { return [] }
            if let scalar = node.scalar { return [scalar.string] }
            guard let sequence = node.sequence else { throw fail(line(node), "'\(path)' must be a text or a list of texts") }
            return try sequence.map { item in
                guard let value = item.scalar?.string else { throw fail(line(item), "'\(path)' items must be texts") }
                return value
            }
        }
        func bool(_ node: Node?, _ path: String, default value: Bool) throws -> Bool {
            guard let text = try text(node, path) else { return value }
            switch text.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: throw fail(line(node), "'\(path)' must be true or false")
            }
        }
        func source(_ node: Node?, _ path: String) throws -> Source {
            guard let node else { return Source() }
            if let scalar = node.scalar { return Source(columns: [], value: scalar.string) }
            guard let map = node.mapping else { throw fail(line(node), "'\(path)' must be {column: …, value: …}") }
            return Source(columns: try list(map["column"] ?? map["columns"], "\(path).column"), value: try text(map["value"], "\(path).value"))
        }
        func pairs(_ node: Node?, _ path: String) throws -> [(String, [String])] {
            guard let node else { return [] }
            guard let map = node.mapping else { throw fail(line(node), "'\(path)' must map metric keys to header names") }
            return try map.map { key, value in
                guard let metric = key.scalar?.string else { throw fail(line(key), "'\(path)' keys must be metric keys") }
                return (metric, try list(value, "\(path).\(metric)"))
            }
        }

        let name = try text(root["name"], "name") ?? file
        let layoutText = try text(root["layout"], "layout") ?? "wide"
        guard let layout = Layout(rawValue: layoutText) else { throw fail(line(root["layout"]), "layout must be wide or long") }
        var dateColumns: [String] = ["date", "day"]
        var dateFormat = DateFormat.auto
        if let dateNode = root["date"] {
            if let scalar = dateNode.scalar {
                dateColumns = [scalar.string]
            } else if let map = dateNode.mapping {
                dateColumns = try list(map["column"] ?? map["columns"], "date.column")
                if let formatText = try text(map["format"], "date.format") {
                    guard let format = DateFormat(rawValue: formatText) else {
                        throw fail(line(map["format"]), "date.format \(Excerpt.quoted(formatText)) must be one of \(DateFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    dateFormat = format
                }
            } else {
                throw fail(line(dateNode), "'date' must be a column name or {column: …, format: …}")
            }
        }
        if dateColumns.isEmpty { throw fail(line(root["date"]), "date.column is required") }
        let segmentNode = root["segment"]?.mapping
        var percentNumbers = false
        if let percentText = try text(root["percent"], "percent") {
            switch percentText {
            case "percent": percentNumbers = true
            case "fraction": percentNumbers = false
            default: throw fail(line(root["percent"]), "percent must be 'fraction' (0.034) or 'percent' (3.4)")
            }
        }
        var ignored: [(headers: [String], reason: String)] = []
        if let ignoreNode = root["ignore"] {
            guard let sequence = ignoreNode.sequence else { throw fail(line(ignoreNode), "'ignore' must be a list of {columns: …, reason: …}") }
            for item in sequence {
                guard let map = item.mapping else { throw fail(line(item), "'ignore' items must be {columns: …, reason: …}") }
                ignored.append((try list(map["columns"] ?? map["column"], "ignore.columns"), try text(map["reason"], "ignore.reason") ?? "ignored by the mapping"))
            }
        }
        var delimiter: UInt8?
        if let delimiterText = try text(root["delimiter"], "delimiter") {
            let value = delimiterText == "\\t" || delimiterText == "tab" ? "\t" : delimiterText
            guard value.utf8.count == 1 else { throw fail(line(root["delimiter"]), "delimiter must be one character") }
            delimiter = value.utf8.first
        }
        let metrics = try pairs(root["metrics"], "metrics")
        if layout == .wide && metrics.isEmpty && name != "wide" {
            throw fail(line(root["metrics"]) ?? 1, "a wide mapping needs 'metrics': metric key → header names")
        }
        for (metric, headers) in metrics where headers.isEmpty {
            throw fail(line(root["metrics"]), "metrics.\(metric) names no header")
        }
        return ImportMapping(
            name: name, description: try text(root["description"], "description") ?? "",
            layout: layout, commentPrefix: try text(root["comment_prefix"], "comment_prefix"), delimiter: delimiter,
            dateColumns: dateColumns, dateFormat: dateFormat,
            channel: try source(segmentNode?["channel"], "segment.channel"),
            market: try source(segmentNode?["market"], "segment.market"),
            device: try source(segmentNode?["device"], "segment.device"),
            currency: try source(root["currency"], "currency"),
            percentNumbers: percentNumbers, aggregate: try bool(root["aggregate"], "aggregate", default: false),
            totalLabels: (try list(root["total_labels"], "total_labels") + defaultTotalLabels).map(HeaderName.normalise),
            metrics: metrics, rates: try pairs(root["rates"], "rates"), ignored: ignored,
            decimalComma: try bool(root["decimal_comma"], "decimal_comma", default: false),
            metricColumns: try list(root["metric_column"], "metric_column").isEmpty ? ["metric"] : try list(root["metric_column"], "metric_column"),
            valueColumns: try list(root["value_column"], "value_column").isEmpty ? ["value"] : try list(root["value_column"], "value_column"))
    }
}
