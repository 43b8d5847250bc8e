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
    static func read(_ db: Database, metrics: [String], range: DayRange, filter: Segment) throws -> MetricSums {
        let metricRows = try Row.fetchAll(db, sql: "SELECT id, key FROM metric WHERE key IN (\(metrics.map { _ in "?" }.joined(separator: ",")))",
                                          arguments: StatementArguments(metrics))
        var keyById: [Int64: String] = [:]
        for row in metricRows { keyById[row["id"]] = row["key"] }
        guard !keyById.isEmpty else { return MetricSums() }
        var sql = """
            SELECT metric_id, currency, total(value) AS total, count(DISTINCT day) AS days FROM observation
            WHERE day BETWEEN ? AND ? AND metric_id IN (\(keyById.keys.map(String.init).joined(separator: ",")))
            """
        if filter != .all {
            let ids = try segmentIds(db, filter: filter)
            if ids.isEmpty { return MetricSums() }
            sql += " AND segment_id IN (\(ids.map(String.init).joined(separator: ",")))"
        }
        sql += " GROUP BY metric_id, currency"
        var sums = MetricSums()
        for row in try Row.fetchAll(db, sql: sql, arguments: [range.from.ordinal, range.to.ordinal]) {
            let key = keyById[row["metric_id"]]!
            let currency: String = row["currency"] ?? ""
            sums.values[key, default: [:]][currency, default: 0] += row["total"]
            sums.days[key] = max(sums.days[key] ?? 0, row["days"])
        }
        return sums
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

    /// Per-segment sums of `metrics` over `range` inside `filter`: segment → metric → sum (non-currency metrics).
    static func bySegment(_ db: Database, metrics: [String], range: DayRange, filter: Segment) throws -> [Segment: [String: Double]] {
        let ids = try segmentIds(db, filter: filter)
        guard !ids.isEmpty else { return [:] }
        var segments: [Int64: Segment] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, channel, market, device FROM segment WHERE id IN (\(ids.map(String.init).joined(separator: ",")))") {
            segments[row["id"]] = try Segment(channel: row["channel"], market: row["market"], device: row["device"])
        }
        var keyById: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, key FROM metric WHERE key IN (\(metrics.map { _ in "?" }.joined(separator: ",")))",
                                    arguments: StatementArguments(metrics)) {
            keyById[row["id"]] = row["key"]
        }
        var result: [Segment: [String: Double]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT segment_id, metric_id, total(value) AS total FROM observation
            WHERE day BETWEEN ? AND ? AND metric_id IN (\(keyById.keys.map(String.init).joined(separator: ",")))
              AND segment_id IN (\(ids.map(String.init).joined(separator: ",")))
            GROUP BY segment_id, metric_id
            """, arguments: [range.from.ordinal, range.to.ordinal]) {
            guard let segment = segments[row["segment_id"]], let key = keyById[row["metric_id"]] else { continue }
            result[segment, default: [:]][key] = row["total"]
        }
        return result
    }
}
