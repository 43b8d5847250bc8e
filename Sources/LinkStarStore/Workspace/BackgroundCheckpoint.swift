import Foundation
import GRDB
import GRDBSQLite

/// Checkpoints a server's write-ahead log on a connection of its own, off the writer's path.
///
/// SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1,000 pages: that commit then copies
/// pages into the database file and waits for the disk twice, so one write in every ~70 of the API's one-observation
/// imports was answered in ~7 ms instead of ~0.6 ms (`Benchmarks/api.sh`, p99). Here the writer's automatic checkpoint
/// is replaced by a WAL hook (SQLite calls it after each commit with the WAL's size) that hands the same decision, at
/// the same size, to a background queue. It runs a PASSIVE checkpoint, which never takes the write lock: writes and
/// reads go on meanwhile, and the next write starts the WAL over once everything in it is in the database file.
/// Other processes (the CLI) keep SQLite's automatic checkpoint.
final class BackgroundCheckpoint: @unchecked Sendable {
    /// SQLite's automatic checkpoint size, in pages, kept.
    static let defaultPages: Int32 = 1000

    /// What the writer's hook holds: not retained by SQLite, so it is a box that outlives this object and forgets it.
    private final class HookContext: @unchecked Sendable { weak var owner: BackgroundCheckpoint? }

    private let path: String
    private let pages: Int32
    private let queue = DispatchQueue(label: "linkstar.checkpoint", qos: .utility)
    private let lock = NSLock()
    private var scheduled = false
    private var done = 0
    private var connection: DatabaseQueue?

    /// A checkpoint for the workspace file at `path` once the WAL holds `pages` pages.
    init(path: String, pages: Int32 = defaultPages) {
        self.path = path
        self.pages = pages
    }

    /// Checkpoints run so far.
    var completed: Int { lock.withLock { done } }

    /// Replaces the automatic checkpoint of the connection `db` (the writer) with this hook.
    func install(on db: Database) {
        let context = HookContext()
        context.owner = self
        sqlite3_wal_hook(db.sqliteConnection, { context, _, _, frames in
            if let context, let owner = Unmanaged<HookContext>.fromOpaque(context).takeUnretainedValue().owner {
                owner.walGrew(to: frames)
            }
            return SQLITE_OK
        }, Unmanaged.passRetained(context).toOpaque())
    }

    /// After a commit: schedules a checkpoint when the WAL is past the size and none is waiting to run.
    private func walGrew(to frames: Int32) {
        guard frames >= pages else { return }
        let schedule = lock.withLock { () -> Bool in
            if scheduled { return false }
            scheduled = true
            return true
        }
        if schedule { queue.async { self.run() } }
    }

    private func run() {
        lock.withLock { scheduled = false }
        do {
            if connection == nil {
                var configuration = Configuration()
                configuration.busyMode = .timeout(TimeInterval(WorkspaceDatabase.busyTimeoutSeconds))
                connection = try DatabaseQueue(path: path, configuration: configuration)
            }
            // What a checkpoint that cannot finish (a long read holds old pages) leaves, the next one copies.
            _ = try connection?.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        } catch {
            // The next commit past the size tries again; the WAL stays correct meanwhile, only longer.
        }
        lock.withLock { done += 1 }
    }
}
