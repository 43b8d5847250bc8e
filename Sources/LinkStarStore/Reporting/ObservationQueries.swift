import GRDB
import LinkStarCore

/// Lookups shared by the observation queries.
enum ObservationQueries {
    static func metricIds(_ db: Database, _ metrics: [String]) throws -> [Int64: String] {
        var keyById: [Int64: String] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT id, key FROM metric WHERE key IN (\(metrics.map { _ in "?" }.joined(separator: ",")))"),
                                    arguments: StatementArguments(metrics)) {
            keyById[row["id"]] = row["key"]
        }
        return keyById
    }

    /// The concrete segments inside a filter, by id.
    static func segments(_ db: Database, filter: Segment) throws -> [Int64: Segment] {
        var clauses: [String] = []
        var arguments: [String] = []
        if filter.channel != Segment.any { clauses.append("channel = ?"); arguments.append(filter.channel) }
        if filter.market != Segment.any { clauses.append("market = ?"); arguments.append(filter.market) }
        if filter.device != Segment.any { clauses.append("device = ?"); arguments.append(filter.device) }
        let whereClause = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        var segments: [Int64: Segment] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT id, channel, market, device FROM segment\(whereClause)"),
                                    arguments: StatementArguments(arguments)) {
            segments[row[0]] = try Segment(channel: row[1], market: row[2], device: row[3])
        }
        return segments
    }

}

extension CellTable {
    /// Reads the observations of `metrics` over `range` on the concrete segments inside `filter`.
    static func read(_ db: Database, metrics: [String], range: DayRange, filter: Segment) throws -> CellTable {
        var table = CellTable(metrics: metrics)
        let keyById = try ObservationQueries.metricIds(db, metrics)
        guard !keyById.isEmpty else { return table }
        let segments = try ObservationQueries.segments(db, filter: filter)
        guard !segments.isEmpty else { return table }
        // Positions by id, so each row costs two small-integer lookups: no Segment is hashed per row.
        let metricPositionById = keyById.compactMapValues { table.index(of: $0) }
        var segmentPositionById: [Int64: Int] = [:]
        var query = """
            SELECT day, segment_id, metric_id, value, currency FROM observation
            WHERE day BETWEEN \(range.from.ordinal) AND \(range.to.ordinal)
              AND metric_id IN (\(keyById.keys.map(String.init).joined(separator: ",")))
            """
        if filter != .all { query += " AND segment_id IN (\(segments.keys.map(String.init).joined(separator: ",")))" }
        let rows = try Row.fetchCursor(db, sql: query)
        while let row = try rows.next() {
            let segmentId: Int64 = row[1], metricId: Int64 = row[2]
            guard let m = metricPositionById[metricId] else { continue }
            let s: Int
            if let known = segmentPositionById[segmentId] { s = known } else {
                guard let segment = segments[segmentId] else { continue }
                s = table.position(of: segment)
                segmentPositionById[segmentId] = s
            }
            table.add(segment: s, day: row[0], metric: m, value: row[3], currency: row[4])
        }
        return table
    }
}
