import Foundation
import GRDB
import LinkStarCore

/// A row of `metric`.
struct MetricRecord: MutableSnakeCaseRecord, Equatable {
    static let databaseTableName = "metric"
    var id: Int64?
    var key: String
    var name: String
    var definition: String
    var unit: String
    var direction: String
    var layerKey: String
    var numeratorKey: String?
    var subtractKey: String?
    var denominatorKey: String?
    var upperBound: Double?
    var builtin: Bool
    var createdAt: String
    var source: String

    enum Columns {
        static let id = Column("id")
        static let key = Column("key")
        static let layerKey = Column("layer_key")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The whole catalog, through a statement prepared once per connection (every report reads it), its columns read
    /// by position: looking each up by name cost more than the rest of reading the catalog.
    static func fetchCatalog(_ db: Database) throws -> [MetricRecord] {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT id, key, name, definition, unit, direction, layer_key, numerator_key, subtract_key, denominator_key,
                   upper_bound, builtin, created_at, source FROM metric
            """))
        var catalog: [MetricRecord] = []
        while let row = try rows.next() {
            catalog.append(try MetricRecord(catalogRow: row))
        }
        return catalog
    }

    /// Read by column name, without the Codable decoder (every report reads the whole catalog); a NULL where the
    /// schema forbids one throws, as the decoder did.
    init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        key = try row.decode(forColumn: "key")
        name = try row.decode(forColumn: "name")
        definition = try row.decode(forColumn: "definition")
        unit = try row.decode(forColumn: "unit")
        direction = try row.decode(forColumn: "direction")
        layerKey = try row.decode(forColumn: "layer_key")
        numeratorKey = try row.decode(forColumn: "numerator_key")
        subtractKey = try row.decode(forColumn: "subtract_key")
        denominatorKey = try row.decode(forColumn: "denominator_key")
        upperBound = try row.decode(forColumn: "upper_bound")
        builtin = try row.decode(forColumn: "builtin")
        createdAt = try row.decode(forColumn: "created_at")
        source = try row.decode(forColumn: "source")
    }

    /// A row of `fetchCatalog`'s query, by column position.
    private init(catalogRow row: Row) throws {
        id = try row.decode(atIndex: 0)
        key = try row.decode(atIndex: 1)
        name = try row.decode(atIndex: 2)
        definition = try row.decode(atIndex: 3)
        unit = try row.decode(atIndex: 4)
        direction = try row.decode(atIndex: 5)
        layerKey = try row.decode(atIndex: 6)
        numeratorKey = try row.decode(atIndex: 7)
        subtractKey = try row.decode(atIndex: 8)
        denominatorKey = try row.decode(atIndex: 9)
        upperBound = try row.decode(atIndex: 10)
        builtin = try row.decode(atIndex: 11)
        createdAt = try row.decode(atIndex: 12)
        source = try row.decode(atIndex: 13)
    }

    init(_ definition: MetricDefinition, createdAt: String) {
        self.key = definition.key
        self.name = definition.name
        self.definition = definition.definition
        self.unit = definition.unit.rawValue
        self.direction = definition.direction.rawValue
        self.layerKey = definition.layer.rawValue
        self.numeratorKey = definition.formula?.numerator
        self.subtractKey = definition.formula?.subtract
        self.denominatorKey = definition.formula?.denominator
        self.upperBound = definition.upperBound
        self.builtin = definition.builtin
        self.createdAt = createdAt
        self.source = definition.source.rawValue
    }

    /// The domain definition this row stores.
    var domain: MetricDefinition {
        var formula: MetricFormula?
        if let numeratorKey, let denominatorKey {
            formula = MetricFormula(numerator: numeratorKey, subtract: subtractKey, denominator: denominatorKey)
        }
        return MetricDefinition(key: key, name: name, definition: definition,
                                unit: MetricUnit(rawValue: unit) ?? .count,
                                direction: MetricDirection(rawValue: direction) ?? .up,
                                layer: LayerKey(rawValue: layerKey) ?? .traffic,
                                formula: formula, upperBound: upperBound, builtin: builtin,
                                source: MetricSource(rawValue: source) ?? .observations)
    }
}

/// A row of `kpi`.
struct KPIRecord: MutableSnakeCaseRecord, Equatable {
    static let databaseTableName = "kpi"
    var id: Int64?
    var layerKey: String
    var metricId: Int64
    var channel: String
    var market: String
    var device: String
    var ownerId: Int64?
    var baselineValue: Double?
    var baselineFrom: String?
    var baselineTo: String?
    var targetValue: Double?
    var warningBandKind: String?
    var warningBandValue: Double?
    var createdAt: String
    var updatedAt: String
    /// The currency of a money KPI's baseline and target.
    var currency: String?
    /// Set when the KPI was retired: no longer judged, its history kept.
    var retiredAt: String?
    var retiredBy: String?
    var retireReason: String?

    enum Columns {
        static let id = Column("id")
        static let layerKey = Column("layer_key")
        static let metricId = Column("metric_id")
        static let channel = Column("channel")
        static let market = Column("market")
        static let device = Column("device")
        static let ownerId = Column("owner_id")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var segment: Segment {
        (try? Segment(channel: channel, market: market, device: device)) ?? .all
    }

    var baseline: Baseline? {
        guard let baselineValue, let baselineFrom, let baselineTo,
              let from = try? Day(parsing: baselineFrom), let to = try? Day(parsing: baselineTo),
              let period = try? DayRange(from: from, to: to) else { return nil }
        return Baseline(value: baselineValue, period: period)
    }

    var warningBand: WarningBand? { WarningBand(kind: warningBandKind, value: warningBandValue) }
}

extension DerivableRequest<KPIRecord> {
    /// KPIs of one layer.
    func inLayer(_ layer: LayerKey) -> Self { filter(KPIRecord.Columns.layerKey == layer.rawValue) }

    /// The KPI with exactly this layer, metric and segment scope.
    func scoped(layer: LayerKey, metricId: Int64, segment: Segment) -> Self {
        filter(KPIRecord.Columns.layerKey == layer.rawValue)
            .filter(KPIRecord.Columns.metricId == metricId)
            .filter(KPIRecord.Columns.channel == segment.channel)
            .filter(KPIRecord.Columns.market == segment.market)
            .filter(KPIRecord.Columns.device == segment.device)
    }

    /// In funnel order, then by id.
    func orderedForDisplay() -> Self { order(KPIRecord.Columns.id) }
}
