import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LinkStarCore
import LinkStarPlaybooks
import Logging

/// Where a workspace lives: the database file and the `Playbooks/` folder beside it.
public struct WorkspaceLocation: Sendable, Equatable {
    public var databasePath: String
    public var playbookDirectory: String

    public init(databasePath: String) {
        let url = URL(fileURLWithPath: databasePath).standardizedFileURL
        self.databasePath = url.path
        self.playbookDirectory = url.deletingLastPathComponent().appendingPathComponent("Playbooks").path
    }

    /// The database path from `--db`, else `LINKSTAR_DB`, else `./linkstar.sqlite`.
    public static func resolve(db: String?, environment: [String: String]) -> WorkspaceLocation {
        if let db, !db.isEmpty { return WorkspaceLocation(databasePath: db) }
        if let env = environment["LINKSTAR_DB"], !env.isEmpty { return WorkspaceLocation(databasePath: env) }
        return WorkspaceLocation(databasePath: "linkstar.sqlite")
    }

    /// The workspace in a folder: `DIR/linkstar.sqlite` and `DIR/Playbooks`.
    public static func inDirectory(_ directory: String) -> WorkspaceLocation {
        WorkspaceLocation(databasePath: URL(fileURLWithPath: directory).appendingPathComponent("linkstar.sqlite").path)
    }
}

/// Workspace-level operations that touch files as well as the database.
public enum Workspace {
    /// Opens an existing workspace; a missing database file is a not-found error, never silently created.
    public static func open(_ location: WorkspaceLocation, clock: @escaping @Sendable () -> Date = { Date() },
                            logger: Logger = Logger(label: "linkstar.store")) throws -> WorkspaceDatabase {
        guard FileManager.default.fileExists(atPath: location.databasePath) else {
            throw LinkStarError(.notFound, "no workspace at \(location.databasePath)", hint: .initWorkspace)
        }
        return try WorkspaceDatabase.openFile(at: location.databasePath, clock: clock, logger: logger)
    }

    /// Creates the database and playbook files that are missing, seeds layers and the metric catalog,
    /// and syncs the playbooks. Existing files and rows are never overwritten; a second run changes nothing.
    /// `since`: the day the team started (default today); no review period before it is ever due.
    /// `firstAdmin`: added as an admin when the workspace has no people yet (init makes whoever ran it the first admin).
    /// `group`: share the new database file with this group, read-only (0640) instead of owner-only (0600).
    /// `playbookLanguage`: the language of the default playbooks written; `defaultLanguage`: the new workspace's `lang` setting.
    public static func initialize(_ location: WorkspaceLocation, actor: String, firstAdmin: NewPerson? = nil, since: Day? = nil,
                                  group: String? = nil, playbookLanguage: Language = .en, defaultLanguage: Language? = nil,
                                  clock: @escaping @Sendable () -> Date = { Date() },
                                  logger: Logger = Logger(label: "linkstar.store")) async throws -> InitReport {
        let fileManager = FileManager.default
        let databaseDirectory = URL(fileURLWithPath: location.databasePath).deletingLastPathComponent().path
        do {
            try fileManager.createDirectory(atPath: databaseDirectory, withIntermediateDirectories: true)
            try fileManager.createDirectory(atPath: location.playbookDirectory, withIntermediateDirectories: true)
        } catch {
            throw LinkStarError(.invalid, "cannot create \(location.playbookDirectory): \(error.localizedDescription)")
        }
        var written: [String] = [], kept: [String] = []
        for (fileName, markdown) in playbookLanguage == .zh ? DefaultPlaybooks.chinese : DefaultPlaybooks.all {
            let path = (location.playbookDirectory as NSString).appendingPathComponent(fileName)
            if fileManager.fileExists(atPath: path) {
                kept.append(fileName)
                continue
            }
            // Create-only: never replaces a file that appeared meanwhile.
            guard fileManager.createFile(atPath: path, contents: Data(markdown.utf8)) else {
                throw LinkStarError(.invalid, "cannot write \(path)")
            }
            written.append(fileName)
        }
        let created = !fileManager.fileExists(atPath: location.databasePath)
        if created {
            try createPrivateFile(location.databasePath)
            if let group {
                guard let entry = getgrnam(group) else {
                    try? FileManager.default.removeItem(atPath: location.databasePath)
                    throw LinkStarError.invalidField("group", "no group named \(Excerpt.quoted(group)) on this machine")
                }
                guard chown(location.databasePath, uid_t.max, entry.pointee.gr_gid) == 0, chmod(location.databasePath, 0o640) == 0 else {
                    try? FileManager.default.removeItem(atPath: location.databasePath)
                    throw LinkStarError(.invalid, "cannot give \(location.databasePath) to group \(group): \(String(cString: strerror(errno)))")
                }
            }
        }
        let database = try WorkspaceDatabase.openFile(at: location.databasePath, clock: clock, logger: logger)
        let seed = try await database.seedDefaults(actor: actor, since: since)
        if created, let defaultLanguage {
            _ = try await database.setConfig(.lang, value: defaultLanguage.rawValue, actor: actor)
        }
        let sync = try await database.syncPlaybooks(try readPlaybooks(in: location.playbookDirectory), actor: actor)
        var admin: String?
        if let firstAdmin, try await database.people().isEmpty {
            var person = firstAdmin
            person.role = .admin
            admin = try await database.addPerson(person, actor: actor).handle
        }
        return InitReport(database: location.databasePath, databaseCreated: created,
                          playbookDirectory: location.playbookDirectory, playbookFilesWritten: written,
                          playbookFilesKept: kept, seed: seed, playbooks: sync, firstAdmin: admin)
    }

