import Foundation
import Testing

/// End-to-end: import, funnel, KPI status, scorecard, data check through the built binary.
@Suite("linkstar CLI: metrics in, funnel out", .serialized)
struct ReportingCLITests {
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    @Test("import a preset export, import it again (nothing changes), list imports")
    func importTwice() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["init", "--dir", cli.folder.path]).status == 0)
        let file = Self.fixtures.appendingPathComponent("lazada-business-advisor.csv").path
        let first = try cli.run(["import", file, "--market", "MY", "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try #require(try first.object() as? [String: Any])
        #expect(summary["format"] as? String == "lazada")
        #expect(summary["inserted"] as? Int == 18)
        #expect(summary["rows_skipped"] as? Int == 1)
        let second = try cli.run(["import", file, "--market", "MY"])
        #expect(second.status == 0)
        #expect(second.stdout.contains("Nothing changed"))
        let list = try #require(try cli.run(["import", "list", "--json"]).object() as? [[String: Any]])
        #expect(list.count == 1)
        #expect((list[0]["content_hash"] as? String)?.count == 64)
    }

    @Test("a file with a bad cell exits 4 naming line and column; --dry-run too; --skip-invalid writes the rejects")
    func rejected() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["init", "--dir", cli.folder.path]).status == 0)
        let file = Self.fixtures.appendingPathComponent("long-bad-cell.csv").path
        let result = try cli.run(["import", file])
        #expect(result.status == 4)
        #expect(result.stderr.contains("long-bad-cell.csv:3:6"))
        #expect(try cli.run(["import", file, "--dry-run"]).status == 4)
        let rejects = cli.folder.appendingPathComponent("rejects.csv").path
        let skipped = try cli.run(["import", file, "--skip-invalid", rejects])
        #expect(skipped.status == 0)
        let text = try String(contentsOfFile: rejects, encoding: .utf8)
        #expect(text.hasPrefix("line,date,channel,market,device,metric,value,currency,problems\n3,"))
        #expect(text.contains("is not a number"))
    }

    @Test("on the demo: chat channels are added sealed and listed shortened; a person's chat identity makes the report mention them the vendor's way")
    func channelsAndMentions() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["demo", "--dir", cli.folder.appendingPathComponent("demo").path]).status == 0)
        let db = cli.folder.appendingPathComponent("demo/linkstar.sqlite").path
        func run(_ arguments: [String]) throws -> CLIRunner.Result { try cli.run(arguments + ["--db", db, "--as", "lin.wei"]) }
        let added = try run(["notify", "channel", "add", "ops-daily", "--kind", "dingtalk", "--url",
                             "https://oapi.dingtalk.com/robot/send?access_token=TOKEN0123456789", "--secret", "SECsecret0123"])
        #expect(added.status == 0 && added.stdout.contains("https://oapi.dingtalk.com/robot/…?…") && !added.stdout.contains("TOKEN"), "\(added.stderr)")
        #expect(try run(["notify", "channel", "add", "bad", "--kind", "dingtalk", "--url", "http://example.com/x"]).status == 4)
        let list = try run(["notify", "channel", "list", "--json"])
        #expect(!list.stdout.contains("TOKEN") && !list.stdout.contains("SECsecret") && list.stdout.contains("\"signed\" : true"), "\(list.stdout)")
        #expect(try run(["person", "set", "chen.jie", "--dingtalk-mobile", "13800000001"]).status == 0)
        #expect(try run(["person", "set", "chen.jie", "--dingtalk-mobile", "12-34"]).status == 4)
        let body = try run(["notify", "preview", "digest", "--channel", "ops-daily"])
        #expect(body.status == 0, "\(body.stderr)")
        let object = try #require(try body.object() as? [String: Any])
        #expect((object["at"] as? [String: Any])?["atMobiles"] as? [String] == ["13800000001"])
        #expect(((object["markdown"] as? [String: Any])?["text"] as? String)?.contains("owner @13800000001") == true)
        // Cleared with an empty value: the report mentions the handle again.
        #expect(try run(["person", "set", "chen.jie", "--dingtalk-mobile", ""]).status == 0)
        #expect(try run(["notify", "preview", "digest"]).stdout.contains("owner @chen.jie"))
        #expect(try run(["notify", "channel", "remove", "ops-daily"]).status == 0)
        #expect(try run(["notify", "preview", "digest", "--channel", "ops-daily"]).status == 3)
    }

    @Test("on the demo: notify preview alerts in Chinese; notify run with no channel decides nothing; bad settings and options are refused")
    func alertsAndRun() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["demo", "--dir", cli.folder.appendingPathComponent("demo").path]).status == 0)
        let db = cli.folder.appendingPathComponent("demo/linkstar.sqlite").path
        func run(_ arguments: [String]) throws -> CLIRunner.Result { try cli.run(arguments + ["--db", db, "--as", "lin.wei"]) }
        // The demo's reviews are overdue and some KPIs off-track: each is an alert, mentioning its owner.
        let zh = try run(["notify", "preview", "alerts", "--lang", "zh"])
        #expect(zh.status == 0, "\(zh.stderr)")
        #expect(zh.stdout.contains("LinkStar 提醒：复盘逾期") && zh.stdout.contains("LinkStar 提醒：KPI 未达标") && zh.stdout.contains("@zhang.min"), "\(zh.stdout)")
        #expect(!zh.stdout.contains("alert") && !zh.stdout.contains("overdue") && !zh.stdout.contains(" owner "), "\(zh.stdout)")
        let alerts = try #require(try run(["notify", "preview", "alerts", "--json"]).object() as? [[String: Any]])
        #expect(alerts.contains { $0["kind"] as? String == "kpi_off_track" && $0["owner"] as? String == "zhang.min" })
        #expect(alerts.contains { $0["kind"] as? String == "review_overdue" })
        // No channel: nothing decided, nothing recorded; the alerts stay pending for the first channel.
        let idle = try run(["notify", "run"])
        #expect(idle.status == 0 && idle.stdout.contains("No chat channel"), "\(idle.stdout) \(idle.stderr)")
        #expect(try run(["notify", "preview", "alerts", "--json"]).stdout == (try run(["notify", "preview", "alerts", "--json"]).stdout))
        #expect((try run(["notify", "preview", "alerts", "--json"]).object() as? [Any])?.count == alerts.count)
        #expect((try run(["notify", "outbox", "--json"]).object() as? [Any])?.count == 0)
        // Decide only, on a channel: every alert is queued once; deciding again queues nothing.
        #expect(try run(["notify", "channel", "add", "team", "--kind", "slack", "--url", "http://127.0.0.1:9/slack"]).status == 0)
        let decided = try #require(try run(["notify", "run", "--decide-only", "--json"]).object() as? [String: Any])
        let queued = try #require((decided["decision"] as? [String: Any])?["queued"] as? [[String: Any]])
        #expect(queued.filter { $0["topic"] as? String == "alert" }.count == alerts.count)
        let again = try #require(try run(["notify", "run", "--decide-only", "--json"]).object() as? [String: Any])
        #expect(((again["decision"] as? [String: Any])?["queued"] as? [Any])?.count == 0)
        #expect(try run(["notify", "preview", "alerts"]).stdout.contains("No alert would be sent now."))
        // Refused input.
        #expect(try run(["config", "set", "digest_time", "25:00"]).status == 4)
        #expect(try run(["config", "set", "digest_time", "8:30"]).status == 0)
        #expect(try run(["config", "set", "public_url", "ftp://x"]).status == 4)
        #expect(try run(["config", "set", "public_url", "https://linkstar.example.com"]).status == 0)
        #expect(try run(["notify", "outbox", "--state", "lost"]).status == 4)
        #expect(try run(["notify", "outbox", "--id", "99999"]).status == 3)
        #expect(try run(["notify", "run", "--max-wait", "601"]).status == 2)
        #expect(try run(["notify", "channel", "test", "nope"]).status == 3)
        // The link goes into the messages.
        #expect(try run(["notify", "preview", "digest"]).stdout.contains("https://linkstar.example.com/"))
    }

    @Test("on the demo: funnel JSON has the documented fields and the planted bottleneck; kpi status, scorecard, data check")
    func demoReports() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let demo = try cli.run(["demo", "--dir", cli.folder.appendingPathComponent("demo").path])
        #expect(demo.status == 0, "\(demo.stderr)")
        let db = cli.folder.appendingPathComponent("demo/linkstar.sqlite").path
        let funnel = try cli.run(["funnel", "--period", "last-7d", "--json", "--db", db])
        #expect(funnel.status == 0, "\(funnel.stderr)")
        let report = try #require(try funnel.object() as? [String: Any])
        let steps = try #require(report["steps"] as? [[String: Any]])
        #expect(!steps.isEmpty)
        for step in steps {
            for key in ["from_metric", "to_metric", "layer", "rate", "coverage", "partial", "left_out", "problem", "comparable_rate",
                        "compare_rate", "change", "owner"] {
                #expect(step.keys.contains(key), "missing \(key)")
            }
        }
        for key in ["coverage_threshold", "new_segments", "gone_segments", "revenue_total"] { #expect(report.keys.contains(key), "missing \(key)") }
        let bottleneck = try #require(report["bottleneck"] as? [String: Any])
        #expect(bottleneck["from_metric"] as? String == "checkouts")
        #expect(bottleneck["to_metric"] as? String == "orders")
        #expect(bottleneck["owner"] as? String == "chen.jie")

        let cut = try cli.run(["funnel", "--market", "SG", "--device", "desktop", "--compare", "yoy", "--json", "--db", db])
        #expect(cut.status == 0)
        #expect((try cut.object() as? [String: Any])?["segment"] as? String == "*/SG/desktop")

        let status = try #require(try cli.run(["kpi", "status", "--json", "--db", db]).object() as? [[String: Any]])
        #expect(status.contains { $0["status"] as? String == "off-track" && $0["segment"] as? String == "*/MY/mobile" })
        #expect(status.contains { $0["status"] as? String == "no-baseline" })
        let card = try #require(try cli.run(["scorecard", "--json", "--db", db]).object() as? [String: Any])
        #expect((card["owners"] as? [Any])?.isEmpty == false)
        #expect(card.keys.contains("unowned"))

        // Units: count KPIs are daily averages and say so; the feedback owner's scorecard has loop-health KPIs.
        let table = try cli.run(["kpi", "status", "--db", db]).stdout
        #expect(table.contains("/day"))
        #expect(table.contains("fresh_series_share"))
        let show = try cli.run(["kpi", "show", "1", "--db", db])
        #expect(show.stdout.contains("daily average"))
        let metric = try cli.run(["metric", "show", "page_views", "--db", db]).stdout
        #expect(metric.contains("not a funnel stage"))

        // Settings and dated rates.
        let admin = ["--db", db, "--as", "lin.wei"]
        #expect(try cli.run(["config", "set", "coverage_threshold", "70%"] + admin).status == 0)
        #expect(try cli.run(["config", "get", "coverage_threshold", "--db", db]).stdout == "0.7\n")
        #expect(try cli.run(["config", "set", "coverage_threshold", "1.5"] + admin).status == 4)
        #expect(try cli.run(["config", "set", "colour", "red"] + admin).status == 4)
        #expect(try cli.run(["fx", "reporting", "USD"] + admin).status == 0)
        #expect(try cli.run(["fx", "set", "MYR", "0.21"] + admin).status == 0)
        #expect(try cli.run(["fx", "set", "MYR", "0.23", "--from", "2026-10-01"] + admin).status == 0)
        #expect(try cli.run(["fx", "set", "MYR", "0.23", "--from", "1999-12-31"] + admin).status == 4)
        let rates = try #require(try cli.run(["fx", "list", "--json", "--db", db]).object() as? [String: Any])
        let list = try #require(rates["rates"] as? [[String: Any]])
        #expect(list.compactMap { $0["from"] as? String } == ["2000-01-01", "2026-10-01"])

        let check = try cli.run(["data", "check", "--json", "--db", db])
        #expect(check.status == 0, "\(check.stdout)")
        let stale = try cli.run(["data", "check", "--today", "2099-01-01", "--db", db])
        #expect(stale.status == 7)
        #expect(stale.stdout.contains("Stale series"))
    }

    @Test("bad reporting options are refused")
    func badOptions() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["init", "--dir", cli.folder.path]).status == 0)
        #expect(try cli.run(["funnel", "--period", "last-week"]).status == 4)
        #expect(try cli.run(["funnel", "--compare", "lastyear"]).status == 4)
        #expect(try cli.run(["funnel", "--device", "phone"]).status == 4)
        #expect(try cli.run(["import", Self.fixtures.appendingPathComponent("wide-basic.csv").path, "--format", "shopfy"]).status == 4)
        #expect(try cli.run(["fx", "set", "MYR", "0.2"]).status == 4)
        #expect(try cli.run(["fx", "reporting", "USD"]).status == 0)
        #expect(try cli.run(["fx", "set", "MYR", "0.2"]).status == 0)
    }
}

