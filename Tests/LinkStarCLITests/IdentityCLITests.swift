import Foundation
import LinkStarCore
import Testing

/// Who may write through the binary: an active person whose role allows the operation (`PermissionRule`).
@Suite("linkstar CLI: identity and roles", .serialized)
struct IdentityCLITests {
    /// A workspace where tester (LINKSTAR_USER, made first admin by init) set up a viewer, an editor, an action and a review.
    func workspace() throws -> CLIRunner {
        let cli = try CLIRunner()
        for arguments in [["init", "--dir", cli.folder.path],
                          ["person", "add", "sun.li", "--name", "Sun Li", "--role", "viewer"],
                          ["person", "add", "chen.jie", "--name", "Chen Jie", "--role", "editor"],
                          ["action", "log", "--title", "Banner", "--layer", "traffic", "--kpi", "ctr", "--kind", "ads", "--hypothesis", "h"],
                          ["review", "start", "traffic"]] {
            let result = try cli.run(arguments)
            try #require(result.status == 0, "setup \(arguments): \(result.stderr)")
        }
        try "date,channel,market,device,metric,value\n2026-11-01,shopee,MY,all,sessions,10\n"
            .write(to: cli.folder.appendingPathComponent("small.csv"), atomically: true, encoding: .utf8)
        return cli
    }

    func auditCount(_ cli: CLIRunner) throws -> Int {
        (try cli.run(["audit", "--json", "--limit", "100000"]).object() as? [Any])?.count ?? -1
    }

    /// One CLI invocation per write operation (several where a command has variants).
    static let writes: [WriteOperation: [[String]]] = [
        .personAdd: [["person", "add", "x.y", "--name", "X"]],
        .personChat: [["person", "set", "chen.jie", "--slack-id", "U024BE7LH"]],
        .notifyChannelAdd: [["notify", "channel", "add", "ops", "--kind", "slack", "--url", "https://hooks.slack.com/services/T/B/X"]],
        .notifyChannelRemove: [["notify", "channel", "remove", "ops"]],
        .notifyTest: [["notify", "channel", "test", "ops"]],
        .notifyRun: [["notify", "run"]],
        .personEdit: [["person", "edit", "chen.jie", "--role", "admin"]],
        .personDeactivate: [["person", "deactivate", "chen.jie"]],
        .personReactivate: [["person", "reactivate", "chen.jie"]],
        .layerAssign: [["layer", "assign", "traffic", "--owner", "chen.jie"]],
        .kpiSet: [["kpi", "set", "--metric", "ctr", "--target", "0.03"]],
        .kpiEdit: [["kpi", "edit", "1", "--target", "0.04"]],
        .kpiRetire: [["kpi", "retire", "1", "--reason", "r"]],
        .tokenCreate: [["token", "create", "--person", "sun.li", "--role", "viewer"]],
        .tokenRevoke: [["token", "revoke", "1"]],
        .fxSet: [["fx", "reporting", "USD"], ["fx", "set", "MYR", "0.2"]],
        .configSet: [["config", "set", "coverage_threshold", "0.7"], ["data", "check", "--lag", "3", "--save"]],
        .reviewConfigure: [["review", "configure", "--grace", "5"]],
        .restore: [["restore", "backup.sqlite"]],
        .metricDefine: [["metric", "define", "my_metric", "--definition", "d", "--direction", "up", "--layer", "traffic", "--unit", "count"]],
        .playbookSync: [["playbook", "sync"]],
        .importObservations: [["import", "small.csv"]],
        .importRevert: [["import", "revert", "1"]],
        .rollupRebuild: [["doctor", "--repair"]],
        .actionLog: [["action", "log", "--title", "T", "--layer", "traffic", "--kpi", "ctr", "--kind", "ads", "--hypothesis", "h"],
                     ["review", "add-action", "1", "--title", "T", "--layer", "traffic", "--kpi", "ctr", "--kind", "ads", "--hypothesis", "h"]],
        .actionEdit: [["action", "edit", "1", "--title", "T2"]],
        .actionCancel: [["action", "cancel", "1", "--reason", "r"]],
        .actionStart: [["action", "start", "1"]],
        .actionStop: [["action", "stop", "1"]],
        .actionRecord: [["action", "record", "1", "--variant", "control", "--exposures", "10", "--conversions", "1"]],
        .actionEvaluate: [["action", "evaluate", "1"]],
        .actionConclude: [["action", "conclude", "1", "--decision", "archive", "--reason", "r"]],
        .actionFollowup: [["action", "followup", "1"]],
        .actionReplicate: [["action", "replicate", "1", "--segment", "*/SG/*"]],
        .eventAdd: [["event", "add", "--kind", "promo", "--title", "t", "--from", "2026-11-01"]],
        .eventEdit: [["event", "edit", "1", "--title", "t2"]],
        .eventDelete: [["event", "delete", "1"]],
        .reviewStart: [["review", "start", "landing"]],
        .reviewCheck: [["review", "check", "1", "1"], ["review", "uncheck", "1", "1"]],
        .reviewNote: [["review", "note", "1", "--finding", "f"]],
        .reviewClose: [["review", "close", "1"]],
        .reviewAmend: [["review", "amend", "1", "--note", "n"]],
    ]

