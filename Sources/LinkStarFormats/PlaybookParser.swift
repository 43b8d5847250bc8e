import Foundation
import Ink
import LinkStarCore
import Yams

extension PlaybookDocument {
    /// Ink reads `_` inside words (`checkout_to_order_rate`) as emphasis; outside code spans
    /// such underscores become the `&#95;` entity so metric keys render as written.
    static func protectIntrawordUnderscores(_ line: String) -> String {
        let characters = Array(line)
        var result = ""
        var inCode = false
        for (i, c) in characters.enumerated() {
            if c == "`" { inCode.toggle() }
            if c == "_", !inCode, i > 0, i + 1 < characters.count,
               characters[i - 1].isLetter || characters[i - 1].isNumber,
               characters[i + 1].isLetter || characters[i + 1].isNumber {
                result += "&#95;"
            } else {
                result.append(c)
            }
        }
        return result
    }

    /// `<` outside code spans becomes `&lt;`: a playbook is Markdown, not HTML (no markup injected into pages), and Ink's
    /// HTML-element reader is superlinear on many `<` (found by fuzzing: a 2.8 KB file took over 10 s).
    static func escapeRawHTML(_ line: String) -> String {
        guard line.contains("<") else { return line }
        // Only a backtick with a partner opens a code span; an unpaired last one is text (as Ink reads it).
        var ticksLeft = line.filter { $0 == "`" }.count
        if ticksLeft % 2 == 1 { ticksLeft -= 1 }
        var out = ""
        var inCode = false
        for c in line {
            if c == "`" && (inCode || ticksLeft >= 2) {
                inCode.toggle()
                ticksLeft -= 1
            }
            if c == "<" && !inCode { out += "&lt;" } else { out.append(c) }
        }
        return out
    }

    /// Ink's link parser backtracks exponentially on deeply nested `[` (found by fuzzing: 48 of them took over half an
    /// hour). A line nesting brackets deeper than 3 has its brackets written as entities, so they render as text.
    static func defuseNestedBrackets(_ line: String) -> String {
        var depth = 0, deepest = 0
        for c in line {
            if c == "[" { depth += 1; deepest = max(deepest, depth) } else if c == "]" && depth > 0 { depth -= 1 }
        }
        guard deepest > 3 else { return line }
        return line.replacingOccurrences(of: "[", with: "&#91;").replacingOccurrences(of: "]", with: "&#93;")
    }