/// End-to-end: actions and events through the built binary.
@Suite("linkstar CLI: actions and events", .serialized)
struct ActionCLITests {
    @Test("log prints the id; invalid transitions exit 5 listing the allowed steps; evaluate --json has the documented fields")
    func lifecycle() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["init", "--dir", cli.folder.path]).status == 0)
        let log = try cli.run(["action", "log", "--title", "Trust badges", "--layer", "conversion", "--kpi", "checkout_to_order_rate",
                               "--segment", "shopee/SG/*", "--kind", "ab-test", "--hypothesis", "Reassure buyers", "--ice", "7,7,9",
                               "--expected", "+3pp checkout_to_order_rate", "--today", "2026-11-25"])
        #expect(log.status == 0, "\(log.stderr)")
        let id = log.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Int(id) != nil)
        let early = try cli.run(["action", "stop", id])
        #expect(early.status == 5)
        #expect(early.stderr.contains("allowed: start"))
        #expect(try cli.run(["action", "start", id, "--date", "2026-10-01", "--today", "2026-11-25"]).status == 0)
        #expect(try cli.run(["action", "record", id, "--variant", "control", "--exposures", "8000", "--conversions", "5600"]).status == 0)
        #expect(try cli.run(["action", "record", id, "--variant", "treatment", "--exposures", "8050", "--conversions", "5900"]).status == 0)
        #expect(try cli.run(["action", "record", id, "--variant", "treatment", "--exposures", "10", "--conversions", "11"]).status == 4)
        #expect(try cli.run(["action", "stop", id, "--date", "2026-10-14"]).status == 0)
        let evaluation = try cli.run(["action", "evaluate", id, "--json"])
        #expect(evaluation.status == 0, "\(evaluation.stderr)")
        let result = try #require(try evaluation.object() as? [String: Any])
        for key in ["method", "variants", "estimate", "relative_change", "ci_low", "ci_high", "p_value", "verdict", "warnings"] {
            #expect(result.keys.contains(key), "missing \(key)")
        }
        #expect(result["verdict"] as? String == "won")
        // Concluding with "replicate" promises a copy that does not exist: refused; replicate creates it and concludes.
        let promise = try cli.run(["action", "conclude", id, "--decision", "replicate", "--reason", "won with p < 0.001"])
        #expect(promise.status == 5)
        #expect(promise.stderr.contains("action replicate \(id) --segment"))
        let copy = try cli.run(["action", "replicate", id, "--segment", "lazada/SG/*"])
        #expect(copy.status == 0)
        let show = try #require(try cli.run(["action", "show", id, "--json"]).object() as? [String: Any])
        #expect((show["action"] as? [String: Any])?["status"] as? String == "replicated")
        #expect((show["followups"] as? [Any])?.count == 3)
        #expect((show["history"] as? [[String: Any]])?.map { $0["action"] as? String } == ["action.log", "action.start", "action.record", "action.record", "action.stop", "action.evaluate", "action.conclude"])
        #expect(try cli.run(["action", "show", "999"]).status == 3)
        let list = try #require(try cli.run(["action", "list", "--json"]).object() as? [[String: Any]])
        #expect(list.count == 2)
    }

    @Test("events: add and list; a bad kind or date is refused")
    func events() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["init", "--dir", cli.folder.path]).status == 0)
        #expect(try cli.run(["event", "add", "--kind", "promo", "--title", "11.11", "--from", "2026-11-11", "--segment", "shopee/*/*"]).status == 0)
        #expect(try cli.run(["event", "add", "--kind", "sale", "--title", "x", "--from", "2026-11-11"]).status == 4)
        #expect(try cli.run(["event", "add", "--kind", "promo", "--title", "x", "--from", "2026-11-11", "--to", "2026-11-01"]).status == 4)
        let events = try #require(try cli.run(["event", "list", "--json"]).object() as? [[String: Any]])
        #expect(events.count == 1)
        #expect(events[0]["segment"] as? String == "shopee/*/*")
    }
}

