import Foundation
import GRDB

/// Tells a long-lived process cheaply whether anything was committed since it last looked, by any connection of any
/// process: SQLite's `PRAGMA data_version` on a read-only connection of its own, which never writes, so every commit
/// it sees is someone else's. In WAL mode the pragma reads the WAL index in shared memory: no disk I/O, no hop to
/// another thread. `WorkspaceDatabase.versions()` asks it first and reads the workspace's versions (the newest audit id,
/// the credential version) only after a commit.
final class ChangeWatch: @unchecked Sendable {
    private let connection: DatabaseQueue
    private let lock = NSLock()
    /// The versions read when the connection's data version was `dataVersion`.
    private var known: (dataVersion: Int64, versions: WorkspaceVersions)?

    /// Opens the watching connection on the workspace file at `path` (WAL mode).
    init(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(TimeInterval(WorkspaceDatabase.busyTimeoutSeconds))
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// The workspace's versions: the ones remembered while the data version has not moved, else `read` on this
    /// connection, right here (no hop to a pool's reader). The data version is read first, then the versions: a commit
    /// in between leaves newer versions under an older data version, which the next look replaces.
    func versions(_ read: (Database) throws -> WorkspaceVersions) throws -> WorkspaceVersions {
        try connection.inDatabase { db in
            let dataVersion = try Self.dataVersion(db)
            if let versions = versions(at: dataVersion) { return versions }
            let versions = try read(db)
            lock.withLock { known = (dataVersion, versions) }
            return versions
        }
    }

    /// The current data version: it changes whenever another connection has committed.
    func dataVersion() throws -> Int64 { try connection.inDatabase { db in try Self.dataVersion(db) } }

    /// The versions remembered for this data version, nil after a commit.
    func versions(at dataVersion: Int64) -> WorkspaceVersions? {
        lock.withLock { known?.dataVersion == dataVersion ? known?.versions : nil }
    }

    private static func dataVersion(_ db: Database) throws -> Int64 {
        // A cached statement: prepared once, stepped and reset on every look.
        try db.firstInt64(cached: "PRAGMA data_version") ?? 0
    }
}
