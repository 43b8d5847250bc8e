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
