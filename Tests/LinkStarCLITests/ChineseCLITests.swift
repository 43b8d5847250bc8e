import Foundation
import Testing

/// 中文: what a person reads is in their language; what a program reads is the same in every language.
@Suite("linkstar CLI: 中文", .serialized)
struct ChineseCLITests {
    /// English words that would give away untranslated prose in a Chinese screen.
    static let englishProse = ["the", "owner", "status", "Layers", "Actions", "Funnel", "bottleneck", "worst", "before", "days",
                               "imported", "values", "from", "problem", "unknown", "must", "cannot", "review", "checklist", "none"]

    static func hasHan(_ text: String) -> Bool { text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }

    /// Lines a person reads that still hold English prose. Command examples, identifiers (`review.close`,
    /// `shopee/MY/*`) and the titles of records (`#1 Trust badges…`, data a person wrote) are not prose.
    static func englishLines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("linkstar ") || trimmed.hasPrefix("export ") { return false }
            let withoutTitles = line.replacingOccurrences(of: #"#\d+ [^（(]*"#, with: "", options: .regularExpression)
            let tokens = withoutTitles.split(whereSeparator: { $0.isWhitespace || ($0.unicodeScalars.first.map { $0.value > 0x2E80 } ?? false) })
                .filter { !$0.contains(where: { ".:_/*'".contains($0) }) }
            let words = Set(tokens.flatMap { $0.split(whereSeparator: { !$0.isLetter }).map(String.init) })
            return englishProse.contains { words.contains($0) }
        }
    }

    @Test("demo --lang zh prints the whole overview in Chinese, and the demo workspace then reads in Chinese")
    func demoInChinese() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let dir = cli.folder.appendingPathComponent("demo").path
        let demo = try cli.run(["demo", "--lang", "zh", "--dir", dir])
        #expect(demo.status == 0, "\(demo.stderr)")
        for heading in ["LinkStar 演示工作区", "漏斗各层", "KPI 状态", "漏斗瓶颈", "优化动作", "继续探索"] {
            #expect(demo.stdout.contains(heading), "missing \(heading)")
        }
        #expect(demo.stdout.contains("未达标") && demo.stdout.contains("达标") && demo.stdout.contains("预警"))
        #expect(demo.stdout.contains("结账 → 支付订单"), "funnel stages by their Chinese names")
        #expect(demo.stdout.contains("个百分点"), "rate deltas in percentage points")
        #expect(Self.englishLines(demo.stdout).isEmpty, "English prose:\n\(Self.englishLines(demo.stdout).joined(separator: "\n"))")
        // The demo was built in Chinese: its playbooks and its language setting are Chinese.
        let playbook = try String(contentsOfFile: dir + "/Playbooks/traffic.md", encoding: .utf8)
        #expect(playbook.contains("## 复盘清单"))
        let db = dir + "/linkstar.sqlite"
        let check = try cli.run(["check", "--db", db])
        #expect(check.status == 7)
        #expect(check.stdout.hasPrefix("合规检查"), "\(check.stdout)")
        let english = try cli.run(["check", "--db", db, "--lang", "en"])
        #expect(english.stdout.hasPrefix("Compliance check"))
    }

    @Test("check, the review pack and errors read in Chinese with --lang zh; --json is byte-identical in both languages")
    func commandsInChinese() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let dir = cli.folder.appendingPathComponent("demo").path
        #expect(try cli.run(["demo", "--dir", dir]).status == 0)
        let db = dir + "/linkstar.sqlite"
        func run(_ arguments: [String], _ language: String) throws -> CLIRunner.Result {
            try cli.run(arguments + ["--db", db, "--lang", language])
        }

        let check = try run(["check"], "zh")
        #expect(check.status == 7)
        #expect(check.stdout.hasPrefix("合规检查"))
        #expect(check.stdout.contains("逾期的复盘") && check.stdout.contains("负责人"))
        #expect(Self.englishLines(check.stdout).isEmpty, "\(Self.englishLines(check.stdout))")

        // The daily report (日报) as it would be sent: Chinese, with the owners of off-track KPIs and overdue reviews mentioned.
        let digest = try run(["notify", "preview", "digest"], "zh")
        #expect(digest.status == 0, "\(digest.stderr)")
        #expect(digest.stdout.hasPrefix("LinkStar 日报 ") && digest.stdout.contains("瓶颈：结账 → 支付订单"), "\(digest.stdout)")
        #expect(digest.stdout.contains("负责人 @chen.jie") && digest.stdout.contains("@chen.jie：结账到支付率"), "\(digest.stdout)")
        #expect(digest.stdout.contains("逾期的复盘：") && digest.stdout.contains("天，负责人 @lin.wei"), "\(digest.stdout)")
        #expect(Self.englishLines(digest.stdout).isEmpty, "\(Self.englishLines(digest.stdout))")
        let digestJSON = try run(["notify", "preview", "digest", "--json"], "zh")
        #expect(digestJSON.stdout == (try run(["notify", "preview", "digest", "--json"], "en")).stdout && digestJSON.stdout.contains("\"bottleneck\""))

        let pack = try run(["review", "show", "1", "--format", "md"], "zh")
        #expect(pack.status == 0, "\(pack.stderr)")
        #expect(pack.stdout.hasPrefix("# 复盘 流量层"), "\(pack.stdout.prefix(80))")
        for section in ["## KPI", "## 漏斗", "## 优化动作", "## 清单", "## 发现", "## 决定"] { #expect(pack.stdout.contains(section), "missing \(section)") }
        #expect(pack.stdout.contains("| 编号 | 层 | 指标 |"))
        let englishPack = try run(["review", "show", "1", "--format", "md"], "en")
        #expect(englishPack.stdout.hasPrefix("# 复盘 traffic") && englishPack.stdout.contains("## Checklist"))

        // What a program reads never changes with the language.
        let jsonCommands: [[String]] = [
            ["funnel", "--json"], ["funnel", "--market", "MY", "--json"], ["kpi", "status", "--json"], ["kpi", "list", "--json"],
            ["kpi", "show", "3", "--json"], ["check", "--json"], ["review", "due", "--json"], ["review", "list", "--json"],
            ["review", "show", "1", "--json"], ["layer", "list", "--json"], ["layer", "show", "traffic", "--json"],
            ["metric", "list", "--json"], ["metric", "show", "roas", "--json"], ["action", "list", "--json"], ["action", "show", "4", "--json"],
            ["scorecard", "--json"], ["data", "check", "--json"], ["config", "list", "--json"], ["person", "list", "--json"],
            ["playbook", "list", "--json"], ["event", "list", "--json"], ["audit", "--limit", "20", "--json"], ["import", "list", "--json"],
        ]
        for command in jsonCommands {
            let zh = try run(command, "zh"), en = try run(command, "en")
            #expect(zh.status == en.status, "\(command)")
            #expect(!zh.stdout.isEmpty && zh.stdout == en.stdout, "--json differs between zh and en: \(command)")
        }

        // Errors a person can trigger, in Chinese, with the same exit codes.
        let errors: [([String], Int32)] = [
            (["kpi", "show", "999"], 3), (["funnel", "--market", "USA1"], 4), (["funnel", "--period", "last-week"], 4),
            (["layer", "show", "trafic"], 3), (["review", "close", "2", "--as", "sun.li"], 6), (["action", "start", "1", "--as", "chen.jie"], 5),
            (["review", "check", "1", "1", "--as", "zhang.min"], 5), (["kpi", "set", "--metric", "sessionz", "--as", "lin.wei"], 3),
            (["person", "add", "X", "--name", "x", "--as", "lin.wei"], 4), (["config", "set", "timezone", "Mars/Base", "--as", "lin.wei"], 4),
            (["config", "set", "lang", "fr", "--as", "lin.wei"], 4), (["event", "add", "--kind", "party", "--title", "t", "--from", "2026-01-01", "--as", "lin.wei"], 4),
            (["metric", "show", "nosuch"], 3), (["action", "show", "999"], 3), (["import", "revert", "999", "--as", "lin.wei"], 3),
        ]
        for (command, expected) in errors {
            let zh = try run(command, "zh"), en = try run(command, "en")
            #expect(zh.status == expected && en.status == expected, "\(command): \(zh.status) \(en.status) \(zh.stderr)")
            #expect(zh.stderr.hasPrefix("linkstar: 错误："), "\(command): \(zh.stderr)")
            #expect(Self.englishLines(zh.stderr).isEmpty, "\(command): \(zh.stderr)")
            #expect(en.stderr.hasPrefix("linkstar: error: "))
        }
        // The overview as one self-contained HTML file, in either language.
        let file = cli.folder.appendingPathComponent("report.html").path
        let report = try run(["report", "--out", file], "zh")
        #expect(report.status == 0 && report.stdout.hasPrefix("已写入"), "\(report.stderr)")
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("LinkStar 总览") && html.contains("<svg"))
        #expect(!html.contains("<script") && !html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"))
        let stdout = try run(["report", "--period", "last-30d"], "en")
        #expect(stdout.stdout.hasPrefix("<!DOCTYPE html>") && stdout.stdout.contains("LinkStar overview"))
        // The review pack as a page: the same pack, no forms, no links to a server, nothing external.
        let packHTML = try run(["review", "show", "1", "--format", "html"], "zh")
        #expect(packHTML.status == 0 && packHTML.stdout.hasPrefix("<!DOCTYPE html>") && packHTML.stdout.contains("复盘"))
        #expect(packHTML.stdout.contains("<svg") && packHTML.stdout.contains("发现") && !packHTML.stdout.contains("<form"))
        #expect(!packHTML.stdout.contains(#"href="/"#) && !packHTML.stdout.contains("<script"))

        // The argument parser's own messages too.
        let usage = try run(["kpi", "show"], "zh")
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("错误：缺少参数"), "\(usage.stderr)")
    }

    @Test("the language comes from --lang, LINKSTAR_LANG, the workspace (init --lang zh), then LANG; times in the workspace's zone")
    func languageSetting() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let initialised = try cli.run(["init", "--lang", "zh"])
        #expect(initialised.status == 0, "\(initialised.stderr)")
        #expect(initialised.stdout.contains("已创建"))
        let playbook = try String(contentsOfFile: cli.folder.appendingPathComponent("Playbooks/conversion.md").path, encoding: .utf8)
        #expect(playbook.contains("## 复盘清单") && playbook.contains("(可选)"))
        #expect(try cli.run(["config", "get", "lang"]).stdout == "zh\n")
        // The workspace default: Chinese without any flag.
        let show = try cli.run(["layer", "show", "conversion"])
        #expect(show.stdout.contains("复盘清单") && show.stdout.contains("(可选)"), "\(show.stdout)")
        #expect(try cli.run(["layer", "show", "conversion", "--lang", "en"]).stdout.contains("Review checklist"))
        #expect(try cli.run(["layer", "show", "conversion"], environment: ["LINKSTAR_LANG": "en"]).stdout.contains("Review checklist"))
        let list = try cli.run(["playbook", "list"])
        #expect(list.stdout.contains("转化层 SOP") && list.stdout.contains("必填 7 / 共 8"), "\(list.stdout)")
        // Set back to English: the locale decides when nothing else does.
        #expect(try cli.run(["config", "set", "lang", "en"]).status == 0)
        #expect(try cli.run(["layer", "show", "conversion"]).stdout.contains("Review checklist"))
        #expect(try cli.run(["layer", "show", "conversion"], environment: ["LANG": "zh_CN.UTF-8"]).stdout.contains("Review checklist"),
                "an explicit workspace lang wins over the locale")

        // Times: stored in UTC, shown in the workspace's time zone.
        #expect(try cli.run(["config", "set", "timezone", "Asia/Shanghai"]).status == 0)
        let audit = try cli.run(["audit", "--limit", "3"])
        #expect(audit.stdout.contains("+08:00"), "\(audit.stdout)")
        let auditJSON = try cli.run(["audit", "--limit", "3", "--json"])
        #expect(auditJSON.stdout.contains("Z\"") && !auditJSON.stdout.contains("+08:00"), "JSON stays UTC ISO 8601")
        let bad = try cli.run(["config", "set", "timezone", "Beijing", "--lang", "zh"])
        #expect(bad.status == 4 && bad.stderr.contains("不是时区"), "\(bad.stderr)")
    }

    @Test("a workspace without a language setting follows LANG")
    func localeDecides() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["init"]).status == 0)
        let zh = try cli.run(["kpi", "list"], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(zh.stdout.hasPrefix("编号"), "\(zh.stdout)")
        let en = try cli.run(["kpi", "list"])
        #expect(en.stdout.hasPrefix("ID"))
    }
}

