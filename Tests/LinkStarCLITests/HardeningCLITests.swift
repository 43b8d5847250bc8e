import Foundation
import GRDB
import Testing

/// Issue 9: the reliability probe's findings, through the binary that found them.
@Suite("linkstar CLI: hardening")
struct HardeningCLITests {
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    func workspace() throws -> CLIRunner {
        let cli = try CLIRunner()
        let result = try cli.run(["init", "--dir", cli.folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        return cli
    }

    func write(_ cli: CLIRunner, _ name: String, _ text: String) throws -> String {
        let path = cli.folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func observationCount(_ cli: CLIRunner) throws -> Int {
        let imports = try cli.run(["import", "list", "--json"])
        return (try imports.object() as? [[String: Any]])?.reduce(0) { $0 + (($1["inserted"] as? Int) ?? 0) } ?? -1
    }

    @Test("days outside the supported range exit 4 naming --today; nothing traps")
    func unsupportedToday() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        for arguments in [["check", "--today", "9999-12-31"], ["check", "--today", "1900-01-01"], ["review", "due", "--today", "1900-01-05"],
                          ["funnel", "--today", "2100-01-01"], ["review", "start", "traffic", "--today", "1900-01-03"],
                          ["kpi", "status", "--from", "1999-12-01", "--to", "2000-01-02"], ["funnel", "--period", "2100-W01"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 4, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("2000-01-01 to 2099-12-31") || result.stderr.contains("not a period"), "\(arguments): \(result.stderr)")
        }
        #expect(try cli.run(["check", "--today", "2099-12-31"]).status == 7)
        #expect(try cli.run(["check", "--today", "2000-01-01"]).status != 132)
    }

    @Test("a value beyond its unit's bound is refused, so reports keep working")
    func hugeValue() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        let file = try write(cli, "huge.csv", "date,channel,market,device,metric,value,currency\n2026-11-01,amazon,US,mobile,sessions,1e308,\n")
        let result = try cli.run(["import", file])
        #expect(result.status == 4)
        #expect(result.stderr.contains("huge.csv:2:6"), "\(result.stderr)")
        #expect(try observationCount(cli) == 0)
        let fine = try write(cli, "fine.csv", "date,channel,market,device,metric,value,currency\n2026-11-01,amazon,US,mobile,sessions,1000000000000,\n")
        #expect(try cli.run(["import", fine]).status == 0)
        for arguments in [["funnel", "--today", "2026-11-03"], ["kpi", "status", "--today", "2026-11-03"], ["scorecard", "--today", "2026-11-03"]] {
            #expect(try cli.run(arguments).status == 0, "\(arguments)")
        }
        #expect(try cli.run(["kpi", "set", "--metric", "sessions", "--target", "1e308"]).status == 4)
        #expect(try cli.run(["kpi", "set", "--metric", "sessions", "--target", "5,0"]).status == 4)
    }

    @Test("a ragged row in an Amazon Sponsored Products export is refused at its line; nothing is stored")
    func raggedRow() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        var lines = try String(contentsOf: Self.fixtures.appendingPathComponent("amazon-sponsored-products.csv"), encoding: .utf8)
            .components(separatedBy: "\n")
        // Remove the CTR cell of line 3: every later value would shift one column left.
        lines[2] = lines[2].replacingOccurrences(of: ",1.74%", with: "")
        let file = try write(cli, "sp.csv", lines.joined(separator: "\n"))
        let result = try cli.run(["import", file, "--market", "US", "--device", "all"])
        #expect(result.status == 4, "\(result.stdout)")
        #expect(result.stderr.contains("sp.csv:3"), "\(result.stderr)")
        #expect(result.stderr.contains("the header has 13"), "\(result.stderr)")
        #expect(try observationCount(cli) == 0)
        // Unquoted 1,2,3 in a comma file is a ragged row too.
        let commas = try write(cli, "commas.csv", "date,channel,market,device,metric,value,currency\n2026-11-01,amazon,US,mobile,sessions,1,2,3\n")
        #expect(try cli.run(["import", commas]).status == 4)
    }

    @Test("a CR-only file is read line by line")
    func crOnly() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        let file = try write(cli, "mac.csv", "date,channel,market,device,metric,value,currency\r2026-11-01,amazon,US,mobile,sessions,10,\r2026-11-02,amazon,US,mobile,sessions,12,\r")
        let result = try cli.run(["import", file, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect((try result.object() as? [String: Any])?["inserted"] as? Int == 2)
    }

    @Test("/dev/zero and a multi-megabyte line end with exit 4, a short message and bounded memory")
    func endlessInput() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        let (zero, zeroMemory) = try cli.runMeasuringMemory(["import", "/dev/zero"])
        #expect(zero.status == 4, "\(zero.stderr.prefix(300))")
        #expect(zero.stderr.utf8.count < 1024)
        #expect(zeroMemory < 200 * 1024, "import /dev/zero used \(zeroMemory) KiB")
        let long = try write(cli, "long.csv", "date,channel,market,device,metric,value,currency\n2026-11-01,amazon,US,mobile," + String(repeating: "x", count: 5 << 20) + ",1,\n")
        let (result, longMemory) = try cli.runMeasuringMemory(["import", long])
        #expect(result.status == 4)
        #expect(result.stderr.contains("long.csv:2"), "\(result.stderr.prefix(300))")
        #expect(result.stderr.utf8.count < 1024)
        #expect(longMemory < 200 * 1024, "import of a 5 MiB line used \(longMemory) KiB")
    }

