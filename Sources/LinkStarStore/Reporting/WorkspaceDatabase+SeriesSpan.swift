import Foundation
import GRDB
import LinkStarCore

/// Each series' first and last observed day (`series_span`, migration 0008): imports widen it, reverts recompute it.
/// Freshness (stale series, the loop-health counts, the compliance check) reads it instead of every observation.
extension WorkspaceDatabase {
    /// One series: a metric in a segment, the days it was observed between.
    struct SeriesSpan {
        var segmentId: Int64
        var metricId: Int64
        var firstDay: Int
        var lastDay: Int
    }

    /// Recomputes the spans of series whose observations were removed, from the observation key: the first and last
    /// day found scanning the key from each end (a few rows when the series is still reported).
    func recomputeSpans(_ db: Database, series: [(segment: Int64, metric: Int64)]) throws {
        for (segment, metric) in series {
            let first = try Int.fetchOne(db, sql: "SELECT day FROM observation WHERE segment_id = ? AND metric_id = ? ORDER BY day LIMIT 1",
                                         arguments: [segment, metric])
            let last = try Int.fetchOne(db, sql: "SELECT day FROM observation WHERE segment_id = ? AND metric_id = ? ORDER BY day DESC LIMIT 1",
                                        arguments: [segment, metric])
            if let first, let last {
                try db.execute(sql: """
                    INSERT INTO series_span (segment_id, metric_id, first_day, last_day) VALUES (?, ?, ?, ?)
                    ON CONFLICT (segment_id, metric_id) DO UPDATE SET first_day = excluded.first_day, last_day = excluded.last_day
                    """, arguments: [segment, metric, first, last])
            } else {
                try db.execute(sql: "DELETE FROM series_span WHERE segment_id = ? AND metric_id = ?", arguments: [segment, metric])
            }
        }
    }

    /// Every series with its span.
    func seriesSpans(_ db: Database) throws -> [SeriesSpan] {
        try Row.fetchAll(db, sql: "SELECT segment_id, metric_id, first_day, last_day FROM series_span ORDER BY metric_id, segment_id").map {
            SeriesSpan(segmentId: $0["segment_id"], metricId: $0["metric_id"], firstDay: $0["first_day"], lastDay: $0["last_day"])
        }
    }

    /// Each series observed on or before `day`, with its newest day up to `day`: from the span, probing the observation
    /// key backwards from `day` only for series that continue after it.
    func seriesLastDays(_ db: Database, onOrBefore day: Day) throws -> [(span: SeriesSpan, last: Int)] {
        try seriesSpans(db).compactMap { span in
            if span.firstDay > day.ordinal { return nil }
            if span.lastDay <= day.ordinal { return (span, span.lastDay) }
            let last = try Int.fetchOne(db, sql: """
                SELECT day FROM observation WHERE segment_id = ? AND metric_id = ? AND day <= ? ORDER BY day DESC LIMIT 1
                """, arguments: [span.segmentId, span.metricId, day.ordinal])
            return last.map { (span, $0) }
        }
    }

    /// How many days behind today a series may be before it is stale (`config set stale_after_days`, default 2).
    func staleAfterDays(_ db: Database) throws -> Int {
        try setting(Self.staleAfterDaysKey, db).flatMap(Int.init) ?? 2
    }

    /// Series whose newest day is more than `lag` days before `today`, furthest behind first.
    func staleSeries(_ db: Database, today: Day, lag: Int) throws -> [StaleSeries] {
        var metrics: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, key FROM metric") { metrics[row["id"]] = row["key"] }
        var segments: [Int64: Segment] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, channel, market, device FROM segment") {
            segments[row["id"]] = try Segment(channel: row["channel"], market: row["market"], device: row["device"])
        }
        return try Row.fetchAll(db, sql: "SELECT segment_id, metric_id, last_day FROM series_span WHERE last_day < ? ORDER BY last_day, metric_id, segment_id",
                                arguments: [today.ordinal - lag]).compactMap { row in
            guard let metric = metrics[row["metric_id"]], let segment = segments[row["segment_id"]] else { return nil }
            let last: Int = row["last_day"]
            return StaleSeries(metric: metric, segment: segment, lastDay: Day(ordinal: last), daysBehind: today.ordinal - last)
        }.sorted { ($0.daysBehind, $0.metric, $0.segment) > ($1.daysBehind, $1.metric, $1.segment) }
    }
}
