import Foundation
import GRDB
import LinkStarCore

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
