import Foundation
import LinkStarCore
import Testing

@Suite("Segment")
struct SegmentTests {
    @Test("parses and normalises channel/market/device")
    func parses() throws {
        let segment = try Segment(parsing: "Amazon/us/Mobile")
        #expect(segment.channel == "amazon")
        #expect(segment.market == "US")
        #expect(segment.device == "mobile")
        #expect(segment.description == "amazon/US/mobile")
        #expect(segment.isConcrete)
        #expect(try Segment(parsing: "*") == .all)
        #expect(try Segment(parsing: "*/MY/*").description == "*/MY/*")
        #expect(try !Segment(parsing: "*/MY/*").isConcrete)
    }

    @Test("rejects malformed segments", arguments: [
        "amazon/US", "amazon/US/mobile/extra", "/US/mobile", "amazon/USA1/mobile", "amazon/US/phone",
        "ama zon/US/mobile", "amazon//mobile", "",
    ])
    func rejects(_ text: String) {
        #expect(throws: LinkStarError.self) { try Segment(parsing: text) }
    }

    @Test("a near-miss device gets a suggestion")
    func suggestsDevice() {
        let error = #expect(throws: LinkStarError.self) { try Segment(parsing: "*/US/mobil") }
        #expect(error?.kind == .invalid)
        #expect(error?.message.contains("did you mean 'mobile'") == true)
    }

    @Test("contains and overlaps")
    func containment() throws {
        let all = Segment.all
        let my = try Segment(parsing: "*/MY/*")
        let myMobile = try Segment(parsing: "shopee/MY/mobile")
        let usDesktop = try Segment(parsing: "amazon/US/desktop")
        let mobile = try Segment(parsing: "*/*/mobile")
        #expect(all.contains(myMobile))
        #expect(my.contains(myMobile))
        #expect(!my.contains(usDesktop))
        #expect(!myMobile.contains(my))
        #expect(my.overlaps(mobile))
        #expect(!my.overlaps(usDesktop))
    }

    /// The rules as they read before the fast path for already-normal text (Foundation trimming and case mapping).
    static func reference(_ text: String, _ part: Int) -> String? {
        if text.unicodeScalars.contains(where: { Excerpt.isInvisible($0) && $0 != "\t" }) { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch part {
        case 0:
            let value = trimmed.lowercased()
            let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
            return value == Segment.any || (!value.isEmpty && value.count <= 40 && value.allSatisfy { allowed.contains($0) }) ? value : nil
        case 1:
            let value = trimmed.uppercased()
            return value == Segment.any || ((2...3).contains(value.count) && value.allSatisfy { $0.isASCII && $0.isLetter }) ? value : nil
        default:
            let value = trimmed.lowercased()
            return value == Segment.any || Segment.devices.contains(value) ? value : nil
        }
    }

    @Test("normalising gives what the rules give, whether or not the text is already normal")
    func normalisingAgreesWithTheRules() {
        var random = SeededGenerator(seed: 7)
        let alphabet = Array("abzAZ09._-* \t/éİıß\u{200B}mobiledesktopUSMY")
        var texts = ["amazon", "Amazon", " amazon", "a", String(repeating: "a", count: 40), String(repeating: "a", count: 41), "",
                     "US", "us", "USA", "U", "USAA", "mobile", "Mobile", "mobil", "all", "*", " * ", "shop-ee_1.x", "İstanbul", "ß"]
        for _ in 0..<3_000 { texts.append(String((0..<Int.random(in: 0...6, using: &random)).map { _ in alphabet.randomElement(using: &random)! })) }
        for text in texts {
            #expect((try? Segment.normaliseChannel(text, field: "f")) == Self.reference(text, 0), "channel \(text.debugDescription)")
            #expect((try? Segment.normaliseMarket(text, field: "f")) == Self.reference(text, 1), "market \(text.debugDescription)")
            #expect((try? Segment.normaliseDevice(text, field: "f")) == Self.reference(text, 2), "device \(text.debugDescription)")
            // Every accepted part is ASCII: segment order compares bytes on that ground.
            for part in [try? Segment.normaliseChannel(text, field: "f"), try? Segment.normaliseMarket(text, field: "f"),
                         try? Segment.normaliseDevice(text, field: "f")].compactMap({ $0 }) {
                #expect(part.utf8.allSatisfy { $0 < 0x80 }, "\(part.debugDescription)")
            }
        }
    }

    @Test("segments sort as their texts do, with prefixes and punctuation that sorts below and above /")
    func orderIsTheTextsOrder() throws {
        var random = SeededGenerator(seed: 11)
        let channels = ["a", "ab", "a-b", "a.b", "a_b", "a0", "shopee", "shopee-x", "shopee.1", "z"]
        let markets = ["MY", "MYS", "SG", "US", "UK"]
        let devices = ["all", "mobile", "desktop", "app"]
        var segments: [Segment] = []
        for _ in 0..<400 {
            segments.append(try Segment(channel: channels.randomElement(using: &random)!, market: markets.randomElement(using: &random)!,
                                        device: devices.randomElement(using: &random)!))
        }
        for _ in 0..<4_000 {
            let a = segments.randomElement(using: &random)!, b = segments.randomElement(using: &random)!
            #expect((a < b) == (a.description < b.description), "\(a) < \(b)")
        }
        #expect(segments.sorted().map(\.description) == segments.map(\.description).sorted())
    }

    @Test("encodes as its text")
    func coding() throws {
        let data = try LinkStarJSON.encoder(pretty: false).encode([try Segment(parsing: "tiktok/SG/app")])
        #expect(String(decoding: data, as: UTF8.self) == #"["tiktok/SG/app"]"#)
        #expect(try LinkStarJSON.decoder().decode([Segment].self, from: data)[0].channel == "tiktok")
    }
}

@Suite("Day and DayRange")
struct DayTests {
    @Test("round-trips ordinals across leap years")
    func ordinals() throws {
        var day = try Day(year: 1999, month: 12, day: 25)
        for _ in 0..<2000 {
            let next = day.adding(days: 1)
            #expect(next.ordinal == day.ordinal + 1)
            #expect(Day(ordinal: next.ordinal) == next)
            day = next
        }
        #expect(try Day(year: 1970, month: 1, day: 1).ordinal == 0)
        #expect(try Day(parsing: "2024-03-01").adding(days: -1).description == "2024-02-29")
    }

