import GRDB
import LinkStarCore

/// Sums of base metrics over a window and a segment filter, kept per currency.
struct MetricSums {
    /// metric key → currency ("" for non-currency metrics) → sum.
    var values: [String: [String: Double]] = [:]
    /// metric key → days with at least one value.
    var days: [String: Int] = [:]

    /// The sum of a non-currency metric (0 when absent).
    func count(_ metric: String) -> Double { values[metric]?.values.reduce(0, +) ?? 0 }

    /// True when the metric has any value in the window.
    func has(_ metric: String) -> Bool { values[metric] != nil }

    /// Reads sums for `metrics` over `range`, for the concrete segments inside `filter`.
    /// `countDays` also counts the days with data (for daily averages); it costs a distinct count.
    static func read(_ db: Database, metrics: [String], range: DayRange, filter: Segment, countDays: Bool = true) throws -> MetricSums {
        try read(db, metrics: metrics, ranges: [range], filter: filter, countDays: countDays)[0]
    }

    /// Sums over several windows in one scan of the days they span.
    static func read(_ db: Database, metrics: [String], ranges: [DayRange], filter: Segment, countDays: Bool) throws -> [MetricSums] {
        var results = Array(repeating: MetricSums(), count: ranges.count)
        guard !ranges.isEmpty else { return results }
        let keyById = try metricIds(db, metrics)
        guard !keyById.isEmpty else { return results }
        let first = ranges.map(\.from.ordinal).min()!, last = ranges.map(\.to.ordinal).max()!
        var selects: [String] = []
        for (index, range) in ranges.enumerated() {
            let inRange = "day BETWEEN \(range.from.ordinal) AND \(range.to.ordinal)"
            selects.append("total(CASE WHEN \(inRange) THEN value END) AS v\(index)")
            selects.append("count(CASE WHEN \(inRange) THEN 1 END) AS n\(index)")
            if countDays { selects.append("count(DISTINCT CASE WHEN \(inRange) THEN day END) AS d\(index)") }
        }
        var sql = """
            SELECT metric_id, currency, \(selects.joined(separator: ", ")) FROM observation
            WHERE day BETWEEN \(first) AND \(last) AND metric_id IN (\(keyById.keys.map(String.init).joined(separator: ",")))
            """
        if filter != .all {
            let ids = try segmentIds(db, filter: filter)
            if ids.isEmpty { return results }
            sql += " AND segment_id IN (\(ids.map(String.init).joined(separator: ",")))"
        }
        sql += " GROUP BY metric_id, currency"
        for row in try Row.fetchAll(db, sql: sql) {
            let key = keyById[row["metric_id"]]!
            let currency: String = row["currency"] ?? ""
            for index in ranges.indices where (row["n\(index)"] as Int) > 0 {
                results[index].values[key, default: [:]][currency, default: 0] += row["v\(index)"]
                if countDays { results[index].days[key] = max(results[index].days[key] ?? 0, row["d\(index)"]) }
            }
        }
        return results
    }

    static func metricIds(_ db: Database, _ metrics: [String]) throws -> [Int64: String] {
        var keyById: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, key FROM metric WHERE key IN (\(metrics.map { _ in "?" }.joined(separator: ",")))",
                                    arguments: StatementArguments(metrics)) {
            keyById[row["id"]] = row["key"]
        }
        return keyById
    }

    /// Ids of the concrete segments inside a filter.
    static func segmentIds(_ db: Database, filter: Segment) throws -> [Int64] {
        var clauses: [String] = []
        var arguments: [String] = []
        if filter.channel != Segment.any { clauses.append("channel = ?"); arguments.append(filter.channel) }
        if filter.market != Segment.any { clauses.append("market = ?"); arguments.append(filter.market) }
        if filter.device != Segment.any { clauses.append("device = ?"); arguments.append(filter.device) }
        let whereClause = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        return try Int64.fetchAll(db, sql: "SELECT id FROM segment\(whereClause)", arguments: StatementArguments(arguments))
    }

    /// Per-segment sums of `metrics` in each window inside `filter`: [window][segment][metric] (non-currency metrics).
    static func bySegment(_ db: Database, metrics: [String], ranges: [DayRange], filter: Segment) throws -> [[Segment: [String: Double]]] {
        var results = Array(repeating: [Segment: [String: Double]](), count: ranges.count)
        let ids = try segmentIds(db, filter: filter)
        guard !ids.isEmpty, !ranges.isEmpty else { return results }
        var segments: [Int64: Segment] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, channel, market, device FROM segment WHERE id IN (\(ids.map(String.init).joined(separator: ",")))") {
            segments[row["id"]] = try Segment(channel: row["channel"], market: row["market"], device: row["device"])
        }
        let keyById = try metricIds(db, metrics)
        let first = ranges.map(\.from.ordinal).min()!, last = ranges.map(\.to.ordinal).max()!
        let selects = ranges.enumerated().map { index, range in
            "total(CASE WHEN day BETWEEN \(range.from.ordinal) AND \(range.to.ordinal) THEN value END) AS v\(index)"
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT segment_id, metric_id, \(selects.joined(separator: ", ")) FROM observation
            WHERE day BETWEEN \(first) AND \(last) AND metric_id IN (\(keyById.keys.map(String.init).joined(separator: ",")))
              AND segment_id IN (\(ids.map(String.init).joined(separator: ",")))
            GROUP BY segment_id, metric_id
            """) {
            guard let segment = segments[row["segment_id"]], let key = keyById[row["metric_id"]] else { continue }
            for index in ranges.indices { results[index][segment, default: [:]][key] = row["v\(index)"] }
        }
        return results
    }
}