    /// The body rendered to a standalone HTML page (Ink).
    /// The body as an HTML page.
    public func html() -> String {
        let fragment = bodyHTML()
        let escapedTitle = title
            .replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head><meta charset="utf-8"><title>\(escapedTitle)</title></head>
        <body>
        \(fragment)
        </body>
        </html>

        """
    }

    /// The body as an HTML fragment (raw HTML in the Markdown is escaped: a playbook cannot inject markup).
    public func bodyHTML() -> String {
        // Task-list markers become check boxes; Ink has no task-list extension.
        let markdown = body.components(separatedBy: "\n").map { line -> String in
            // Ink reads past the end of its input on a whitespace-only line after a list (found by fuzzing: a trap);
            // such lines carry nothing in Markdown, so they become empty.
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { return "" }
            var line = line
            for (marker, box) in [("- [ ] ", "- ☐ "), ("- [x] ", "- ☑ "), ("- [X] ", "- ☑ ")] where line.hasPrefix(marker) {
                line = box + line.dropFirst(marker.count)
            }
            return PlaybookDocument.protectIntrawordUnderscores(PlaybookDocument.defuseNestedBrackets(PlaybookDocument.escapeRawHTML(line)))
        }.joined(separator: "\n") + "\n"
        return MarkdownParser().html(from: markdown)
    }
}


/// Parses playbook files; every error names the file and line.
public enum PlaybookParser {
    /// The checklist section's heading, in either language (`## Review checklist`, `## 复盘清单`).
    static let checklistHeadings = ["## review checklist", "## 复盘清单", "## 复盘检查清单"]
    /// Markers of an optional item, in either language.
    static let optionalMarkers = ["(optional)", "(可选)", "（可选）"]
    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// Parses one playbook, or throws a `LinkStarError` whose details carry file and line.
    public static func parse(_ raw: String, file: String) throws -> PlaybookDocument {
        var content = raw
        if content.hasPrefix("\u{FEFF}") { content.removeFirst() }
        content = content.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let lines = content.components(separatedBy: "\n")

        func fail(_ line: Int?, _ message: Message, column: Int? = nil) -> LinkStarError {
            let detail = LinkStarError.Detail(file: file, line: line, column: column, message: message)
            return LinkStarError(.invalid, "invalid playbook \(detail)", details: [detail])
        }
        // No control or invisible characters (a NUL would cut an item short), except tabs.
        for (index, line) in lines.enumerated() {
            if let bad = line.unicodeScalars.first(where: { Excerpt.isInvisible($0) && $0 != "\t" }) {
                throw fail(index + 1, "holds the invisible character \(Excerpt.name(bad)); remove it")
            }
        }

        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            throw fail(1, "missing YAML front matter: the file must start with a '---' line")
        }
        guard let closing = lines.indices.dropFirst().first(where: { lines[$0].trimmingCharacters(in: .whitespaces) == "---" }) else {
            throw fail(1, "front matter is not closed: add a '---' line after it")
        }
        let yaml = lines[1..<closing].joined(separator: "\n")
        // Front matter line n (1-based within the YAML) is file line n + 1.
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            switch error {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
                throw fail(mark.line + 1, "front matter is not valid YAML: \(problem)", column: mark.column)
            case let .duplicatedKeysInMapping(duplicates, context):
                throw fail(context.mark.line + 1, "front matter repeats key(s) \(duplicates.joined(separator: ", "))")
            default:
                throw fail(2, "front matter is not valid YAML: \(error)")
            }
        }
        guard let mapping = node?.mapping else {
            throw fail(2, "front matter must be a YAML mapping with layer, title and review.cadence")
        }
        func line(of node: Node?) -> Int { (node?.mark?.line).map { $0 + 1 } ?? 2 }
        func string(_ key: String, in map: Node.Mapping, path: String) throws -> (String, Node)? {
            guard let value = map[key] else { return nil }
            guard let text = value.scalar?.string, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail(line(of: value), "'\(path)' must be a non-empty text value")
            }
            return (text.trimmingCharacters(in: .whitespaces), value)
        }

        guard let (layerText, layerNode) = try string("layer", in: mapping, path: "layer") else {
            throw fail(2, "front matter is missing 'layer' (one of \(LayerKey.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let layer: LayerKey
        do { layer = try LayerKey.parse(layerText) } catch let error as LinkStarError {
            throw fail(line(of: layerNode), error.summary)
        }
        guard let (title, titleNode) = try string("title", in: mapping, path: "title") else {
            throw fail(2, "front matter is missing 'title'")
        }
        guard title.count <= InputLimits.maxPlaybookTitle else {
            throw fail(line(of: titleNode), "the title is \(title.count) characters long; at most \(InputLimits.maxPlaybookTitle)")
        }
        guard let reviewNode = mapping["review"] else {
            throw fail(2, "front matter is missing 'review' with a 'cadence' (weekly, biweekly, monthly or quarterly)")
        }
        guard let review = reviewNode.mapping else {
            throw fail(line(of: reviewNode), "'review' must be a mapping, e.g. review: {cadence: weekly}")
        }
        guard let (cadenceText, cadenceNode) = try string("cadence", in: review, path: "review.cadence") else {
            throw fail(line(of: reviewNode), "'review' is missing 'cadence' (weekly, biweekly, monthly or quarterly)")
        }
        guard let cadence = ReviewCadence(rawValue: cadenceText.lowercased()) else {
            var message: Message = "review.cadence \(Excerpt.quoted(cadenceText)) must be one of weekly, biweekly, monthly, quarterly"
            if let near = NameSuggestion.nearest(to: cadenceText, among: ReviewCadence.allCases.map(\.rawValue)) {
                message = "\(message); did you mean '\(near)'?"
            }
            throw fail(line(of: cadenceNode), message)
        }
        var reviewDay: String?
        if let (dayText, dayNode) = try string("day", in: review, path: "review.day") {
            let day = dayText.lowercased()
            switch cadence {
            case .weekly, .biweekly:
                guard weekdays.contains(day) else {
                    throw fail(line(of: dayNode), "review.day \(Excerpt.quoted(dayText)) must be a weekday (monday … sunday) for a \(cadence.rawValue) cadence")
                }
            case .monthly, .quarterly:
                guard let n = Int(day), (1...28).contains(n) else {
                    throw fail(line(of: dayNode), "review.day \(Excerpt.quoted(dayText)) must be a day of the month from 1 to 28 for a \(cadence.rawValue) cadence")
                }
            }
            reviewDay = day
        }

        // Body and checklist.
        let bodyLines = Array(lines[(closing + 1)...])
        let body = bodyLines.joined(separator: "\n")
        var checklist: [ChecklistItem] = []
        var inChecklist = false
        var foundHeading = false
        var headingLine = 1
        var seen: [String: Int] = [:]
        var inFence = false
        for (offset, text) in bodyLines.enumerated() {
            let lineNumber = closing + 2 + offset
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle(); continue }
            if inFence { continue }
            if trimmed.hasPrefix("#") {
                let isChecklistHeading = checklistHeadings.contains { heading in
                    trimmed.lowercased().hasPrefix(heading) && trimmed.dropFirst(heading.count).trimmingCharacters(in: .whitespaces).isEmpty
                }
                if isChecklistHeading {
                    if foundHeading { throw fail(lineNumber, "a second '## Review checklist' section; keep one") }
                    foundHeading = true
                    headingLine = lineNumber
                    inChecklist = true
                } else if inChecklist && (trimmed.hasPrefix("## ") || trimmed.hasPrefix("# ")) {
                    inChecklist = false
                }
                continue
            }
            guard inChecklist else { continue }
            guard let (item, checked) = taskItem(trimmed) else {
                if looksLikeTask(trimmed) {
                    throw fail(lineNumber, "malformed task item \(Excerpt.quoted(trimmed)): write '- [ ] text'")
                }
                continue
            }
            if checked {
                throw fail(lineNumber, "'- [x]' in a playbook: the checklist lists open items; write '- [ ] text' (items are checked in a review)")
            }
            var itemText = item
            var optional = false
            if let range = optionalMarkers.lazy.compactMap({ itemText.range(of: $0, options: .caseInsensitive) }).first {
                optional = true
                itemText.removeSubrange(range)
                itemText = itemText.replacingOccurrences(of: "  ", with: " ").trimmingCharacters(in: .whitespaces)
            }
            if itemText.isEmpty { throw fail(lineNumber, "empty checklist item") }
            if itemText.count > InputLimits.maxChecklistItem {
                throw fail(lineNumber, "the checklist item is \(itemText.count) characters long; at most \(InputLimits.maxChecklistItem)")
            }
            if let previous = seen[itemText.lowercased()] {
                throw fail(lineNumber, "checklist item repeats line \(previous): \(Excerpt.quoted(itemText))")
            }
            seen[itemText.lowercased()] = lineNumber
            checklist.append(ChecklistItem(position: checklist.count + 1, text: itemText, optional: optional, line: lineNumber))
        }
        let lastLine = lines.last == "" ? max(1, lines.count - 1) : lines.count
        if !foundHeading {
            throw fail(lastLine, "no '## Review checklist' section: a playbook must list its review checklist as '- [ ] …' items")
        }
        if checklist.isEmpty {
            throw fail(headingLine, "the '## Review checklist' section has no '- [ ] …' items")
        }
        if !checklist.contains(where: { !$0.optional }) {
            throw fail(checklist[0].line, "every checklist item is (optional); at least one must be required")
        }
        return PlaybookDocument(layer: layer, title: title, cadence: cadence, reviewDay: reviewDay,
                                content: content, body: body, checklist: checklist, contentHash: ContentHash.sha256Hex(content))
    }

    /// The text of a `- [ ] text` / `- [x] text` item and whether it is checked, or nil.
    static func taskItem(_ line: String) -> (String, Bool)? {
        for bullet in ["- [", "* [", "+ ["] where line.hasPrefix(bullet) {
            let rest = line.dropFirst(bullet.count)
            guard let mark = rest.first, [" ", "x", "X"].contains(mark),
                  rest.dropFirst().hasPrefix("]") else { return nil }
            let text = rest.dropFirst(2)
            guard text.isEmpty || text.first == " " else { return nil }
            return (text.trimmingCharacters(in: .whitespaces), mark != " ")
        }
        return nil
    }

    /// A line meant as a task item but malformed: `-[ ]`, `- []`, `- [ ]text`, `-  [ ]`, `- [v]`.
    static func looksLikeTask(_ line: String) -> Bool {
        guard let first = line.first, "-*+".contains(first) else { return false }
        let rest = line.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
        let inner = rest.dropFirst()
        return rest.hasPrefix("[") && (inner.hasPrefix("]") || inner.dropFirst().hasPrefix("]"))
    }
}
