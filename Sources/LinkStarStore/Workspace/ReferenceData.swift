import Foundation
import GRDB
import GRDBSQLite
import LinkStarCore

/// The metric catalog and the segment list as of one `reference_version` (migration 0013): what every report and
/// import looks up, read and decoded once per change instead of once per request.
struct ReferenceData: Sendable {
    /// The `reference_version` this was read at.
    let version: Int64
    /// Every metric, as `MetricRecord.fetchCatalog` reads it.
    let metrics: [MetricRecord]
    /// Metric definitions by key.
    let definitions: [String: MetricDefinition]
    /// The definitions of the metrics imports may carry (the observed ones: loop-health counts come from LinkStar's own
    /// records), by key.
    let importable: [String: MetricDefinition]
    /// Metric ids by key.
    let metricIds: [String: Int64]
    /// Every concrete segment, in ascending id order.
    let segments: [(id: Int64, segment: Segment)]
    /// Segment ids by segment, for the rows stored exactly in their normal form (what an import writes).
    private let idsBySegment: [Segment: Int64]
    /// Metric definitions by formula (a rate by its parts), the first in catalog order where two share one.
    let definitionsByFormula: [MetricFormula: MetricDefinition]

    init(_ db: Database, version: Int64) throws {
        self.version = version
        metrics = try MetricRecord.fetchCatalog(db)
        definitions = Dictionary(metrics.map { ($0.key, $0.domain) }, uniquingKeysWith: { first, _ in first })
        importable = definitions.filter { $0.value.source == .observations }
        metricIds = Dictionary(metrics.compactMap { record in record.id.map { (record.key, $0) } }, uniquingKeysWith: { first, _ in first })
        definitionsByFormula = Dictionary(metrics.compactMap { record in record.domain.formula.map { ($0, record.domain) } },
                                          uniquingKeysWith: { first, _ in first })
        var segments: [(id: Int64, segment: Segment)] = []
        var idsBySegment: [Segment: Int64] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT id, channel, market, device FROM segment ORDER BY id"))
        while let row = try rows.next() {
            let (id, channel, market, device): (Int64, String, String, String) = (try row.decode(atIndex: 0), try row.decode(atIndex: 1),
                                                                                 try row.decode(atIndex: 2), try row.decode(atIndex: 3))
            let segment = try Segment(channel: channel, market: market, device: device)
            segments.append((id, segment))
            // A row written by hand in another form (`Amazon`, ` amazon`) is not the row of its normal form: the table's
            // UNIQUE compares bytes, so do these (Swift's `==` would take a canonically equivalent form for the same).
            if segment.channel.utf8.elementsEqual(channel.utf8), segment.market.utf8.elementsEqual(market.utf8),
               segment.device.utf8.elementsEqual(device.utf8), idsBySegment[segment] == nil {
                idsBySegment[segment] = id
            }
        }
        self.segments = segments
        self.idsBySegment = idsBySegment
    }

    /// The id of the row stored as `segment` (a normal form, as imports write them), or nil when this version has none.
    func id(of segment: Segment) -> Int64? { idsBySegment[segment] }

    /// The ids of those of `keys` the catalog has, with their keys.
    func metricIds(_ keys: [String]) -> [Int64: String] {
        var keyById: [Int64: String] = [:]
        for key in keys { if let id = metricIds[key] { keyById[id] = key } }
        return keyById
    }

    /// The concrete segments inside `filter` (each part equal, or the filter's `*`), by id.
    func segments(in filter: Segment) -> [Int64: Segment] {
        var inside: [Int64: Segment] = [:]
        for (id, segment) in segments where Self.matches(segment, filter) { inside[id] = segment }
        return inside
    }

    /// The ids of the concrete segments inside `filter`, ascending.
    func segmentIds(in filter: Segment) -> [Int64] { segments(in: filter).keys.sorted() }

    /// What `WHERE channel = ? AND market = ? AND device = ?` (each only when not `*`) selects.
    private static func matches(_ segment: Segment, _ filter: Segment) -> Bool {
        (filter.channel == Segment.any || segment.channel == filter.channel)
            && (filter.market == Segment.any || segment.market == filter.market)
            && (filter.device == Segment.any || segment.device == filter.device)
    }
}

/// The last `ReferenceData` a workspace read, shared by its connections.
final class ReferenceCache: @unchecked Sendable {
    private let lock = NSLock()
    private var data: ReferenceData?

    /// The reference data of the database `db` sees: the kept one when its version is the current one, else read now.
    /// What is read inside a write transaction is not kept: the transaction may still roll back and its version be
    /// reused by another change.
    func data(_ db: Database) throws -> ReferenceData {
        let version = try db.firstInt64(cached: "SELECT version FROM reference_version WHERE id = 1") ?? 0
        if let kept = lock.withLock({ data }), kept.version == version { return kept }
        let fresh = try ReferenceData(db, version: version)
        if sqlite3_txn_state(db.sqliteConnection, nil) != SQLITE_TXN_WRITE {
            lock.withLock { data = fresh }
        }
        return fresh
    }
}
