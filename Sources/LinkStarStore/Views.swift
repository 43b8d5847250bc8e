import Foundation
import LinkStarCore

// The documents use cases return. The CLI prints them with `--json` and the API will
// send them as bodies, so both speak the same snake_case names (LinkStarJSON).

/// A person as shown to users.
public struct PersonView: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var id: Int64
    public var handle: String
    public var displayName: String
    public var role: PersonRole
    public var contact: String?
    public var createdAt: Date
}

/// A layer's current playbook version, in brief.
public struct PlaybookRef: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var version: Int
    public var contentHash: String
    public var title: String
    public var cadence: ReviewCadence
    public var reviewDay: String?
    public var syncedAt: Date
}

/// A funnel layer with its owners and playbook.
public struct LayerView: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var key: LayerKey
    public var position: Int
    public var nameEn: String
    public var nameZh: String
    public var covers: String
    public var owner: String?
    public var backupOwner: String?
    public var playbook: PlaybookRef?
    public var kpiCount: Int
}

/// A layer with its KPIs and review checklist.
public struct LayerDetail: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var layer: LayerView
    public var kpis: [KPIView]
    public var checklist: [ChecklistItem]
}

/// A catalog metric.
public struct MetricView: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var key: String
    public var name: String
    public var definition: String
    public var unit: MetricUnit
    public var direction: MetricDirection
    public var layer: LayerKey
    public var derived: Bool
    public var formula: String?
    public var numerator: String?
    public var subtract: String?
    public var denominator: String?
    public var upperBound: Double?
    public var builtin: Bool

    init(_ m: MetricDefinition) {
        key = m.key
        name = m.name
        definition = m.definition
        unit = m.unit
        direction = m.direction
        layer = m.layer
        derived = m.isDerived
        formula = m.formula?.description
        numerator = m.formula?.numerator
        subtract = m.formula?.subtract
        denominator = m.formula?.denominator
        upperBound = m.upperBound
        builtin = m.builtin
    }
}

/// A KPI baseline as shown to users.
public struct BaselineView: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var value: Double
    public var from: Day
    public var to: Day
}

/// A KPI as shown to users.
public struct KPIView: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var id: Int64
    public var layer: LayerKey
    public var metric: String
    public var unit: MetricUnit
    public var direction: MetricDirection
    /// The metric's largest possible value (1 for rates), null when unbounded.
    public var upperBound: Double?
    public var segment: Segment
    /// The effective owner: the KPI's own, else the layer owner, else null.
    public var owner: String?
    /// `kpi` when set on the KPI, `layer` when inherited from the layer owner, null when unowned.
    public var ownerSource: String?
    public var baseline: BaselineView?
    public var target: Double?
    public var warningBand: WarningBand?
    public var createdAt: Date
    public var updatedAt: Date
}

/// The outcome of `kpi set`.
public struct KPISetResult: Codable, Sendable, Equatable, NullPreservingEncodable {
    /// `created`, `updated` or `unchanged`.
    public var outcome: WriteOutcome
    public var kpi: KPIView
}

/// The outcome of `layer assign`.
public struct LayerAssignResult: Codable, Sendable, Equatable, NullPreservingEncodable {
    /// `updated` or `unchanged`.
    public var outcome: WriteOutcome
    public var layer: LayerView
}

/// One playbook version with its checklist.
public struct PlaybookDetail: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var layer: LayerKey
    public var version: Int
    public var current: Bool
    public var title: String
    public var cadence: ReviewCadence
    public var reviewDay: String?
    public var sourceFile: String
    public var contentHash: String
    public var syncedBy: String
    public var syncedAt: Date
    public var checklist: [ChecklistItem]
    public var content: String
}

/// One line of `playbook list`: a layer's current playbook and how many versions it has.
public struct PlaybookSummary: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var layer: LayerKey
    public var version: Int?
    public var versions: Int
    public var title: String?
    public var cadence: ReviewCadence?
    public var contentHash: String?
    public var checklistItems: Int
    public var requiredItems: Int
    public var syncedBy: String?
    public var syncedAt: Date?
}

/// What a playbook sync did per file.
public struct PlaybookSyncReport: Codable, Sendable, Equatable, NullPreservingEncodable {
    public struct Entry: Codable, Sendable, Equatable, NullPreservingEncodable {
        public var file: String
        public var layer: LayerKey
        /// `created` (first version), `updated` (new version) or `unchanged`.
        public var outcome: WriteOutcome
        public var version: Int
        public var contentHash: String
    }
    public var entries: [Entry]
    /// Layers with no playbook file in the folder.
    public var missingLayers: [LayerKey]

    /// True when the sync stored at least one new version.
    public var changed: Bool { entries.contains { $0.outcome != .unchanged } }
}

/// What seeding the layers and catalog did.
public struct SeedReport: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var layersAdded: [LayerKey]
    public var metricsAdded: [String]
    public var changed: Bool { !layersAdded.isEmpty || !metricsAdded.isEmpty }
}

/// What `linkstar init` did.
public struct InitReport: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var database: String
    public var databaseCreated: Bool
    public var playbookDirectory: String
    public var playbookFilesWritten: [String]
    public var playbookFilesKept: [String]
    public var seed: SeedReport
    public var playbooks: PlaybookSyncReport

    /// True when the run changed anything at all.
    public var changed: Bool {
        databaseCreated || !playbookFilesWritten.isEmpty || seed.changed || playbooks.changed
    }
}

/// One audit log entry as shown to users.
public struct AuditEntryView: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var id: Int64
    public var at: Date
    public var actor: String
    public var action: String
    public var entity: String
    public var entityId: String
    public var before: JSONValue?
    public var after: JSONValue?
    public var reason: String?
}
