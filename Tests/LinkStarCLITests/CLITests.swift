import Foundation
import LinkStarCore
import Testing

/// End-to-end: the built binary on a temporary workspace.
@Suite("linkstar CLI", .serialized)
struct CLITests {
    func initialised() throws -> CLIRunner {
        let cli = try CLIRunner()
        let result = try cli.run(["init", "--dir", cli.folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        return cli
    }

    func auditCount(_ cli: CLIRunner) throws -> Int {
        let result = try cli.run(["audit", "--json", "--limit", "100000"])
        return (try result.object() as? [Any])?.count ?? -1
    }

    @Test("init twice: the second run changes nothing and says so")
    func initTwice() throws {
        let cli = try initialised()
        defer { cli.cleanUp() }
        let audit = try auditCount(cli)
        let second = try cli.run(["init", "--dir", cli.folder.path])
        #expect(second.status == 0)
        #expect(second.stdout.contains("Nothing changed"))
        #expect(try auditCount(cli) == audit)
        let json = try cli.run(["init", "--dir", cli.folder.path, "--json"])
        let report = try #require(try json.object() as? [String: Any])
        #expect(report["database_created"] as? Bool == false)
        #expect((report["playbook_files_written"] as? [Any])?.isEmpty == true)
    }

    @Test("layer list --json has the documented fields")
    func layerListJSON() throws {
        let cli = try initialised()
        defer { cli.cleanUp() }
        let result = try cli.run(["layer", "list", "--json"])
        #expect(result.status == 0)
        let layers = try #require(try result.object() as? [[String: Any]])
        #expect(layers.map { $0["key"] as? String } == ["traffic", "landing", "conversion", "retention", "feedback"])
        for layer in layers {
            for key in ["key", "name_en", "name_zh", "owner", "backup_owner", "playbook"] {
                #expect(layer.keys.contains(key), "missing \(key)")
            }
            #expect(layer["owner"] is NSNull)
            let playbook = try #require(layer["playbook"] as? [String: Any])
            #expect(playbook["version"] as? Int == 1)
            #expect((playbook["content_hash"] as? String)?.count == 64)
            #expect((playbook["synced_at"] as? String)?.hasSuffix("Z") == true)
        }
    }

    @Test("person add, layer assign and kpi set each leave exactly one audit entry; rejected commands leave none")
    func auditCounts() throws {
        let cli = try initialised()
        defer { cli.cleanUp() }
        var count = try auditCount(cli)

        for command in [
            ["person", "add", "chen.jie", "--name", "Chen Jie 陈杰", "--role", "editor"],
            ["layer", "assign", "conversion", "--owner", "chen.jie"],
            ["kpi", "set", "--metric", "checkout_to_order_rate", "--segment", "*/MY/mobile", "--baseline", "62%",
             "--baseline-period", "2026-09", "--target", "68%", "--warn", "0.03"],
        ] {
            let result = try cli.run(command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            count += 1
            #expect(try auditCount(cli) == count, "\(command)")
        }

        let rejected: [([String], Int32)] = [
            (["person", "add", "chen.jie", "--name", "Again"], 5),
            (["person", "add", "x", "--name", "Too short"], 4),
            (["layer", "assign", "conversion", "--owner", "chen.jei"], 3),
            (["layer", "assign", "convertion", "--owner", "chen.jie"], 3),
            (["kpi", "set", "--metric", "ctr", "--target", "120%"], 4),
            (["kpi", "set", "--metric", "ctr", "--segment", "amazon/US"], 4),
            (["kpi", "set", "--metric", "ctrr", "--target", "2%"], 3),
            (["kpi", "set", "--metric", "ctr", "--baseline", "2%"], 4),
            (["kpi", "set"], 2),
            (["kpi", "show", "42"], 3),
            (["metric", "define", "bad_rate", "--formula", "clicks / sessionz", "--direction", "up", "--layer", "traffic",
              "--definition", "d"], 3),
            (["no-such-command"], 2),
        ]
        for (command, expected) in rejected {
            let result = try cli.run(command)
            #expect(result.status == expected, "\(command): \(result.status) \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(command) printed to stdout")
            #expect(!result.stderr.isEmpty, "\(command) explained nothing")
        }
        #expect(try auditCount(cli) == count)

        let suggestion = try cli.run(["layer", "assign", "conversion", "--owner", "chen.jei"])
        #expect(suggestion.stderr.contains("did you mean 'chen.jie'"))
    }

    @Test("kpi list --json has the documented fields")
    func kpiListJSON() throws {
        let cli = try initialised()
        defer { cli.cleanUp() }
        try cli.run(["person", "add", "li.na", "--name", "Li Na", "--role", "editor"])
        try cli.run(["layer", "assign", "retention", "--owner", "li.na"])
        let set = try cli.run(["kpi", "set", "--metric", "refund_rate", "--segment", "*/DE/*", "--baseline", "4.5%",
                               "--baseline-period", "2026-09-01..2026-09-30", "--target", "3.5%", "--json"])
        #expect(set.status == 0, "\(set.stderr)")
        let result = try cli.run(["kpi", "list", "--json"])
        let kpis = try #require(try result.object() as? [[String: Any]])
        #expect(kpis.count == 1)
        let kpi = kpis[0]
        for key in ["id", "layer", "metric", "segment", "baseline", "target", "owner"] {
            #expect(kpi.keys.contains(key), "missing \(key)")
        }
        #expect(kpi["layer"] as? String == "retention")
        #expect(kpi["metric"] as? String == "refund_rate")
        #expect(kpi["segment"] as? String == "*/DE/*")
        #expect(kpi["owner"] as? String == "li.na")
        #expect(kpi["target"] as? Double == 0.035)
        let baseline = try #require(kpi["baseline"] as? [String: Any])
        #expect(baseline["value"] as? Double == 0.045)
        #expect(baseline["from"] as? String == "2026-09-01")
        #expect(baseline["to"] as? String == "2026-09-30")
        let show = try cli.run(["kpi", "show", String(kpi["id"] as! Int), "--json"])
        #expect(try (show.object() as? [String: Any])?["metric"] as? String == "refund_rate")
    }

    @Test("editing a playbook and syncing makes version 2; syncing again makes nothing; a broken one names file:line")
    func playbookSync() throws {
        let cli = try initialised()
        defer { cli.cleanUp() }
        let path = cli.folder.appendingPathComponent("Playbooks/traffic.md")
        try (try String(contentsOf: path, encoding: .utf8) + "- [ ] Check Shopee flash-deal traffic\n")
            .write(to: path, atomically: true, encoding: .utf8)
        let sync = try cli.run(["playbook", "sync", "--json"])
        #expect(sync.status == 0)
        let entries = try #require((try sync.object() as? [String: Any])?["entries"] as? [[String: Any]])
        let traffic = try #require(entries.first { $0["layer"] as? String == "traffic" })
        #expect(traffic["outcome"] as? String == "updated")
        #expect(traffic["version"] as? Int == 2)
        let again = try cli.run(["playbook", "sync"])
        #expect(again.stdout.contains("Nothing changed"))

        let audit = try auditCount(cli)
        let landing = cli.folder.appendingPathComponent("Playbooks/landing.md")
        try (try String(contentsOf: landing, encoding: .utf8)).replacingOccurrences(of: "cadence: weekly", with: "cadence: daily")
            .write(to: landing, atomically: true, encoding: .utf8)
        let broken = try cli.run(["playbook", "sync"])
        #expect(broken.status == 4)
        #expect(broken.stderr.contains("landing.md:5"))
        #expect(try auditCount(cli) == audit)

        let html = try cli.run(["playbook", "show", "traffic", "--html"])
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>"))
        let markdown = try cli.run(["playbook", "show", "traffic", "--version", "1"])
        #expect(!markdown.stdout.contains("Shopee flash-deal"))
        let list = try cli.run(["playbook", "list", "--json"])
        #expect(((try list.object() as? [[String: Any]])?.first?["version"] as? Int) == 2)
    }

    @Test("every read command prints exactly one JSON document")
    func readCommandsJSON() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let demo = try cli.run(["demo", "--dir", cli.folder.appendingPathComponent("demo").path, "--json"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(try demo.object() is [String: Any])
        let db = cli.folder.appendingPathComponent("demo/linkstar.sqlite").path
        for command in [["person", "list"], ["layer", "list"], ["layer", "show", "conversion"], ["metric", "list"],
                        ["metric", "show", "cart_abandonment_rate"], ["kpi", "list"], ["kpi", "show", "1"],
                        ["playbook", "list"], ["playbook", "show", "feedback"], ["audit", "--entity", "kpi:1"],
                        ["audit", "--person", "lin.wei", "--limit", "3"]] {
            let result = try cli.run(command + ["--json", "--db", db])
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect((try? result.object()) != nil, "\(command) did not print one JSON document")
        }
        let audit = try cli.run(["audit", "--entity", "kpi:1", "--json", "--db", db])
        let entries = try #require(try audit.object() as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries[0]["entity_id"] as? String == "1")
        #expect(entries[0]["before"] is NSNull)
        #expect((entries[0]["at"] as? String)?.contains("T") == true)
    }

    @Test("commands other than init refuse a missing workspace without creating it")
    func missingWorkspace() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let result = try cli.run(["layer", "list"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("linkstar init"))
        #expect(!FileManager.default.fileExists(atPath: cli.databasePath))
    }

    @Test("the actor is --as, else LINKSTAR_USER")
    func actor() throws {
        let cli = try initialised()
        defer { cli.cleanUp() }
        // init made tester (LINKSTAR_USER) the first admin.
        #expect(try cli.run(["person", "add", "lin.wei", "--name", "Lin Wei", "--role", "admin"]).status == 0)
        #expect(try cli.run(["person", "add", "wang.fang", "--name", "Wang Fang", "--as", "lin.wei"]).status == 0)
        #expect(try cli.run(["person", "add", "zhou.qiang", "--name", "Zhou Qiang"]).status == 0)
        let entries = try #require(try cli.run(["audit", "--entity", "person", "--json"]).object() as? [[String: Any]])
        #expect(entries.map { $0["actor"] as? String } == ["tester", "lin.wei", "tester", "tester"])
    }
}
