import LinkStarCore
import LinkStarFormats
import LinkStarPlaybooks
import Testing

@Suite("Playbook parser")
struct PlaybookParserTests {
    static let valid = """
    ---
    layer: conversion
    title: Conversion SOP
    review:
      cadence: weekly
      day: wednesday
    ---

    # Conversion

    ## Routine
    - [ ] not a checklist item: outside the section

    ## Review checklist
    Intro text is allowed.

    - [ ] Compare checkout_to_order_rate with target
    - [ ] Place a test order in each market
    - [ ] Read chat transcripts (optional)

    ## Notes
    - [ ] also outside
    """

    @Test("parses front matter and the checklist with lines and optional items")
    func parsesValid() throws {
        let document = try PlaybookParser.parse(Self.valid, file: "conversion.md")
        #expect(document.layer == .conversion)
        #expect(document.title == "Conversion SOP")
        #expect(document.cadence == .weekly)
        #expect(document.reviewDay == "wednesday")
        #expect(document.checklist.map(\.text) == [
            "Compare checkout_to_order_rate with target", "Place a test order in each market", "Read chat transcripts",
        ])
        #expect(document.checklist.map(\.optional) == [false, false, true])
        #expect(document.checklist.map(\.line) == [17, 18, 19])
        #expect(document.contentHash.count == 64)
    }

    @Test("every shipped playbook is valid, one per layer, with 6 to 12 items")
    func shippedPlaybooks() throws {
        var layers: [LayerKey] = []
        for (file, markdown) in DefaultPlaybooks.all {
            let document = try PlaybookParser.parse(markdown, file: file)
            layers.append(document.layer)
            #expect(file == "\(document.layer.rawValue).md")
            #expect((6...12).contains(document.checklist.count), "\(file) has \(document.checklist.count) items")
            #expect(document.checklist.contains { $0.optional }, "\(file) marks an optional item")
            for section in ["## Purpose", "## Who does what", "## Routine", "## Metrics used", "## Common pitfalls"] {
                #expect(markdown.contains(section), "\(file) lacks \(section)")
            }
        }
        #expect(layers == LayerKey.allCases)
    }

    @Test("the metrics a shipped playbook names are catalog keys")
    func playbookMetricsExist() throws {
        let keys = Set(MetricCatalog.all.map(\.key))
        for (file, markdown) in DefaultPlaybooks.all {
            guard let start = markdown.range(of: "## Metrics used"),
                  let end = markdown.range(of: "## Common pitfalls") else { continue }
            let section = markdown[start.upperBound..<end.lowerBound]
            let quoted = section.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
            for key in quoted where !key.contains(" ") && !key.contains("(") {
                #expect(keys.contains(key), "\(file) names unknown metric \(key)")
            }
        }
    }

    @Test("BOM and CRLF do not change the content hash")
    func normalisation() throws {
        let plain = try PlaybookParser.parse(Self.valid, file: "a.md")
        let windows = try PlaybookParser.parse("\u{FEFF}" + Self.valid.replacingOccurrences(of: "\n", with: "\r\n"), file: "a.md")
        #expect(plain.contentHash == windows.contentHash)
        let edited = try PlaybookParser.parse(Self.valid + "\n- [ ] one more", file: "a.md")
        #expect(edited.contentHash != plain.contentHash)
    }

    static let head = "---\nlayer: traffic\ntitle: T\nreview: {cadence: weekly}\n---\n## Review checklist\n"

    static let invalidCases: [(name: String, text: String, line: Int, fragment: String)] = [
        ("no front matter", "# Title\n\n## Review checklist\n- [ ] a\n", 1, "front matter"),
        ("unclosed front matter", "---\nlayer: traffic\n", 1, "not closed"),
        ("broken YAML", "---\nlayer: traffic\ntitle: [oops\nreview: {cadence: weekly}\n---\n## Review checklist\n- [ ] a\n", 4, "not valid YAML"),
        ("missing layer", "---\ntitle: T\nreview: {cadence: weekly}\n---\n## Review checklist\n- [ ] a\n", 2, "missing 'layer'"),
        ("unknown layer", "---\nlayer: trafic\ntitle: T\nreview: {cadence: weekly}\n---\n## Review checklist\n- [ ] a\n", 2, "did you mean 'traffic'"),
        ("missing title", "---\nlayer: traffic\nreview: {cadence: weekly}\n---\n## Review checklist\n- [ ] a\n", 2, "missing 'title'"),
        ("missing review", "---\nlayer: traffic\ntitle: T\n---\n## Review checklist\n- [ ] a\n", 2, "missing 'review'"),
        ("bad cadence", "---\nlayer: traffic\ntitle: T\nreview:\n  cadence: daily\n---\n## Review checklist\n- [ ] a\n", 5, "review.cadence 'daily'"),
        ("bad day", "---\nlayer: traffic\ntitle: T\nreview:\n  cadence: monthly\n  day: 31\n---\n## Review checklist\n- [ ] a\n", 6, "day of the month"),
        ("no checklist", "---\nlayer: traffic\ntitle: T\nreview: {cadence: weekly}\n---\n# T\n\nText.\n", 8, "no '## Review checklist'"),
        ("empty checklist", "---\nlayer: traffic\ntitle: T\nreview: {cadence: weekly}\n---\n## Review checklist\nNothing.\n", 6, "has no '- [ ] …' items"),
        ("malformed item", "---\nlayer: traffic\ntitle: T\nreview: {cadence: weekly}\n---\n## Review checklist\n- [ ] a\n- [] b\n", 8, "malformed task item"),
        ("duplicate item", "---\nlayer: traffic\ntitle: T\nreview: {cadence: weekly}\n---\n## Review checklist\n- [ ] Check a\n- [ ] check A\n", 8, "repeats line 7"),
        ("all optional", "---\nlayer: traffic\ntitle: T\nreview: {cadence: weekly}\n---\n## Review checklist\n- [ ] a (optional)\n", 7, "at least one must be required"),
        ("empty item", "---\nlayer: traffic\ntitle: T\nreview: {cadence: weekly}\n---\n## Review checklist\n- [ ] (optional)\n", 7, "empty checklist item"),
        // Issue 9: items that once vanished, were accepted unchecked, or were cut short.
        ("checked item", PlaybookParserTests.head + "- [ ] a\n- [x] b\n", 8, "'- [x]' in a playbook"),
        ("no space after dash", PlaybookParserTests.head + "- [ ] a\n-[ ] b\n", 8, "malformed task item"),
        ("text glued to the box", PlaybookParserTests.head + "- [ ] a\n- [ ]b\n", 8, "malformed task item"),
        ("NUL in an item", PlaybookParserTests.head + "- [ ] a\n- [ ] b\u{0}c\n", 8, "<U+0000>"),
        ("zero-width space", PlaybookParserTests.head + "- [ ] a\u{200B}\n", 7, "<U+200B>"),
        ("over-long title", "---\nlayer: traffic\ntitle: " + String(repeating: "T", count: 1_000_000) + "\nreview: {cadence: weekly}\n---\n## Review checklist\n- [ ] a\n", 3, "at most 200"),
        ("over-long item", PlaybookParserTests.head + "- [ ] " + String(repeating: "x", count: 501) + "\n", 7, "at most 500"),
    ]

    @Test("each invalid playbook is rejected with file and line", arguments: invalidCases.indices)
    func rejects(_ index: Int) throws {
        let testCase = Self.invalidCases[index]
        let error = #expect(throws: LinkStarError.self, "\(testCase.name)") {
            try PlaybookParser.parse(testCase.text, file: "traffic.md")
        }
        let detail = try #require(error?.details.first)
        #expect(error?.kind == .invalid)
        #expect(detail.file == "traffic.md")
        #expect(detail.line == testCase.line, "\(testCase.name): \(detail)")
        #expect(detail.message.contains(testCase.fragment), "\(testCase.name): \(detail.message)")
    }

    @Test("HTML rendering is a standalone page with check boxes")
    func html() throws {
        let html = try PlaybookParser.parse(Self.valid, file: "c.md").html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("<h2>Review checklist</h2>"))
        #expect(html.contains("☐ Compare checkout&#95;to&#95;order&#95;rate with target"))
        #expect(!html.contains("<em>"))
        #expect(!html.contains("layer: conversion"))
    }
}
