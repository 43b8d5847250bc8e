import Foundation
import Testing
@testable import LinkStarCore

@Suite("Reader's language and messages")
struct LanguageTests {
    @Test("--lang, then LINKSTAR_LANG, then the workspace default, then LC_ALL/LC_MESSAGES/LANG, then English")
    func resolutionOrder() throws {
        let zhLocale = ["LANG": "zh_CN.UTF-8"]
        #expect(try Language.resolve(flag: nil, environment: [:], workspaceDefault: nil) == .en)
        #expect(try Language.resolve(flag: nil, environment: zhLocale, workspaceDefault: nil) == .zh)
        #expect(try Language.resolve(flag: nil, environment: ["LANG": "zh_CN.UTF-8", "LC_ALL": "C"], workspaceDefault: nil) == .en)
        #expect(try Language.resolve(flag: nil, environment: ["LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"], workspaceDefault: nil) == .zh)
        #expect(try Language.resolve(flag: nil, environment: ["LANG": "en_US.UTF-8"], workspaceDefault: .zh) == .zh)
        #expect(try Language.resolve(flag: nil, environment: ["LINKSTAR_LANG": "en"] .merging(zhLocale) { $1 }, workspaceDefault: .zh) == .en)
        #expect(try Language.resolve(flag: "zh", environment: ["LINKSTAR_LANG": "en"], workspaceDefault: .en) == .zh)
        // A locale that is neither falls through to English; a flag that is neither is an error naming the field.
        #expect(try Language.resolve(flag: nil, environment: ["LANG": "de_DE.UTF-8"], workspaceDefault: nil) == .en)
        #expect(throws: LinkStarError.self) { try Language.resolve(flag: "fr", environment: [:], workspaceDefault: nil) }
        let error = try #require(throws: LinkStarError.self) { try Language.parse("klingon", field: "lang") }
        #expect(error.kind == .invalid && error.details.first?.field == "lang")
    }