    @Test("rejects impossible dates", arguments: ["2026-02-30", "2026-13-01", "2026-1-1", "26-01-01", "yesterday"])
    func rejects(_ text: String) {
        #expect(throws: LinkStarError.self) { try Day(parsing: text) }
    }

    @Test("parses periods: explicit range, month, single day")
    func periods() throws {
        let month = try DayRange(parsing: "2026-02")
        #expect(month.from.description == "2026-02-01")
        #expect(month.to.description == "2026-02-28")
        #expect(month.dayCount == 28)
        let range = try DayRange(parsing: "2026-09-01..2026-09-30")
        #expect(range.dayCount == 30)
        #expect(try DayRange(parsing: "2026-11-11").dayCount == 1)
        #expect(throws: LinkStarError.self) { try DayRange(parsing: "2026-09-30..2026-09-01") }
        #expect(throws: LinkStarError.self) { try DayRange(parsing: "Q3") }
    }
}

@Suite("Layers, people, names")
struct LayerAndPersonTests {
    @Test("layers parse from keys, English and Chinese names")
    func layerNames() throws {
        #expect(try LayerKey.parse("Traffic") == .traffic)
        #expect(try LayerKey.parse("流量层") == .traffic)
        #expect(try LayerKey.parse("转化") == .conversion)
        #expect(try LayerKey.parse("反哺层") == .feedback)
        #expect(LayerKey.allCases.map(\.position) == [1, 2, 3, 4, 5])
        #expect(LayerDefinition.all.map(\.nameZH) == ["流量层", "承接层", "转化层", "留存层", "反哺层"])
    }

    @Test("unknown layer suggests the nearest")
    func unknownLayer() {
        let error = #expect(throws: LinkStarError.self) { try LayerKey.parse("convertion") }
        #expect(error?.kind == .notFound)
        #expect(error?.message.contains("did you mean 'conversion'") == true)
        #expect(error?.details.first?.field == "layer")
    }

    @Test("handles are validated and lower-cased")
    func handles() throws {
        #expect(try PersonHandle.validate("Lin.Wei") == "lin.wei")
        for bad in ["x", ".lin", "lin wei", "林伟", String(repeating: "a", count: 33)] {
            #expect(throws: LinkStarError.self) { try PersonHandle.validate(bad) }
        }
        #expect(throws: LinkStarError.self) { try NewPerson(handle: "lin.wei", displayName: "  ", role: .admin).validated() }
    }

    @Test("suggestions only for plausible typos")
    func suggestions() {
        #expect(NameSuggestion.nearest(to: "zhang.mim", among: ["zhang.min", "li.na"]) == "zhang.min")
        #expect(NameSuggestion.nearest(to: "qqqqqq", among: ["zhang.min", "li.na"]) == nil)
        #expect(NameSuggestion.levenshtein("kitten", "sitting") == 3)
    }
}
