import Foundation
import GRDB
import LinkStarCore

/// A series whose newest value is older than the allowed lag.
public struct StaleSeries: Codable, Sendable, Equatable {
    public var metric: String
    public var segment: Segment
    public var lastDay: Day
    public var daysBehind: Int
}

/// A series with days missing between its first and last value.
public struct SeriesGap: Codable, Sendable, Equatable {
    public var metric: String
    public var segment: Segment
    public var firstDay: Day
    public var lastDay: Day
    public var missingDays: Int
    /// The first missing ranges (at most 5).
    public var ranges: [DayRange]
}

/// A value that cannot be true.
public struct ImpossibleValue: Codable, Sendable, Equatable {
    /// e.g. `orders > sessions`, `negative count`.
    public var rule: Message
    public var metric: String
    public var segment: Segment
    public var day: Day
    public var value: Double
    public var otherValue: Double?
}

/// `linkstar data check`: stale series, missing days, impossible values.
public struct DataCheckReport: Codable, Sendable, Equatable {
    public var today: Day
    public var staleAfterDays: Int
    public var series: Int
    public var stale: [StaleSeries]
    public var gaps: [SeriesGap]
    public var impossible: [ImpossibleValue]
    public var impossibleCount: Int
    public var clean: Bool
}

extension WorkspaceDatabase {
    /// Pairs that cannot invert on one day and segment: (part, whole). Every funnel stage against every stage above it
    /// in its chain (a stage above its parent is a definition problem, e.g. page views mapped to a stage), and the
    /// parts of a whole.
    static let impossiblePairs: [(String, String)] = FunnelDefinition.stagePairs + [
        ("bounced_sessions", "sessions"), ("repeat_customers", "customers"), ("email_clicks", "email_sends"),
    ]

    /// Finds stale series (newest day older than `staleAfterDays`, default the workspace setting or 2),
    /// missing days inside series, and impossible values.
    public func dataCheck(today: Day, staleAfterDays: Int? = nil) async throws -> DataCheckReport {
        try await writer.read { db in
            let lag = try staleAfterDays ?? self.staleAfterDays(db)
            var metrics: [Int64: MetricDefinition] = [:]
            for record in try MetricRecord.fetchCatalog(db) { metrics[record.id!] = record.domain }
            var segments: [Int64: Segment] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, channel, market, device FROM segment") {
                segments[row["id"]] = try Segment(channel: row["channel"], market: row["market"], device: row["device"])
            }
            var stale: [StaleSeries] = [], gaps: [SeriesGap] = []
            var seriesCount = 0
            let series = try Row.fetchAll(db, sql: """
                SELECT metric_id, segment_id, min(day) AS first, max(day) AS last, count(*) AS n
                FROM observation GROUP BY metric_id, segment_id
                """)
            for row in series {
                seriesCount += 1
                guard let metric = metrics[row["metric_id"]], let segment = segments[row["segment_id"]] else { continue }
                let first = Day(ordinal: row["first"]), last = Day(ordinal: row["last"])
                let count: Int = row["n"]
                let span = last.ordinal - first.ordinal + 1
                if count < span {
                    // Find the missing ranges of this series.
                    let days = try Int.fetchAll(db, sql: """
                        SELECT day FROM observation WHERE metric_id = ? AND segment_id = ? AND day BETWEEN ? AND ? ORDER BY day
                        """, arguments: [row["metric_id"] as Int64, row["segment_id"] as Int64, first.ordinal, last.ordinal])
                    var ranges: [DayRange] = []
                    for (a, b) in zip(days, days.dropFirst()) where b > a + 1 && ranges.count < 5 {
                        ranges.append(try DayRange(from: Day(ordinal: a + 1), to: Day(ordinal: b - 1)))
                    }
                    gaps.append(SeriesGap(metric: metric.key, segment: segment, firstDay: first, lastDay: last,
                                          missingDays: span - count, ranges: ranges))
                }
            }
            // Impossible values: negative counts, and parts larger than their whole on the same day and segment.
            var impossible: [ImpossibleValue] = []
            var impossibleCount = 0
            let countIds = metrics.filter { $0.value.unit == .count }.map(\.key)
            if !countIds.isEmpty {
                let negatives = try Row.fetchAll(db, sql: """
                    SELECT day, segment_id, metric_id, value FROM observation
                    WHERE value < 0 AND metric_id IN (\(countIds.map(String.init).joined(separator: ",")))
                    """)
                impossibleCount += negatives.count
                for row in negatives.prefix(50) {
                    guard let metric = metrics[row["metric_id"]], let segment = segments[row["segment_id"]] else { continue }
                    impossible.append(ImpossibleValue(rule: "negative count", metric: metric.key, segment: segment,
                                                      day: Day(ordinal: row["day"]), value: row["value"], otherValue: nil))
                }
            }
            let idByKey = Dictionary(uniqueKeysWithValues: metrics.map { ($0.value.key, $0.key) })
            let pairs = Self.impossiblePairs.compactMap { pair in idByKey[pair.0].flatMap { a in idByKey[pair.1].map { (pair, a, $0) } } }
            if !pairs.isEmpty {
                let ids = Set(pairs.flatMap { [$0.1, $0.2] })
                let columns = ids.map { "max(CASE WHEN metric_id = \($0) THEN value END) AS m\($0)" }.joined(separator: ", ")
                let having = pairs.map { "m\($0.1) > m\($0.2)" }.joined(separator: " OR ")
                let rows = try Row.fetchAll(db, sql: """
                    SELECT day, segment_id, \(columns) FROM observation
                    WHERE metric_id IN (\(ids.map(String.init).joined(separator: ",")))
                    GROUP BY day, segment_id HAVING \(having)
                    """)
                for row in rows {
                    guard let segment = segments[row["segment_id"]] else { continue }
                    for ((part, whole), a, b) in pairs {
                        guard let partValue = row["m\(a)"] as Double?, let wholeValue = row["m\(b)"] as Double?, partValue > wholeValue else { continue }
                        impossibleCount += 1
                        if impossible.count < 50 {
                            impossible.append(ImpossibleValue(rule: "\(Message(verbatim: part)) > \(Message(verbatim: whole))", metric: part, segment: segment,
                                                              day: Day(ordinal: row["day"]), value: partValue, otherValue: wholeValue))
                        }
                    }
                }
            }
            stale = try self.staleSeries(db, today: today, lag: lag)
            gaps.sort { ($0.missingDays, $0.metric) > ($1.missingDays, $1.metric) }
            return DataCheckReport(today: today, staleAfterDays: lag, series: seriesCount, stale: stale, gaps: gaps,
                                   impossible: impossible, impossibleCount: impossibleCount,
                                   clean: stale.isEmpty && gaps.isEmpty && impossibleCount == 0)
        }
    }
}