    @Test("language tags and locales: zh, zh-CN, zh_CN.UTF-8, ZH, en-US, C, POSIX")
    func recognise() {
        for text in ["zh", "zh-CN", "zh_CN.UTF-8", "ZH", "zh-Hans-CN", "zh_CN@pinyin"] { #expect(Language.recognise(text) == .zh, "\(text)") }
        for text in ["en", "en-US", "en_GB.UTF-8", "C", "C.UTF-8", "POSIX"] { #expect(Language.recognise(text) == .en, "\(text)") }
        for text in ["", "  ", "de", "fr_FR"] { #expect(Language.recognise(text) == nil, "\(text)") }
    }

    @Test("Accept-Language: the best weighted supported language, else English")
    func acceptLanguage() {
        #expect(Language.fromAcceptLanguage(nil) == .en)
        #expect(Language.fromAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8") == .zh)
        #expect(Language.fromAcceptLanguage("en;q=0.5, zh;q=0.9") == .zh)
        #expect(Language.fromAcceptLanguage("de-DE, fr;q=0.8") == .en)
        #expect(Language.fromAcceptLanguage("zh;q=0, en") == .en)
        #expect(Language.fromAcceptLanguage(String(repeating: "x,", count: 10_000)) == .en)
    }

    @Test("a message renders its template in each language; names, ids and user text stay as written")
    func rendering() {
        let status = KPIStatus.offTrack
        let message: Message = "Record the cause of KPI #\(7) \(metric: "checkout_to_order_rate") \("*/MY/mobile") being \(status) (\("44.66%") against \("75.00%"))"
        #expect(message.text(.en) == "Record the cause of KPI #7 checkout_to_order_rate */MY/mobile being off-track (44.66% against 75.00%)")
        #expect(message.text(.zh) == "记录 KPI #7 结账到支付率 */MY/mobile 未达标的原因（当前 44.66%，目标 75.00%）")
        // User text is never looked up, even when it happens to be a catalog key.
        let title: Message = "#\(3) \("on-track")"
        #expect(title.text(.zh) == "#3 on-track")
        // Nested messages translate; a template without words needs no entry.
        let nested: Message = "\(Message("owner \("li.na")")) · \(PersonRole.admin)"
        #expect(nested.text(.zh) == "负责人 li.na · 管理员")
    }

    @Test("English text read back from storage is translated by matching the catalog's templates")
    func storedText() throws {
        let stored = Message(stored: "too little data: the test ran 5 days (fewer than 7: weekday effects)")
        #expect(stored.text(.en) == "too little data: the test ran 5 days (fewer than 7: weekday effects)")
        #expect(stored.text(.zh) == "数据太少：测试只跑了 5 天（少于 7 天：受星期效应影响）")
        let item = Message(stored: "Record the cause of KPI #9 cart_abandonment_rate */*/* being at-risk (62.70% against 60.00%)")
        #expect(item.text(.zh) == "记录 KPI #9 弃购率 */*/* 预警的原因（当前 62.70%，目标 60.00%）")
        let unknown = Message(stored: "a note someone wrote by hand")
        #expect(unknown.text(.zh) == "a note someone wrote by hand")
        // Decoded from JSON, a message is stored text; encoded, it is its text in the encoder's language (English by default).
        let decoded = try JSONDecoder().decode([Message].self, from: Data(#"["too little data: fewer than 30 conversions in a variant"]"#.utf8))
        #expect(decoded[0].text(.zh) == "数据太少：有版本的转化少于 30 次")
        let english = try LinkStarJSON.encoder(pretty: false).encode(decoded)
        let chinese = try LinkStarJSON.encoder(pretty: false, language: .zh).encode(decoded)
        #expect(String(decoding: english, as: UTF8.self) == #"["too little data: fewer than 30 conversions in a variant"]"#)
        #expect(String(decoding: chinese, as: UTF8.self) == #"["数据太少：有版本的转化少于 30 次"]"#)
    }

    @Test("errors carry their message in both languages; details keep field and location")
    func errors() throws {
        let error = try #require(throws: LinkStarError.self) { try Segment(parsing: "amazon/USA1/mobile") }
        #expect(error.message.hasPrefix("segment: market 'USA1' must be"))
        #expect(error.message(.zh).hasPrefix("segment: 站点 'USA1' 必须是"))
        #expect(error.details.first?.text(.zh).hasPrefix("segment: 站点") == true)
    }

    @Test("times in the workspace's time zone; time zones are IANA names")
    func times() throws {
        let date = Date(timeIntervalSince1970: 1_795_766_400) // 2026-11-27T08:00:00Z
        #expect(DisplayTime.format(date, in: try DisplayTime.zone(parsing: "Asia/Shanghai")) == "2026-11-27 16:00 +08:00")
        #expect(DisplayTime.format(date, in: try DisplayTime.zone(parsing: "UTC")) == "2026-11-27 08:00 +00:00")
        #expect(DisplayTime.format(date, in: try DisplayTime.zone(parsing: "America/New_York")) == "2026-11-27 03:00 -05:00")
        #expect(throws: LinkStarError.self) { try DisplayTime.zone(parsing: "Mars/Olympus") }
        #expect(throws: LinkStarError.self) { try DisplayTime.zone(parsing: String(repeating: "A", count: 100)) }
        #expect(try WorkspaceSetting.timezone.normalise("Asia/Shanghai") == "Asia/Shanghai")
        #expect(try WorkspaceSetting.lang.normalise("zh_CN.UTF-8") == "zh")
    }

    @Test("filling a template byte by byte gives what filling it character by character gives, on 3,000 random templates")
    func fillAgreesWithCharacterWalk() {
        /// The earlier rules: walk characters, replace `{n}` when `Int` reads n and an argument has it.
        func reference(_ pattern: String, _ values: [String]) -> String {
            var out = ""
            var index = pattern.startIndex
            while index < pattern.endIndex {
                let c = pattern[index]
                if c == "{", let close = pattern[index...].firstIndex(of: "}"),
                   let n = Int(pattern[pattern.index(after: index)..<close]), n >= 0, n < values.count {
                    out += values[n]
                    index = pattern.index(after: close)
                } else {
                    out.append(c)
                    index = pattern.index(after: index)
                }
            }
            return out
        }
        var random = SeededGenerator(seed: 53)
        let pieces = ["{", "}", "0", "1", "2", "9", "+", "-", "{0}", "{1}", "{2}", "{-0}", "{+1}", "{01}", "{}", "{x}",
                      "{99999999999999999999}", "转化率", "é", "e\u{301}", " ", "a", "→", "🙂", "\n"]
        for _ in 0..<3_000 {
            let pattern = (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            let values = (0..<Int.random(in: 0...3, using: &random)).map { _ in pieces.randomElement(using: &random)! }
            #expect(Message.fill(pattern, values) == reference(pattern, values), "\(pattern) \(values)")
        }
    }

    @Test("a message written into JSON part by part is its text escaped, in both languages, on 3,000 random messages")
    func messageJSONIsItsTextEscaped() {
        // The oracle: the text made first, then escaped (what `JSONTreeWriter.string` writes).
        func escaped(_ text: String) -> [UInt8] {
            var writer = JSONTreeWriter(pretty: false)
            writer.string(text)
            return writer.bytes
        }
        func direct(_ message: Message, _ language: Language) -> [UInt8] {
            var writer = JSONTreeWriter(pretty: false)
            writer.bytes.append(UInt8(ascii: "\""))
            message.appendJSONStringContent(to: &writer, language: language)
            writer.bytes.append(UInt8(ascii: "\""))
            return writer.bytes
        }
        var random = SeededGenerator(seed: 54)
        let pieces = ["{", "}", "{0}", "{1}", "{2}", "{-0}", "{+1}", "{}", "{x}", "转化率", "\"", "\\", "\u{1}", "\n", "\t", "🙂", " ",
                      "a", "exceeds", "no data for "]
        let catalogued: [Message] = ["no review #\(7)", "\(metric: "orders") exceeds \(metric: "checkouts") on the cells that report both (\("103.2")%): a definition problem, not a rate; see data check",
                                     Message(stored: "the batch was rejected; nothing was written")]
        func randomMessage(depth: Int) -> Message {
            let template = (0..<Int.random(in: 0...8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            let arguments: [Message.Argument] = (0..<Int.random(in: 0...3, using: &random)).map { _ in
                switch Int.random(in: 0..<4, using: &random) {
                case 0: return .metric(["orders", "sessions", "\"odd\"", "转化"].randomElement(using: &random)!)
                case 1 where depth < 2: return .message(randomMessage(depth: depth + 1))
                case 2: return .message(catalogued.randomElement(using: &random)!)
                default: return .text(pieces.randomElement(using: &random)! + pieces.randomElement(using: &random)!)
                }
            }
            return Message(template: template, arguments: arguments)
        }
        for message in catalogued + (0..<3_000).map({ _ in randomMessage(depth: 0) }) {
            for language in [Language.en, .zh] {
                #expect(direct(message, language) == escaped(message.text(language)), "\(message.template) \(language)")
            }
        }
    }
}
