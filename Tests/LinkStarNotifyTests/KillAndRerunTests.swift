import Foundation
import Testing

/// The real binary, killed with SIGKILL while a request is out, then run again: every message arrives exactly once.
@Suite("notify run killed mid-run, then run again", .serialized)
struct KillAndRerunTests {
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["LINKSTAR_BIN"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.deletingLastPathComponent()
        var candidates: [URL] = []
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("linkstar"))
            directory = directory.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/linkstar"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()

    struct Workspace {
        let folder: URL
        var environment: [String: String] {
            var environment = ProcessInfo.processInfo.environment
            environment["LINKSTAR_DB"] = folder.appendingPathComponent("linkstar.sqlite").path
            environment["LINKSTAR_USER"] = "lin.wei"
            environment["LANG"] = "C.UTF-8"
            for name in ["LC_ALL", "LC_MESSAGES", "LINKSTAR_LANG"] { environment.removeValue(forKey: name) }
            return environment
        }

        func start(_ arguments: [String]) throws -> (Process, Pipe) {
            let process = Process()
            process.executableURL = KillAndRerunTests.executable
            process.arguments = arguments
            process.environment = environment
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            process.standardInput = FileHandle.nullDevice
            try process.run()
            return (process, out)
        }

        @discardableResult
        func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
            let (process, out) = try start(arguments)
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }

        func json(_ arguments: [String]) throws -> Any {
            let result = try run(arguments + ["--json"])
            return try JSONSerialization.jsonObject(with: Data(result.output.utf8))
        }
    }

    @Test("SIGKILL while the third message is out: the rerun recovers it and every message is received exactly once, signed")
    func killAndRerun() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("linkstar-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = Workspace(folder: folder)
        #expect(try workspace.run(["demo", "--dir", folder.path]).status == 0)
        let receiver = VendorReceiver()
        try await receiver.serve { base in
            let added = try workspace.run(["notify", "channel", "add", "team", "--kind", "feishu",
                                           "--url", base + "/feishu/open-apis/bot/v2/hook/abc", "--secret", VendorReceiver.secret])
            #expect(added.status == 0, "\(added.output)")
            // The first two go through; the third is lost on the way and never answered.
            receiver.script("feishu", [.stall(0), .stall(0), .hang])
            // A generous timeout: on a loaded machine a slow answer would otherwise be retried, and a retry after the
            // receiver did get the request is a repeat this test is not about (see DeliveryTests.crashes).
            let (process, _) = try workspace.start(["notify", "run", "--timeout", "120"])
            for _ in 0..<400 where receiver.hangingCount == 0 { try await Task.sleep(nanoseconds: 50_000_000) }
            #expect(receiver.hangingCount == 1)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            receiver.releaseHanging()

            let midway = try #require(try workspace.json(["notify", "outbox", "--limit", "1000"]) as? [[String: Any]])
            let total = midway.count
            #expect(total >= 3)
            #expect(midway.filter { $0["state"] as? String == "delivered" }.count == 2,
                    "\(midway.map { "\($0["id"] ?? "-") \($0["state"] ?? "-") \($0["attempts"] ?? "-") \($0["last_error"] ?? "-")" })")
            let stuck = try #require(midway.first { $0["state"] as? String == "sending" })

            let rerun = try workspace.run(["notify", "run", "--timeout", "120"])
            #expect(rerun.status == 0, "\(rerun.output)")
            #expect(rerun.output.contains("1 messages left mid-request by a stopped sender are sent again"), "\(rerun.output)")
            let after = try #require(try workspace.json(["notify", "outbox", "--limit", "1000"]) as? [[String: Any]])
            #expect(after.count == total && after.allSatisfy { $0["state"] as? String == "delivered" })
            let detail = try #require(try workspace.json(["notify", "outbox", "--id", "\(stuck["id"] as? Int ?? 0)"]) as? [String: Any])
            #expect((detail["attempts"] as? [[String: Any]])?.compactMap { $0["outcome"] as? String } == ["interrupted", "delivered"])

            // Exactly once each: as many requests as messages, no two alike, every one correctly signed.
            let received = receiver.received("feishu")
            #expect(received.count == total)
            #expect(received.allSatisfy { $0.signed && $0.shaped })
            let contents = received.map { request -> String in
                let content = request.json?["content"] ?? [:]
                let data = (try? JSONSerialization.data(withJSONObject: content, options: [.sortedKeys])) ?? Data()
                return String(decoding: data, as: UTF8.self)
            }
            #expect(Set(contents).count == total)
            // A third run has nothing to send.
            #expect(try workspace.run(["notify", "run", "--timeout", "120"]).status == 0)
            #expect(receiver.received("feishu").count == total)
        }
    }
}
