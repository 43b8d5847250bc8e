import Foundation
import GRDB
import LinkStarCore

/// What seeding the layers and catalog did.
public struct SeedReport: Codable, Sendable, Equatable {
    public var layersAdded: [LayerKey]
    public var metricsAdded: [String]
    /// The workspace's start day when this run set it (first init, or `--since` moving it); null otherwise.
    public var startSet: Day?
    public var changed: Bool { !layersAdded.isEmpty || !metricsAdded.isEmpty || startSet != nil }
}

/// What `linkstar init` did.
public struct InitReport: Codable, Sendable, Equatable {
    public var database: String
    public var databaseCreated: Bool
    public var playbookDirectory: String
    public var playbookFilesWritten: [String]
    public var playbookFilesKept: [String]
    public var seed: SeedReport
    public var playbooks: PlaybookSyncReport
    /// The first admin, added when the workspace had no people yet (the person who ran init).
    public var firstAdmin: String?

    /// True when the run changed anything at all.
    public var changed: Bool {
        databaseCreated || !playbookFilesWritten.isEmpty || seed.changed || playbooks.changed || firstAdmin != nil
    }
}