    /// Creates an empty database file readable and writable by its owner only (0600); SQLite gives the WAL and
    /// shared-memory files the same permissions. File-system access is the real boundary on one machine.
    static func createPrivateFile(_ path: String) throws {
        let descriptor = Glibc.open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard descriptor >= 0 else { throw LinkStarError(.invalid, "cannot create \(path): \(String(cString: strerror(errno)))") }
        fchmod(descriptor, 0o600)
        Glibc.close(descriptor)
    }

    /// Reads every `*.md` file of a playbook folder.
    public static func readPlaybooks(in directory: String) throws -> [PlaybookSource] {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LinkStarError(.notFound, "no playbook folder at \(directory)")
        }
        let names = try fileManager.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".md") }.sorted()
        return try names.map { name in
            let path = (directory as NSString).appendingPathComponent(name)
            // Only regular files that are really in the folder: a symlink could pull in any file on the machine.
            var info = stat()
            guard lstat(path, &info) == 0 else { throw LinkStarError(.invalid, "cannot read \(path)") }
            let type = info.st_mode & S_IFMT
            guard type == S_IFREG else {
                let what = type == S_IFLNK ? "a symbolic link" : type == S_IFDIR ? "a folder" : "not a regular file"
                throw LinkStarError(.invalid, "\(name) is \(what); playbooks must be regular files in \(directory)",
                                    details: [.init(file: name, message: "\(what), not a regular file")])
            }
            guard Int(info.st_size) <= InputLimits.maxPlaybookBytes else {
                throw LinkStarError(.invalid, "\(name) is larger than \(InputLimits.maxPlaybookBytes >> 20) MiB",
                                    details: [.init(file: name, message: "larger than \(InputLimits.maxPlaybookBytes >> 20) MiB")])
            }
            guard let data = fileManager.contents(atPath: path) else {
                throw LinkStarError(.invalid, "cannot read \(path)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw LinkStarError(.invalid, "\(name) is not UTF-8 text",
                                    details: [.init(file: name, line: 1, message: "not UTF-8 text")])
            }
            return PlaybookSource(fileName: name, content: text)
        }
    }
}