    @Test("a symlink in Playbooks/ is refused by name and nothing is stored")
    func playbookSymlink() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        let outside = try write(cli, "elsewhere.md", try String(contentsOf: cli.folder.appendingPathComponent("Playbooks/traffic.md"), encoding: .utf8) + "\n- [ ] a new item\n")
        let link = cli.folder.appendingPathComponent("Playbooks/traffic.md").path
        try FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: outside)
        let result = try cli.run(["playbook", "sync", "--dir", cli.folder.appendingPathComponent("Playbooks").path])
        #expect(result.status == 4, "\(result.stdout)")
        #expect(result.stderr.contains("traffic.md is a symbolic link"), "\(result.stderr)")
        let list = try #require(try cli.run(["playbook", "list", "--json"]).object() as? [[String: Any]])
        #expect(list.allSatisfy { ($0["version"] as? Int) == 1 })
    }

    @Test("a playbook ending in a list and a whitespace-only line renders as HTML (it once crashed the process, exit 132)")
    func playbookHTML() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        let path = cli.folder.appendingPathComponent("Playbooks/traffic.md")
        let text = try String(contentsOf: path, encoding: .utf8)
        try Data((text + "\n- one more note\n   ").utf8).write(to: path)
        #expect(try cli.run(["playbook", "sync", "--dir", cli.folder.appendingPathComponent("Playbooks").path]).status == 0)
        let html = try cli.run(["playbook", "show", "traffic", "--html"])
        #expect(html.status == 0, "\(html.stderr.prefix(300))")
        #expect(html.stdout.contains("one more note"))
    }

    @Test("a write while another process holds the lock past the timeout exits 8 with a busy message")
    func busy() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        let other = try DatabaseQueue(path: cli.databasePath)
        let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread {
            _ = try? other.inTransaction(.immediate) { _ in
                locked.signal()
                _ = release.wait(timeout: .now() + 60)
                return .rollback
            }
            done.signal()
        }.start()
        locked.wait()
        let result = try cli.run(["event", "add", "--kind", "promo", "--title", "11.11", "--from", "2026-11-11"])
        release.signal()
        done.wait()
        #expect(result.status == 8, "\(result.stderr)")
        #expect(result.stderr.contains("busy"))
        #expect(try cli.run(["event", "list", "--json"]).stdout.contains("11.11") == false)
    }
}

/// Issue 11 (a workspace has a start): a new workspace is clean on day one.
@Suite("linkstar CLI: workspace start")
struct WorkspaceStartCLITests {
    @Test("init, then check, review due and action log the same day: nothing overdue, nothing refused; --since back-dates")
    func cleanOnDayOne() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["init", "--dir", cli.folder.path]).status == 0)
        let due = try #require(try cli.run(["review", "due", "--json"]).object() as? [[String: Any]])
        #expect(due.count == 6)
        #expect(due.allSatisfy { ($0["days_overdue"] as? Int) == 0 && ($0["status"] as? String) != "overdue" }, "\(due)")
        #expect(due.contains { ($0["status"] as? String) == "upcoming" && $0["next_due_on"] is String })
        let check = try #require(try cli.run(["check", "--json"]).object() as? [String: Any])
        #expect((check["overdue_reviews"] as? [Any])?.isEmpty == true, "\(check)")
        let logged = try cli.run(["action", "log", "--title", "First test", "--layer", "conversion", "--kpi", "checkout_to_order_rate",
                                  "--kind", "page", "--hypothesis", "h"])
        #expect(logged.status == 0, "\(logged.stderr)")
        // Back-dated, October's feedback review is overdue on 2026-11-25 and gating applies.
        #expect(try cli.run(["init", "--dir", cli.folder.path, "--since", "2026-01-01"]).status == 0)
        let later = try #require(try cli.run(["review", "due", "--today", "2026-11-25", "--json"]).object() as? [[String: Any]])
        #expect(later.first { $0["scope"] as? String == "feedback" }?["status"] as? String == "overdue")
        #expect(try cli.run(["init", "--dir", cli.folder.path, "--since", "2026-13-01"]).status == 4)
    }
}