    @Test("a viewer cannot make any write through the binary: exit 6, nothing written")
    func viewerWritesNothing() throws {
        #expect(Set(Self.writes.keys) == Set(WriteOperation.allCases), "every write operation has a CLI case")
        let cli = try workspace()
        defer { cli.cleanUp() }
        let before = try auditCount(cli)
        for (operation, invocations) in Self.writes {
            for arguments in invocations {
                let result = try cli.run(arguments + ["--as", "sun.li"])
                #expect(result.status == 6, "\(arguments): \(result.stderr)")
                #expect(result.stderr.contains("\(operation.rawValue) needs the \(operation.requiredRole.rawValue) role"), "\(arguments): \(result.stderr)")
            }
        }
        #expect(try auditCount(cli) == before)
        // Reads stay open.
        #expect(try cli.run(["kpi", "list", "--as", "sun.li"]).status == 0)
        #expect(try cli.run(["funnel", "--as", "nobody"]).status == 0)
    }

    @Test("an editor cannot do what needs an admin; an unknown or deactivated person cannot write at all")
    func rolesAndIdentity() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        let before = try auditCount(cli)
        for (operation, invocations) in Self.writes where operation.requiredRole == .admin {
            let result = try cli.run(invocations[0] + ["--as", "chen.jie"])
            #expect(result.status == 6, "\(invocations[0])")
        }
        let nobody = try cli.run(["kpi", "set", "--metric", "ctr", "--target", "0.03", "--as", "nobody"])
        #expect(nobody.status == 6)
        #expect(nobody.stderr.contains("'nobody' is not a person"))
        #expect(try auditCount(cli) == before)