/// End-to-end: reviews, gating and the compliance check.
@Suite("linkstar CLI: reviews", .serialized)
struct ReviewCLITests {
    @Test("walk a review; gating exits 6 and --force --reason passes; check exits 7 on the demo")
    func walk() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        // A team that started in January: October's reviews are due.
        #expect(try cli.run(["init", "--dir", cli.folder.path, "--since", "2026-01-01"]).status == 0)
        for (handle, role) in [("chen.jie", "editor"), ("lin.wei", "admin")] {
            #expect(try cli.run(["person", "add", handle, "--name", handle, "--role", role]).status == 0)
        }
        #expect(try cli.run(["layer", "assign", "conversion", "--owner", "chen.jie"]).status == 0)
        let due = try #require(try cli.run(["review", "due", "--today", "2026-11-25", "--json"]).object() as? [[String: Any]])
        #expect(due.count == 6)
        #expect(due.first { $0["scope"] as? String == "feedback" }?["status"] as? String == "overdue")

        let started = try cli.run(["review", "start", "conversion", "--today", "2026-11-25", "--json", "--as", "chen.jie"])
        #expect(started.status == 0, "\(started.stderr)")
        let review = try #require(try started.object() as? [String: Any])
        let id = String(review["id"] as! Int)
        let items = try #require(review["items"] as? [[String: Any]])
        let closeEarly = try cli.run(["review", "close", id, "--as", "chen.jie"])
        #expect(closeEarly.status == 5)
        #expect(closeEarly.stderr.contains("item 1"))
        for item in items where item["optional"] as? Bool == false {
            #expect(try cli.run(["review", "check", id, String(item["position"] as! Int), "--note", "ok", "--as", "chen.jie"]).status == 0)
        }
        #expect(try cli.run(["review", "note", id, "--decision", "Roll back the SDK", "--as", "chen.jie"]).status == 0)
        #expect(try cli.run(["review", "close", id, "--as", "someone"]).status == 6)
        #expect(try cli.run(["review", "close", id, "--as", "chen.jie"]).status == 0)
        #expect(try cli.run(["review", "check", id, "1", "--as", "chen.jie"]).status == 5)
        let markdown = try cli.run(["review", "show", id, "--format", "md"])
        #expect(markdown.stdout.hasPrefix("# 复盘 conversion 2026-W47"))
        #expect(markdown.stdout.contains("Roll back the SDK"))

