import Foundation
import GRDB
import LinkStarCore

/// A layer's current playbook version, in brief.
public struct PlaybookRef: Codable, Sendable, Equatable {
    public var version: Int
    public var contentHash: String
    public var title: String
    public var cadence: ReviewCadence
    public var reviewDay: String?
    public var syncedAt: Date
}

/// One version of a layer's playbook in its history.
public struct PlaybookVersionSummary: Codable, Sendable, Equatable {
    public var version: Int
    public var current: Bool
    public var title: String
    public var contentHash: String
    public var syncedBy: String
    public var syncedAt: Date
}

/// One playbook version with its checklist.
public struct PlaybookDetail: Codable, Sendable, Equatable {
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
public struct PlaybookSummary: Codable, Sendable, Equatable {
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
public struct PlaybookSyncReport: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
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