        #expect(try cli.run(["event", "add", "--kind", "promo", "--title", "t", "--from", "2026-11-01", "--as", "chen.jie"]).status == 0)
        #expect(try cli.run(["person", "deactivate", "chen.jie"]).status == 0)
        let gone = try cli.run(["event", "add", "--kind", "promo", "--title", "t2", "--from", "2026-11-01", "--as", "chen.jie"])
        #expect(gone.status == 6)
        #expect(gone.stderr.contains("deactivated"))
        let people = try #require(try cli.run(["person", "list", "--json"]).object() as? [[String: Any]])
        #expect(people.first { $0["handle"] as? String == "chen.jie" }?["active"] as? Bool == false)
        // History stays: the deactivated person's event is still theirs.
        let events = try #require(try cli.run(["audit", "--entity", "event", "--json"]).object() as? [[String: Any]])
        #expect(events.contains { $0["actor"] as? String == "chen.jie" })
        // The last active admin cannot be deactivated.
        #expect(try cli.run(["person", "deactivate", "tester"]).status == 5)
    }

    @Test("a token never exceeds its person's role; a viewer cannot mint itself an admin token")
    func tokenRoles() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        let above = try cli.run(["token", "create", "--person", "sun.li", "--role", "admin"])
        #expect(above.status == 6)
        #expect(above.stderr.contains("at most the viewer role"))
        #expect(try cli.run(["token", "create", "--person", "sun.li", "--role", "admin", "--as", "sun.li"]).status == 6)
        #expect(try cli.run(["token", "create", "--person", "sun.li", "--role", "viewer"]).status == 0)
        // A viewer cannot promote itself either.
        #expect(try cli.run(["person", "edit", "sun.li", "--role", "admin", "--as", "sun.li"]).status == 6)
        #expect(try cli.run(["person", "edit", "sun.li", "--role", "editor", "--os-user", "sunli-laptop"]).status == 0)
        #expect(try cli.run(["person", "edit", "tester", "--role", "viewer"]).status == 5)   // the last active admin
    }

    @Test("without --as or LINKSTAR_USER the OS account acts, once mapped to a person with --os-user")
    func osUser() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        let anonymous = ["LINKSTAR_USER": "", "USER": "ops-laptop"]
        let refused = try cli.run(["event", "add", "--kind", "promo", "--title", "t", "--from", "2026-11-01"], environment: anonymous)
        #expect(refused.status == 6)
        #expect(refused.stderr.contains("--os-user ops-laptop"))
        #expect(try cli.run(["person", "add", "zhou.qiang", "--name", "Zhou Qiang", "--os-user", "ops-laptop"]).status == 0)
        #expect(try cli.run(["person", "add", "li.na", "--name", "Li Na", "--os-user", "ops-laptop"]).status == 5)
        let mapped = try cli.run(["event", "add", "--kind", "promo", "--title", "t", "--from", "2026-11-01", "--json"], environment: anonymous)
        #expect(mapped.status == 0, "\(mapped.stderr)")
        let entries = try #require(try cli.run(["audit", "--entity", "event", "--json"]).object() as? [[String: Any]])
        #expect(entries.first?["actor"] as? String == "zhou.qiang")
    }

    @Test("init makes whoever runs it the first admin; the database, its WAL and SHM are private to the owner (0600)")
    func firstAdminAndFileModes() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["init", "--dir", cli.folder.path], environment: ["LINKSTAR_USER": "", "USER": "ops"]).status == 0)
        let people = try #require(try cli.run(["person", "list", "--json"]).object() as? [[String: Any]])
        #expect(people.count == 1)
        #expect(people.first?["handle"] as? String == "ops")
        #expect(people.first?["role"] as? String == "admin")
        #expect(people.first?["os_user"] as? String == "ops")
        #expect(try cli.run(["event", "add", "--kind", "promo", "--title", "t", "--from", "2026-11-01"],
                            environment: ["LINKSTAR_USER": "", "USER": "ops"]).status == 0)
        for suffix in ["", "-wal", "-shm"] {
            let path = cli.databasePath + suffix
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            #expect(mode & 0o777 == 0o600, "\(path): \(String(mode, radix: 8))")
        }
    }

    @Test("backup, doctor, export and restore through the binary")
    func maintenance() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        let backup = cli.folder.appendingPathComponent("backup.sqlite").path
        #expect(try cli.run(["backup", backup]).status == 0)
        #expect(try cli.run(["backup", backup]).status == 5)
        let doctor = try cli.run(["doctor", "--json"])
        #expect(doctor.status == 0, "\(doctor.stdout)")
        #expect((try doctor.object() as? [String: Any])?["healthy"] as? Bool == true)
        let export = try cli.run(["export", "--json"])
        #expect(export.status == 0)
        let tables = try #require((try export.object() as? [String: Any])?["tables"] as? [String: Any])
        #expect(tables.keys.contains("audit_entry") && tables.keys.contains("observation"))
        #expect(try cli.run(["event", "add", "--kind", "promo", "--title", "later", "--from", "2026-11-01"]).status == 0)
        #expect(try cli.run(["restore", backup, "--as", "chen.jie"]).status == 6)
        let restore = try cli.run(["restore", backup])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(restore.stdout.contains(".before-restore"))
        let events = try #require(try cli.run(["event", "list", "--json"]).object() as? [Any])
        #expect(events.isEmpty)
    }

    @Test("init --group shares the new database read-only with a group (0640); an unknown group is refused and nothing is created")
    func groupMode() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let group = String(cString: getgrgid(getgid())!.pointee.gr_name)
        #expect(try cli.run(["init", "--dir", cli.folder.path, "--group", "no-such-group-xyz"]).status == 4)
        #expect(!FileManager.default.fileExists(atPath: cli.databasePath))
        #expect(try cli.run(["init", "--dir", cli.folder.path, "--group", group]).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: cli.databasePath)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o640)
        #expect(attributes[.groupOwnerAccountName] as? String == group)
        let doctor = try cli.run(["doctor"])
        #expect(doctor.status == 0, "\(doctor.stdout)")
    }
}