        let gated = try cli.run(["action", "log", "--title", "x", "--layer", "feedback", "--kpi", "orders", "--kind", "other",
                                 "--hypothesis", "h", "--today", "2026-11-25"])
        #expect(gated.status == 6)
        #expect(gated.stderr.contains("feedback review"))
        let forced = try cli.run(["action", "log", "--title", "x", "--layer", "feedback", "--kpi", "orders", "--kind", "other",
                                  "--hypothesis", "h", "--today", "2026-11-25", "--force", "--reason", "outage fix"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try cli.run(["action", "log", "--title", "x", "--layer", "feedback", "--kpi", "orders", "--kind", "other",
                             "--hypothesis", "h", "--force"]).status == 4)
        let audit = try #require(try cli.run(["audit", "--entity", "layer:feedback", "--json"]).object() as? [[String: Any]])
        #expect(audit.first?["reason"] as? String == "outage fix")
    }

    @Test("check exits 7 on the demo (it has an overdue review)")
    func demoCheck() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["demo", "--dir", cli.folder.appendingPathComponent("demo").path]).status == 0)
        let db = cli.folder.appendingPathComponent("demo/linkstar.sqlite").path
        let check = try cli.run(["check", "--json", "--db", db])
        #expect(check.status == 7)
        let report = try #require(try check.object() as? [String: Any])
        #expect((report["overdue_reviews"] as? [Any])?.isEmpty == false)
        let reviews = try #require(try cli.run(["review", "list", "--json", "--db", db]).object() as? [[String: Any]])
        #expect(Set(reviews.compactMap { $0["status"] as? String }) == ["open", "closed"])
    }
}
