import Foundation
import Hummingbird
import HummingbirdTesting
import LinkStarCore
import LinkStarHTTP
import LinkStarStore
import Testing

/// The CLI and the API are two adapters over one set of parsers and use cases: the same input must give the same
/// outcome through both, accepted with the same stored change (the audit entry's after-state), or refused with the
/// same error class and message.
@Suite("CLI ⇄ API agreement")
struct AgreementTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var cli: [String]
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        var testDescription: String { name }
    }

    static let today = "2026-11-25"

    static let cases: [Case] = [
        Case(name: "person add", cli: ["person", "add", "wang.fang", "--name", "Wang Fang", "--role", "editor", "--contact", "wf@example.com"],
             method: .post, path: "/api/v1/people", body: #"{"handle": "wang.fang", "display_name": "Wang Fang", "role": "editor", "contact": "wf@example.com"}"#),
        Case(name: "person add: role in capitals", cli: ["person", "add", "wang.fang", "--name", "W", "--role", "Viewer"],
             method: .post, path: "/api/v1/people", body: #"{"handle": "wang.fang", "display_name": "W", "role": "Viewer"}"#),
        Case(name: "person add: unknown role", cli: ["person", "add", "wang.fang", "--name", "W", "--role", "boss"],
             method: .post, path: "/api/v1/people", body: #"{"handle": "wang.fang", "display_name": "W", "role": "boss"}"#),
        Case(name: "person add: duplicate", cli: ["person", "add", "chen.jie", "--name", "C"],
             method: .post, path: "/api/v1/people", body: #"{"handle": "chen.jie", "display_name": "C"}"#),
        Case(name: "layer assign", cli: ["layer", "assign", "traffic", "--owner", "chen.jie", "--backup", "lin.wei"],
             method: .put, path: "/api/v1/layers/traffic/owners", body: #"{"owner": "chen.jie", "backup_owner": "lin.wei"}"#),
        Case(name: "layer assign: unknown person", cli: ["layer", "assign", "traffic", "--owner", "nobody"],
             method: .put, path: "/api/v1/layers/traffic/owners", body: #"{"owner": "nobody"}"#),
        Case(name: "metric define", cli: ["metric", "define", "live_views", "--definition", "Live stream views", "--direction", "UP",
                                          "--layer", "traffic", "--unit", "count"],
             method: .post, path: "/api/v1/metrics",
             body: #"{"key": "live_views", "definition": "Live stream views", "direction": "UP", "layer": "traffic", "unit": "count"}"#),
        Case(name: "metric define: neither unit nor formula", cli: ["metric", "define", "live_views", "--definition", "d", "--direction", "up", "--layer", "traffic"],
             method: .post, path: "/api/v1/metrics", body: #"{"key": "live_views", "definition": "d", "direction": "up", "layer": "traffic"}"#),
        Case(name: "kpi set with a baseline", cli: ["kpi", "set", "--metric", "sessions", "--segment", "*/MY/*", "--baseline", "1000",
                                                    "--baseline-period", "2026-09", "--target", "1200", "--warn", "10%"],
             method: .put, path: "/api/v1/kpis",
             body: #"{"metric": "sessions", "segment": "*/MY/*", "baseline": 1000, "baseline_period": "2026-09", "target": 1200, "warning_band": "10%"}"#),
        Case(name: "kpi set: baseline without its period", cli: ["kpi", "set", "--metric", "sessions", "--baseline", "1000"],
             method: .put, path: "/api/v1/kpis", body: #"{"metric": "sessions", "baseline": 1000}"#),
        Case(name: "kpi set: a baseline period without a baseline (the API once ignored it)",
             cli: ["kpi", "set", "--metric", "sessions", "--baseline-period", "2026-09"],
             method: .put, path: "/api/v1/kpis", body: #"{"metric": "sessions", "baseline_from": "2026-09-01", "baseline_to": "2026-09-30"}"#),
        Case(name: "kpi set: a share above 1", cli: ["kpi", "set", "--metric", "ctr", "--target", "3.5"],
             method: .put, path: "/api/v1/kpis", body: #"{"metric": "ctr", "target": 3.5}"#),
        Case(name: "action log with split, before window and alpha (once CLI-only)",
             cli: ["action", "log", "--title", "One-page checkout", "--layer", "conversion", "--kpi", "checkout_to_order_rate",
                   "--segment", "*/MY/mobile", "--kind", "AB-TEST", "--hypothesis", "Fewer steps", "--ice", "8,6,7",
                   "--expected", "+5%", "--control-segment", "*/SG/mobile", "--ramp-up", "2", "--before", "2026-10-01..2026-10-14",
                   "--split", "control=50,treatment=50", "--alpha", "0.1", "--today", today, "--force", "--reason", "agreed"],
             method: .post, path: "/api/v1/actions?today=\(today)",
             body: #"{"title": "One-page checkout", "layer": "conversion", "kpi": "checkout_to_order_rate", "segment": "*/MY/mobile", "kind": "AB-TEST", "hypothesis": "Fewer steps", "ice": "8,6,7", "expected": "+5%", "control_segment": "*/SG/mobile", "ramp_up_days": 2, "before": "2026-10-01..2026-10-14", "split": "control=50,treatment=50", "alpha": 0.1, "force": true, "reason": "agreed"}"#),
        Case(name: "action log: unknown kind", cli: ["action", "log", "--title", "t", "--layer", "traffic", "--kpi", "sessions", "--kind", "magic",
                                                     "--hypothesis", "h", "--today", today, "--force", "--reason", "r"],
             method: .post, path: "/api/v1/actions?today=\(today)",
             body: #"{"title": "t", "layer": "traffic", "kpi": "sessions", "kind": "magic", "hypothesis": "h", "force": true, "reason": "r"}"#),
        Case(name: "action log: bad split", cli: ["action", "log", "--title", "t", "--layer", "traffic", "--kpi", "sessions", "--kind", "ads",
                                                  "--hypothesis", "h", "--split", "control=0", "--today", today, "--force", "--reason", "r"],
             method: .post, path: "/api/v1/actions?today=\(today)",
             body: #"{"title": "t", "layer": "traffic", "kpi": "sessions", "kind": "ads", "hypothesis": "h", "split": "control=0", "force": true, "reason": "r"}"#),
        Case(name: "action log: force without a reason", cli: ["action", "log", "--title", "t", "--layer", "traffic", "--kpi", "sessions", "--kind", "ads",
                                                               "--hypothesis", "h", "--today", today, "--force"],
             method: .post, path: "/api/v1/actions?today=\(today)",
             body: #"{"title": "t", "layer": "traffic", "kpi": "sessions", "kind": "ads", "hypothesis": "h", "force": true}"#),
        Case(name: "action start", cli: ["action", "start", "1", "--date", "2026-11-20", "--today", today, "--force", "--reason", "agreed"],
             method: .post, path: "/api/v1/actions/1/start?today=\(today)", body: #"{"date": "2026-11-20", "force": true, "reason": "agreed"}"#),
        Case(name: "action conclude: archive, decision in capitals", cli: ["action", "conclude", "1", "--decision", "Archive", "--reason", "not now"],
             method: .post, path: "/api/v1/actions/1/conclude", body: #"{"decision": "Archive", "reason": "not now"}"#),
        Case(name: "action conclude: replicate a proposed action", cli: ["action", "conclude", "1", "--decision", "replicate", "--reason", "r"],
             method: .post, path: "/api/v1/actions/1/conclude", body: #"{"decision": "replicate", "reason": "r"}"#),
        Case(name: "action conclude: bad checkpoints", cli: ["action", "conclude", "1", "--decision", "archive", "--reason", "r", "--checkpoints", "0"],
             method: .post, path: "/api/v1/actions/1/conclude", body: #"{"decision": "archive", "reason": "r", "checkpoints": [0]}"#),
        Case(name: "action stop: not running", cli: ["action", "stop", "1", "--date", "2026-11-22"],
             method: .post, path: "/api/v1/actions/1/stop", body: #"{"date": "2026-11-22"}"#),
        Case(name: "event add", cli: ["event", "add", "--kind", "Promo", "--title", "11.11", "--from", "2026-11-11", "--to", "2026-11-12", "--segment", "*/MY/*"],
             method: .post, path: "/api/v1/events", body: #"{"kind": "Promo", "title": "11.11", "from": "2026-11-11", "to": "2026-11-12", "segment": "*/MY/*"}"#),
        Case(name: "event add: ends before it starts", cli: ["event", "add", "--kind", "promo", "--title", "x", "--from", "2026-11-11", "--to", "2026-11-10"],
             method: .post, path: "/api/v1/events", body: #"{"kind": "promo", "title": "x", "from": "2026-11-11", "to": "2026-11-10"}"#),
        Case(name: "review start", cli: ["review", "start", "landing", "--today", today],
             method: .post, path: "/api/v1/reviews?today=\(today)", body: #"{"scope": "landing"}"#),
        Case(name: "review check", cli: ["review", "check", "1", "1", "--note", "looked at it"],
             method: .post, path: "/api/v1/reviews/1/items/1/check", body: #"{"note": "looked at it"}"#),
        Case(name: "review check: no such item", cli: ["review", "check", "1", "99"],
             method: .post, path: "/api/v1/reviews/1/items/99/check", body: "{}"),
        Case(name: "review note", cli: ["review", "note", "1", "--finding", "CTR fell on mobile"],
             method: .post, path: "/api/v1/reviews/1/notes", body: #"{"kind": "finding", "text": "CTR fell on mobile"}"#),
        Case(name: "review close: items unchecked", cli: ["review", "close", "1"], method: .post, path: "/api/v1/reviews/1/close", body: nil),
        Case(name: "action record: a proposed action has no variants yet", cli: ["action", "record", "1", "--variant", "control", "--exposures", "100", "--conversions", "5"],
             method: .post, path: "/api/v1/actions/1/variants", body: #"{"variant": "control", "exposures": 100, "conversions": 5}"#),
        Case(name: "action evaluate: not measured yet", cli: ["action", "evaluate", "1"], method: .post, path: "/api/v1/actions/1/evaluate", body: nil),
        Case(name: "action followup: nothing due", cli: ["action", "followup", "1", "--today", today],
             method: .post, path: "/api/v1/actions/1/followup?today=\(today)", body: nil),
        Case(name: "action replicate: not won", cli: ["action", "replicate", "1", "--segment", "*/SG/*"],
             method: .post, path: "/api/v1/actions/1/replicate", body: #"{"segment": "*/SG/*"}"#),
        Case(name: "action: unknown id", cli: ["action", "start", "99", "--today", today],
             method: .post, path: "/api/v1/actions/99/start?today=\(today)", body: "{}"),
        Case(name: "review uncheck", cli: ["review", "uncheck", "1", "1"], method: .post, path: "/api/v1/reviews/1/items/1/uncheck", body: nil),
        Case(name: "review add-action", cli: ["review", "add-action", "1", "--title", "Fix the banner", "--layer", "traffic", "--kpi", "ctr",
                                              "--kind", "page", "--hypothesis", "h", "--split", "control=1,treatment=1"],
             method: .post, path: "/api/v1/reviews/1/actions",
             body: #"{"title": "Fix the banner", "layer": "traffic", "kpi": "ctr", "kind": "page", "hypothesis": "h", "split": "control=1,treatment=1"}"#),
        Case(name: "person add with an OS user", cli: ["person", "add", "wang.fang", "--name", "W", "--os-user", "wf"],
             method: .post, path: "/api/v1/people", body: #"{"handle": "wang.fang", "display_name": "W", "os_user": "wf"}"#),
        Case(name: "person edit", cli: ["person", "edit", "chen.jie", "--name", "Chen Jie 陈杰", "--role", "viewer", "--os-user", "cj"],
             method: .patch, path: "/api/v1/people/chen.jie", body: #"{"display_name": "Chen Jie 陈杰", "role": "viewer", "os_user": "cj"}"#),
        Case(name: "person edit: nothing to change", cli: ["person", "edit", "chen.jie"], method: .patch, path: "/api/v1/people/chen.jie", body: "{}"),
        Case(name: "person deactivate", cli: ["person", "deactivate", "chen.jie"], method: .post, path: "/api/v1/people/chen.jie/deactivate", body: nil),
        Case(name: "person deactivate: the last admin", cli: ["person", "deactivate", "lin.wei"],
             method: .post, path: "/api/v1/people/lin.wei/deactivate", body: nil),
        Case(name: "kpi edit", cli: ["kpi", "edit", "1", "--target", "1100", "--warn", "5%"],
             method: .patch, path: "/api/v1/kpis/1", body: #"{"target": 1100, "warning_band": "5%"}"#),
        Case(name: "kpi edit: nothing to change", cli: ["kpi", "edit", "1"], method: .patch, path: "/api/v1/kpis/1", body: "{}"),
        Case(name: "kpi retire", cli: ["kpi", "retire", "1", "--reason", "replaced by conversion_rate"],
             method: .post, path: "/api/v1/kpis/1/retire", body: #"{"reason": "replaced by conversion_rate"}"#),
        Case(name: "kpi retire: blank reason", cli: ["kpi", "retire", "1", "--reason", " "],
             method: .post, path: "/api/v1/kpis/1/retire", body: #"{"reason": " "}"#),
        Case(name: "event edit", cli: ["event", "edit", "1", "--title", "Double 11", "--to", "2026-11-12"],
             method: .patch, path: "/api/v1/events/1", body: #"{"title": "Double 11", "to": "2026-11-12"}"#),
        Case(name: "event edit: ends before it starts", cli: ["event", "edit", "1", "--to", "2026-11-01"],
             method: .patch, path: "/api/v1/events/1", body: #"{"to": "2026-11-01"}"#),
        Case(name: "event delete", cli: ["event", "delete", "1", "--reason", "logged twice"],
             method: .post, path: "/api/v1/events/1/delete", body: #"{"reason": "logged twice"}"#),
        Case(name: "review amend: the review is still open", cli: ["review", "amend", "1", "--note", "late finding"],
             method: .post, path: "/api/v1/reviews/1/addenda", body: #"{"note": "late finding"}"#),
        Case(name: "action edit", cli: ["action", "edit", "1", "--title", "Bigger banner", "--ice", "7,5,9", "--owner", "chen.jie"],
             method: .patch, path: "/api/v1/actions/1", body: #"{"title": "Bigger banner", "ice": "7,5,9", "owner": "chen.jie"}"#),
        Case(name: "action edit: nothing to change", cli: ["action", "edit", "1"], method: .patch, path: "/api/v1/actions/1", body: "{}"),
        Case(name: "action cancel", cli: ["action", "cancel", "1", "--reason", "overtaken by the redesign"],
             method: .post, path: "/api/v1/actions/1/cancel", body: #"{"reason": "overtaken by the redesign"}"#),
        Case(name: "action cancel: blank reason", cli: ["action", "cancel", "1", "--reason", "  "],
             method: .post, path: "/api/v1/actions/1/cancel", body: #"{"reason": "  "}"#),
        Case(name: "import revert: unknown import", cli: ["import", "revert", "99"], method: .post, path: "/api/v1/imports/99/revert", body: "{}"),
        Case(name: "token create", cli: ["token", "create", "--person", "chen.jie", "--role", "viewer", "--label", "feishu"],
             method: .post, path: "/api/v1/tokens", body: #"{"person": "chen.jie", "role": "viewer", "label": "feishu"}"#),
    ]

    /// What happened: accepted with the stored change, or refused with its class and message.
    enum Outcome: Equatable, CustomStringConvertible {
        case accepted(String)
        case refused(String, String)

        var description: String {
            switch self {
            case .accepted(let change): "accepted \(change)"
            case .refused(let kind, let message): "refused (\(kind)) \(message)"
            }
        }
    }

    /// Sets up a workspace the same way for both adapters: people, an owner, a proposed action, an open review.
    static func setUp(_ cli: CLIRunner) throws {
        // init --as lin.wei makes lin.wei the first admin.
        for arguments in [["init", "--dir", cli.folder.path],
                          ["person", "add", "chen.jie", "--name", "Chen Jie", "--role", "editor"],
                          ["layer", "assign", "conversion", "--owner", "chen.jie"],
                          ["action", "log", "--title", "Banner", "--layer", "traffic", "--kpi", "ctr", "--kind", "ads", "--hypothesis", "h",
                           "--today", today, "--force", "--reason", "setup"],
                          ["review", "start", "traffic", "--today", today],
                          ["kpi", "set", "--metric", "sessions", "--target", "1000"],
                          ["event", "add", "--kind", "promo", "--title", "11.11", "--from", "2026-11-11"]] {
            let result = try cli.run(arguments + ["--as", "lin.wei"])
            try #require(result.status == 0, "setup \(arguments): \(result.stderr)")
        }
    }

    /// The newest audit entry without what differs by nature between two runs (time, ids, secrets).
    static func lastChange(_ cli: CLIRunner) throws -> String {
        let result = try cli.run(["audit", "--json", "--limit", "1"])
        let entries = try #require(try result.object() as? [[String: Any]])
        guard var entry = entries.first else { return "nothing" }
        func scrub(_ value: Any) -> Any {
            if var object = value as? [String: Any] {
                for key in object.keys where key == "id" || key == "at" || key.hasSuffix("_at") || key == "token" || key == "token_hash" || key == "prefix" {
                    object.removeValue(forKey: key)
                }
                return object.mapValues(scrub)
            }
            if let array = value as? [Any] { return array.map(scrub) }
            return value
        }
        entry.removeValue(forKey: "id")
        entry.removeValue(forKey: "at")
        if entry["entity"] as? String == "token" { entry.removeValue(forKey: "entity_id") }
        let data = try JSONSerialization.data(withJSONObject: scrub(entry), options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func kind(exit: Int32) -> String {
        switch exit {
        case 3: "not_found"
        case 4: "invalid"
        case 5: "conflict"
        case 6: "forbidden"
        default: "exit \(exit)"
        }
    }

    static func kind(status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: "not_found"
        case 400, 422: "invalid"
        case 409: "conflict"
        case 403: "forbidden"
        default: "http \(status.code)"
        }
    }

    @Test("every write both adapters expose gives the same outcome", arguments: cases)
    func agree(_ testCase: Case) async throws {
        // Through the CLI.
        let viaCLI = try CLIRunner()
        defer { viaCLI.cleanUp() }
        try Self.setUp(viaCLI)
        let before = try Self.lastChange(viaCLI)
        let run = try viaCLI.run(testCase.cli + ["--as", "lin.wei"])
        let cliOutcome: Outcome = run.status == 0
            ? .accepted(try Self.lastChange(viaCLI))
            : .refused(Self.kind(exit: run.status), run.stderr.components(separatedBy: "\n")[0].replacingOccurrences(of: "linkstar: error: ", with: ""))
        if run.status != 0 { #expect(try Self.lastChange(viaCLI) == before, "a refused command wrote something") }

        // Through the API, on a workspace set up the same way.
        let viaAPI = try CLIRunner()
        defer { viaAPI.cleanUp() }
        try Self.setUp(viaAPI)
        let token = try #require(try viaAPI.run(["token", "create", "--person", "lin.wei", "--role", "admin", "--json", "--as", "lin.wei"])
            .object() as? [String: Any])["token"] as! String
        let apiBefore = try Self.lastChange(viaAPI)
        let database = try WorkspaceDatabase.openFile(at: viaAPI.databasePath, access: .pool)
        let app = buildApplication(database: database)
        let (status, body) = try await app.test(.router) { client in
            var headers: HTTPFields = [.authorization: "Bearer \(token)"]
            if testCase.body != nil { headers[.contentType] = "application/json" }
            return try await client.execute(uri: testCase.path, method: testCase.method, headers: headers,
                                            body: testCase.body.map { ByteBuffer(string: $0) }) { ($0.status, String(buffer: $0.body)) }
        }
        let apiOutcome: Outcome
        if (200..<300).contains(status.code) {
            apiOutcome = .accepted(try Self.lastChange(viaAPI))
        } else {
            let envelope = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            let message = ((envelope?["error"] as? [String: Any])?["message"] as? String) ?? body
            apiOutcome = .refused(Self.kind(status: status), message)
            #expect(try Self.lastChange(viaAPI) == apiBefore, "a refused request wrote something")
        }
        #expect(cliOutcome == apiOutcome, "\(testCase.name)")
    }
}
