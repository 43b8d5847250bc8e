import Foundation
import GRDB
import LinkStarCore

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