@Suite("linkstar CLI: --help in Chinese")
struct ChineseHelpTests {
    /// Every command path, from the English help's SUBCOMMANDS sections.
    static func commandPaths(_ cli: CLIRunner, _ prefix: [String] = []) throws -> [[String]] {
        let help = try cli.run(prefix + ["--help"]).stdout
        guard let start = help.range(of: "SUBCOMMANDS:\n") else { return [prefix] }
        var paths: [[String]] = [prefix]
        for line in help[start.upperBound...].split(separator: "\n") {
            guard line.hasPrefix("  "), !line.hasPrefix("   "), !line.contains("See '") else { continue }
            guard let name = line.split(separator: " ").first.map(String.init), name != "help" else { continue }
            paths += try commandPaths(cli, prefix + [name])
        }
        return paths
    }

    @Test("every command's help reads in Chinese: overview, usage, options, the parser's own headings")
    func everyCommand() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let paths = try Self.commandPaths(cli)
        #expect(paths.count > 60, "found \(paths.count) commands")
        for path in paths {
            // The runner fails the test for any template the binary renders that is not in the catalog.
            let help = try cli.run(path + ["--help", "--lang", "zh"])
            #expect(help.status == 0, "\(path)")
            #expect(help.stdout.hasPrefix("概述：") || path.isEmpty && help.stdout.hasPrefix("概述"), "\(path): \(help.stdout.prefix(60))")
            #expect(help.stdout.contains("用法：") && !help.stdout.contains("OPTIONS:") && !help.stdout.contains("USAGE:"), "\(path)")
        }
        let english = try cli.run(["kpi", "set", "--help"])
        #expect(english.stdout.contains("OVERVIEW: Create a KPI"))
    }
}
