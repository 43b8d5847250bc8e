import Foundation
import GRDB
import LinkStarCore

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

/// A funnel layer with its owners and playbook.
public struct LayerView: Codable, Sendable, Equatable {
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
public struct LayerDetail: Codable, Sendable, Equatable {
    public var layer: LayerView
    public var kpis: [KPIView]
    public var checklist: [ChecklistItem]
}

/// The outcome of `layer assign`.
public struct LayerAssignResult: Codable, Sendable, Equatable {
    /// `updated` or `unchanged`.
    public var outcome: WriteOutcome
    public var layer: LayerView
}
