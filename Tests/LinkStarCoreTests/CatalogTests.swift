import Foundation
import Testing
@testable import LinkStarCore

/// The one catalog of human text: every template has English and Chinese, with the same placeholders,
/// and the text the code shows is in it.
@Suite("Catalog of human text (en, zh)")
struct CatalogTests {
    /// Templates whose Chinese intentionally leaves out a placeholder (an English article or plural ending).
    static let omissions: [String: Set<String>] = [
        "{0} needs the {1} role; {2} is {3} {4}": ["{3}"],
    ]

    /// Templates that read the same in both languages (codes, units, formulas), or whose Chinese is a loanword
    /// Chinese teams use as is (SOP, KPI).
    static let sameInBothLanguages: Set<String> = [
        "KPI", "ICE", "{0} MiB", "v{0} {1}", "#{0} {1}", "{0} {1}", "{0} · {1}", "{0} = {1}", "{0} > {1}",
        "playbook", "PLAYBOOK", "playbook v{0}", "kpi", "KPIs", "auto | {0}", "text | md | html | json", "Playbook", "dingtalk | feishu | wecom | slack | webhook", "URL", "HTTP",
        "pending | sending | delivered | failed",
    ]

    static func placeholders(_ text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: #"\{\d+\}"#)
        return Set(regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) })
    }

    static func hasHan(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) || (0x3000...0x303F).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) }
    }

    @Test("every template has both languages, the same placeholders, and Chinese that is Chinese")
    func everyEntryIsComplete() {
        for entry in Catalog.entries {
            #expect(!entry.en.isEmpty && !entry.zh.isEmpty, "empty entry: \(entry.en)")
            let en = Self.placeholders(entry.en), zh = Self.placeholders(entry.zh)
            #expect(zh.isSubset(of: en), "the Chinese of \(entry.en) uses a placeholder English does not have")
            #expect(en.subtracting(zh) == Self.omissions[entry.en] ?? [], "the Chinese of \(entry.en) leaves out \(en.subtracting(zh).sorted())")
            if !Self.sameInBothLanguages.contains(entry.en) {
                #expect(Self.hasHan(entry.zh) || !Catalog.needsTranslation(entry.zh), "not Chinese: \(entry.en) → \(entry.zh)")
            }
        }
    }

    @Test("no template is listed twice with different Chinese")
    func noConflictingDuplicates() {
        var seen: [String: String] = [:]
        for entry in Catalog.entries {
            if let earlier = seen[entry.en] { #expect(earlier == entry.zh, "\(entry.en): \(earlier) vs \(entry.zh)") }
            seen[entry.en] = entry.zh
        }
    }

    @Test("every status, verdict, lifecycle state, role, layer, unit and setting has a name in both languages")
    func everyTermIsTranslated() {
        func check(_ labels: [Message]) {
            for label in labels { #expect(Catalog.contains(label.template) && label.text(.zh) != label.text(.en), "no Chinese for \(label.template)") }
        }
        check(KPIStatus.allCases.map(\.label))
        check(Verdict.allCases.map(\.label))
        check(ActionStatus.allCases.map(\.label))
        check(ActionDecision.allCases.map(\.label))
        check(ActionKind.allCases.map(\.label))
        check(EventKind.allCases.map(\.label))
        check(MetricUnit.allCases.map(\.label))
        check(MetricDirection.allCases.map(\.label))
        check(ReviewCadence.allCases.map(\.label))
        check(ReviewDueStatus.allCases.map(\.label))
        check(ReviewState.allCases.map(\.label))
        check(PersonRole.allCases.map(\.label))
        check(Comparison.allCases.map(\.label))
        check(LayerKey.allCases.map(\.label))
        check(ActionStatus.allCases.flatMap(\.allowedSteps).map { Message.term($0) })
        check(WorkspaceSetting.allCases.map(\.summary))
        check([MetricAggregation.rate, .dailyAverage, .periodTotal].map(\.explanationLabel))
    }

    @Test("every built-in metric has a Chinese name and definition")
    func everyMetricIsTranslated() {
        for metric in MetricCatalog.all {
            let zh = Catalog.metricsZH[metric.key]
            #expect(zh != nil, "no Chinese for metric \(metric.key)")
            #expect(zh.map { Self.hasHan($0.name) && Self.hasHan($0.definition) } ?? false)
            #expect(metric.name(.zh) == zh?.name && metric.name(.en) == metric.name)
        }
        #expect(Set(Catalog.metricsZH.keys) == Set(MetricCatalog.all.map(\.key)), "Chinese for a metric the catalog does not have")
    }

    @Test("the text the code shows is in the catalog: every literal in a message position under Sources/")
    func sourcesUseTheCatalog() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") && !$0.contains("Localization/Catalog") }
        #expect(files.count > 50)
        var checked = 0
        var missing: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for template in SourceTemplates.messageLiterals(in: text) where Catalog.needsTranslation(template) {
                checked += 1
                if !Catalog.contains(template) { missing.append("\(file): \(template)") }
            }
        }
        #expect(checked > 300, "the scan found only \(checked) message literals")
        #expect(missing.isEmpty, "not in the catalog:\n\(missing.joined(separator: "\n"))")
    }
}

/// Finds the string literals in message positions of Swift source (errors, details, output lines, warnings, notes)
/// and turns each into its catalog template (`\(x)` → `{0}`).
enum SourceTemplates {
    static let positions = try! NSRegularExpression(pattern:
        #"(LinkStarError\(\.\w+, |invalidField\([^,()]+, |message: |Output\.(?:line|error)\(|(?:notes|warnings)\.append\(|: Message = |\btr\(|\b(?:r|reader)\(|\bfail\([^,()]+, |CellProblem\(|\.term\(|: Message \{ ")"#)

    static func messageLiterals(in source: String) -> [String] {
        let scalars = Array(source.unicodeScalars)
        let text = String(String.UnicodeScalarView(scalars))
        var templates: [String] = []
        for match in positions.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text) else { continue }
            var index = range.upperBound
            // `: Message { "` ends on the quote; the others end just before it.
            if text[text.index(before: index)] == "\"" { index = text.index(before: index) }
            guard index < text.endIndex, text[index] == "\"", !text[index...].hasPrefix("\"\"\"") else { continue }
            if let (template, _) = literal(text, from: text.index(after: index)) { templates.append(template) }
        }
        return templates
    }

    /// The template of the literal whose content starts at `start`, and the index after its closing quote.
    static func literal(_ text: String, from start: String.Index) -> (String, String.Index)? {
        var template = ""
        var count = 0
        var i = start
        while i < text.endIndex {
            let c = text[i]
            if c == "\\" {
                let next = text.index(after: i)
                guard next < text.endIndex else { return nil }
                if text[next] == "(" {
                    var depth = 1
                    var j = text.index(after: next)
                    while j < text.endIndex && depth > 0 {
                        if text[j] == "(" { depth += 1 } else if text[j] == ")" { depth -= 1 } else if text[j] == "\"" {
                            guard let (_, after) = literal(text, from: text.index(after: j)) else { return nil }
                            j = after
                            continue
                        }
                        j = text.index(after: j)
                    }
                    template += "{\(count)}"
                    count += 1
                    i = j
                    continue
                }
                switch text[next] {
                case "n": template += "\n"
                case "t": template += "\t"
                default: template.append(text[next])
                }
                i = text.index(after: next)
                continue
            }
            if c == "\"" { return (template, text.index(after: i)) }
            if c == "\n" { return nil }
            template.append(c)
            i = text.index(after: i)
        }
        return nil
    }
}
