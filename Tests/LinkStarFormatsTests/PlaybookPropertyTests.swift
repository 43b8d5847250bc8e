import Foundation
import LinkStarCore
import LinkStarFormats
import Testing

@Suite("Properties: the playbook parser never traps")
struct PlaybookPropertyTests {
    static let lines = [
        "---", "layer: traffic", "layer: 转化", "title: T", "title: [oops", "review: {cadence: weekly}", "review:", "  cadence: monthly",
        "  day: 31", "  day: friday", "## Review checklist", "## Other", "# Title", "- [ ] check the ads", "- [ ] a (optional)",
        "- [x] done", "-[ ] glued", "- [] empty", "* [ ] star", "```", "text", "", "\u{0}", "- [ ] b\u{200B}", "\u{FEFF}---",
        "- [ ] " + String(repeating: "y", count: 600), "title: " + String(repeating: "z", count: 300), "\r", "  - [ ] indented",
    ]

    @Test("random documents parse to a bounded checklist or fail with a file and line")
    func randomDocuments() {
        var rng = SeededGenerator(seed: 23)
        var parsed = 0
        for round in 0..<3000 {
            var document = ["---", "layer: traffic", "title: T", "review: {cadence: weekly}", "---", "## Review checklist"]
            // Keep the valid frame sometimes, so both paths are exercised.
            if Bool.random(using: &rng) { document.removeAll() }
            for _ in 0..<Int.random(in: 0...10, using: &rng) {
                document.insert(Self.lines.randomElement(using: &rng)!, at: Int.random(in: 0...document.count, using: &rng))
            }
            if document.last == "## Review checklist" { document.append("- [ ] one") }
            do {
                let playbook = try PlaybookParser.parse(document.joined(separator: "\n"), file: "p.md")
                parsed += 1
                #expect(!playbook.checklist.isEmpty)
                #expect(playbook.title.count <= InputLimits.maxPlaybookTitle)
                for item in playbook.checklist {
                    #expect(!item.text.isEmpty && item.text.count <= InputLimits.maxChecklistItem, "round \(round)")
                    #expect(!item.text.unicodeScalars.contains(where: Excerpt.isInvisible), "round \(round)")
                }
            } catch let error as LinkStarError {
                #expect(error.details.first?.file == "p.md", "round \(round)")
                #expect(error.details.first?.line != nil, "round \(round): \(error)")
            } catch {
                Issue.record("round \(round): unexpected \(error)")
            }
        }
        #expect(parsed > 0)
    }

    @Test("random bytes decoded as text never trap the parser")
    func randomText() {
        var rng = SeededGenerator(seed: 29)
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let text = "---\nlayer: traffic\n" + String(decoding: bytes, as: UTF8.self)
            _ = try? PlaybookParser.parse(text, file: "r.md")
        }
    }
}

@Suite("Fuzz findings")
struct PlaybookFuzzFindings {
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz")
    }

    @Test("48 nested brackets in a checklist line once hung the HTML rendering (Ink backtracks): now they render as text")
    func nestedBrackets() throws {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("playbook-nested-brackets.md"), encoding: .utf8)
        let html = try PlaybookParser.parse(text, file: "p.md").html()
        #expect(html.contains("ma&#91;&#91;&#91;"))
        let deep = try PlaybookParser.parse(PlaybookParserTests.head + "- [ ] x\n\n" + String(repeating: "[", count: 200) + "a" + "\n", file: "d.md")
        #expect(deep.html().contains("&#91;"))
        // Ordinary links still render.
        let link = try PlaybookParser.parse(PlaybookParserTests.head + "- [ ] see [the guide](https://example.com)\n", file: "l.md")
        #expect(link.html().contains("<a href=\"https://example.com\">the guide</a>"))
    }

    @Test("many `<` once kept Ink's HTML reader busy for minutes: raw HTML is escaped (a playbook is Markdown), code spans kept")
    func angleBrackets() throws {
        // The fuzzer's bytes are not all UTF-8: decoded as the fuzz target decodes them.
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("playbook-many-angle-brackets.md"))
        let html = try PlaybookParser.parse(String(decoding: data, as: UTF8.self), file: "p.md").html()
        #expect(html.contains("&lt;&lt;&lt;"))
        let markup = try PlaybookParser.parse(PlaybookParserTests.head + "- [ ] a\n\n<script>alert(1)</script> and `a<b`\n", file: "x.md").html()
        #expect(!markup.contains("<script>"))
        #expect(markup.contains("<code>a&lt;b</code>"))
    }

    @Test("a whitespace-only last line after a list once trapped inside Ink: now it renders")
    func trailingWhitespaceAfterList() throws {
        for tail in ["- x\n  ", "- x\n ", "- x\n\t", "1. x\n   ", "- x\n  - y\n    "] {
            let html = try PlaybookParser.parse(PlaybookParserTests.head + "- [ ] a\n" + tail, file: "t.md").html()
            #expect(html.contains("<li>"), "\(tail.debugDescription)")
        }
    }
}
