import Foundation
import LinkStarCore
import Testing

/// Runs the built `linkstar` binary in a temporary workspace folder.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// Decodes stdout as one JSON document.
        func json<T: Decodable>(_ type: T.Type = T.self) throws -> T {
            try LinkStarJSON.decoder().decode(T.self, from: Data(stdout.utf8))
        }

        /// stdout parsed as untyped JSON.
        func object() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
    }

    let folder: URL
    var environment: [String: String]

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("linkstar-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["LINKSTAR_DB"] = folder.appendingPathComponent("linkstar.sqlite").path
        environment["LINKSTAR_USER"] = "tester"
        // The reader's language is English unless a test says otherwise, whatever the machine's locale.
        environment["LANG"] = "C.UTF-8"
        for name in ["LC_ALL", "LC_MESSAGES", "LINKSTAR_LANG"] { environment.removeValue(forKey: name) }
        // Every template the binary renders must be in the catalog (en and zh): it reports any that is not.
        environment["LINKSTAR_CATALOG_CHECK"] = "1"
        self.environment = environment
    }

    var databasePath: String { folder.appendingPathComponent("linkstar.sqlite").path }

    func cleanUp() { try? FileManager.default.removeItem(at: folder) }

    /// The `linkstar` executable next to the test bundle (or `LINKSTAR_BIN`).
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["LINKSTAR_BIN"] { return URL(fileURLWithPath: path) }
        var candidates: [URL] = []
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        var directory = argv0.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("linkstar"))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("linkstar"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/linkstar"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()

    @discardableResult
    func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = environment.merging(extra) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read before waiting so a large output cannot fill the pipe and block.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let result = Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                            stderr: String(decoding: stderr, as: UTF8.self))
        for line in result.stderr.split(separator: "\n") where line.hasPrefix("linkstar: untranslated: ") {
            Issue.record("not in the catalog (linkstar \(arguments.joined(separator: " "))): \(line.dropFirst(24))")
        }
        return result
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension CLIRunner {
    /// Runs the binary and returns its result with the peak resident memory (KiB) of that one child.
    ///
    /// Paths in `arguments` must be absolute: the child runs in the test's working directory.
    /// `getrusage(RUSAGE_CHILDREN)` reports the largest of every child the test process has waited for,
    /// and tests run in parallel, so GNU time measures this one child (see below).
    func runMeasuringMemory(_ arguments: [String]) throws -> (result: Result, maxResidentKiB: Int) {
        let outPath = folder.appendingPathComponent("measured-\(UUID().uuidString).out").path
        let errPath = folder.appendingPathComponent("measured-\(UUID().uuidString).err").path
        defer { try? FileManager.default.removeItem(atPath: outPath); try? FileManager.default.removeItem(atPath: errPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Through GNU time: the kernel counts the resident peak of the process a vfork-style spawn (posix_spawn)
        // replaced, which here is this whole test process, into the child's ru_maxrss. time's own child starts
        // from time's small address space, so its figure is linkstar's alone.
        let rssPath = folder.appendingPathComponent("measured-\(UUID().uuidString).rss").path
        defer { try? FileManager.default.removeItem(atPath: rssPath) }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "/usr/bin/time is needed to measure memory (apt-get install time)"])
        }
        let argv = ["/usr/bin/time", "-f", "%M", "-o", rssPath, Self.executable.path] + arguments
        let env = environment.map { "\($0.key)=\($0.value)" }
        var cArgv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnv: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer { (cArgv + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/time", &actions, nil, &cArgv, &cEnv)
        guard spawned == 0 else { throw CocoaError(.fileReadUnknown) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        let measured = (try? String(contentsOfFile: rssPath, encoding: .utf8))?.split(separator: "\n").last.flatMap { Int($0) }
        guard let measured else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "no figure from /usr/bin/time"]) }
        return (Result(status: code, stdout: stdout, stderr: stderr), measured)
    }
}
