import Foundation
import GRDB
import LinkStarCore

/// Shared GRDB configuration for records: snake_case columns.
protocol SnakeCaseRecord: Codable, FetchableRecord, PersistableRecord {}

extension SnakeCaseRecord {
    static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

protocol MutableSnakeCaseRecord: Codable, FetchableRecord, MutablePersistableRecord {}

extension MutableSnakeCaseRecord {
    static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

/// A row of `person`.
struct PersonRecord: MutableSnakeCaseRecord, Equatable {
    static let databaseTableName = "person"
    var id: Int64?
    var handle: String
    var displayName: String
    var role: String
    var contact: String?
    var createdAt: String

    enum Columns {
        static let id = Column("id")
        static let handle = Column("handle")
        static let role = Column("role")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `layer`.
struct LayerRecord: SnakeCaseRecord, Equatable {
    static let databaseTableName = "layer"
    var key: String
    var position: Int
    var nameEn: String
    var nameZh: String
    var covers: String
    var ownerId: Int64?
    var backupOwnerId: Int64?
    var playbookVersionId: Int64?

    enum Columns {
        static let key = Column("key")
        static let position = Column("position")
        static let ownerId = Column("owner_id")
        static let backupOwnerId = Column("backup_owner_id")
    }
}

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

    enum Columns {
        static let id = Column("id")
        static let key = Column("key")
        static let layerKey = Column("layer_key")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

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
                                formula: formula, upperBound: upperBound, builtin: builtin)
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

/// A row of `playbook_version`.
struct PlaybookVersionRecord: MutableSnakeCaseRecord, Equatable {
    static let databaseTableName = "playbook_version"
    var id: Int64?
    var layerKey: String
    var version: Int
    var title: String
    var cadence: String
    var reviewDay: String?
    var sourceFile: String
    var content: String
    var contentHash: String
    var syncedBy: String
    var syncedAt: String

    enum Columns {
        static let id = Column("id")
        static let layerKey = Column("layer_key")
        static let version = Column("version")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension DerivableRequest<PlaybookVersionRecord> {
    /// Versions of one layer's playbook, newest first.
    func forLayer(_ layer: LayerKey) -> Self {
        filter(PlaybookVersionRecord.Columns.layerKey == layer.rawValue).order(PlaybookVersionRecord.Columns.version.desc)
    }
}

/// A row of `playbook_checklist_item`.
struct PlaybookChecklistItemRecord: SnakeCaseRecord, Equatable {
    static let databaseTableName = "playbook_checklist_item"
    var playbookVersionId: Int64
    var position: Int
    var text: String
    var optional: Bool
    var line: Int

    enum Columns {
        static let playbookVersionId = Column("playbook_version_id")
        static let position = Column("position")
    }
}

/// A row of `audit_entry`.
struct AuditEntryRecord: MutableSnakeCaseRecord, Equatable {
    static let databaseTableName = "audit_entry"
    var id: Int64?
    var at: String
    var actor: String
    var action: String
    var entity: String
    var entityId: String
    var beforeJson: String?
    var afterJson: String?
    var reason: String?

    enum Columns {
        static let id = Column("id")
        static let actor = Column("actor")
        static let entity = Column("entity")
        static let entityId = Column("entity_id")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension DerivableRequest<AuditEntryRecord> {
    /// Entries matching an optional entity, entity id and actor, newest first.
    func matching(entity: String?, entityId: String?, actor: String?) -> Self {
        var request = self
        if let entity { request = request.filter(AuditEntryRecord.Columns.entity == entity) }
        if let entityId { request = request.filter(AuditEntryRecord.Columns.entityId == entityId) }
        if let actor { request = request.filter(AuditEntryRecord.Columns.actor == actor) }
        return request.order(AuditEntryRecord.Columns.id.desc)
    }
}
