/// A cut of the business: channel × market × device, each a concrete value or `*` (all).
public struct Segment: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public static let any = "*"
    /// The whole business: `*/*/*`.
    public static let all = Segment(uncheckedChannel: any, market: any, device: any)
    /// Device values the tool knows.
    /// `all` marks a source that does not split by device (e.g. Amazon Business Reports totals).
    public static let devices = ["desktop", "mobile", "tablet", "app", "other", "all"]

    public let channel: String
    public let market: String
    public let device: String

    init(uncheckedChannel channel: String, market: String, device: String) {
        self.channel = channel
        self.market = market
        self.device = device
    }

    /// Builds a segment from its three parts, validating and normalising each.
    public init(channel: String, market: String, device: String, field: String = "segment") throws {
        self.channel = try Segment.normaliseChannel(channel, field: field)
        self.market = try Segment.normaliseMarket(market, field: field)
        self.device = try Segment.normaliseDevice(device, field: field)
    }

    /// Parses `channel/market/device` (e.g. `amazon/US/mobile`, `*/MY/*`); a lone `*` means all.
    public init(parsing text: String, field: String = "segment") throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == Segment.any {
            self = .all
            return
        }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else {
            throw LinkStarError.invalidField(
                field, "\(Excerpt.quoted(text)) must be channel/market/device, each a value or * (e.g. amazon/US/mobile or */MY/*)")
        }
        try self.init(channel: parts[0], market: parts[1], device: parts[2], field: field)
    }

    /// True when every part is a concrete value (observations live on concrete segments).
    public var isConcrete: Bool { channel != Segment.any && market != Segment.any && device != Segment.any }

    /// True when `other` is this segment or a narrower one.
    public func contains(_ other: Segment) -> Bool {
        (channel == Segment.any || channel == other.channel)
            && (market == Segment.any || market == other.market)
            && (device == Segment.any || device == other.device)
    }

    /// True when some concrete segment lies in both.
    public func overlaps(_ other: Segment) -> Bool {
        func part(_ a: String, _ b: String) -> Bool { a == Segment.any || b == Segment.any || a == b }
        return part(channel, other.channel) && part(market, other.market) && part(device, other.device)
    }

    public var description: String {
        // Appended piece by piece into room made once: string interpolation cost several times as much (an API answer
        // writes dozens of segments).
        var text = String()
        text.reserveCapacity(channel.utf8.count + market.utf8.count + device.utf8.count + 2)
        forEachTextPiece { text += $0 }
        return text
    }

    /// The pieces of `description` in order (`channel`, `/`, `market`, `/`, `device`): its one definition, which the
    /// JSON writer also follows.
    private func forEachTextPiece(_ body: (String) -> Void) {
        body(channel)
        body("/")
        body(market)
        body("/")
        body(device)
    }

    /// Writes `description` as a JSON string, piece by piece, without building it (an API answer writes dozens).
    @usableFromInline func appendJSONString(to out: inout JSONTreeWriter) {
        out.bytes.append(UInt8(ascii: "\""))
        forEachTextPiece { out.stringContent($0) }
        out.bytes.append(UInt8(ascii: "\""))
    }

    /// The order of the texts (`channel/market/device`), compared part by part over each part's bytes in place:
    /// building both texts for every comparison was most of sorting segments. Every part is ASCII (the normalise rules
    /// allow nothing else), and for ASCII `String`'s order is the bytes' order.
    public static func < (lhs: Segment, rhs: Segment) -> Bool {
        let channel = textOrder(lhs.channel, rhs.channel, followedBy: UInt8(ascii: "/"))
        if channel != 0 { return channel < 0 }
        let market = textOrder(lhs.market, rhs.market, followedBy: UInt8(ascii: "/"))
        if market != 0 { return market < 0 }
        return textOrder(lhs.device, rhs.device, followedBy: nil) < 0
    }

    /// -1, 0 or 1: how two parts order inside the texts, where each is followed by `followedBy` (nil: the text ends).
    /// When one part is the other's prefix, the shorter one's next byte is that follower, not the end: `a-/…` sorts
    /// before `a/…` ("-" is below "/").
    private static func textOrder(_ a: String, _ b: String, followedBy follower: UInt8?) -> Int {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                var i = 0
                while i < common {
                    if x[i] != y[i] { return x[i] < y[i] ? -1 : 1 }
                    i += 1
                }
                if x.count == y.count { return 0 }
                // Parts hold no "/", so the longer one's next byte never equals the follower.
                let after = follower.map(Int.init) ?? -1
                if x.count < y.count { return after < Int(y[common]) ? -1 : 1 }
                return Int(x[common]) < after ? -1 : 1
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(parsing: try container.decode(String.self))
    }

    /// Foundation's trimming drops some invisible characters (U+200B); a key must not hide them, so they are refused first.
    static func refuseInvisible(_ text: String, field: String) throws {
        if let bad = text.unicodeScalars.first(where: { Excerpt.isInvisible($0) && $0 != "\t" }) {
            throw LinkStarError.invalidField(field, "\(Excerpt.quoted(text)) holds the invisible character \(Excerpt.name(bad))")
        }
    }

    /// A concrete channel or `*`, lower-cased; refuses anything else naming the field.
    public static func normaliseChannel(_ text: String, field: String) throws -> String {
        // Already normal (what the database holds): returned as is, without Foundation's trimming and case mapping.
        if (1...40).contains(text.utf8.count), text.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }) {
            return text
        }
        try refuseInvisible(text, field: field)
        let value = text.trimmingCharacters(in: .whitespaces).lowercased()
        if value == any { return value }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard !value.isEmpty, value.count <= 40, value.allSatisfy({ allowed.contains($0) }) else {
            throw LinkStarError.invalidField(
                field, "channel \(Excerpt.quoted(text)) must be * or 1-40 characters of a-z, 0-9, '.', '_', '-' (e.g. amazon, shopee, tiktok, shopify)")
        }
        return value
    }

    /// A 2–3 letter market or `*`, upper-cased.
    public static func normaliseMarket(_ text: String, field: String) throws -> String {
        if (2...3).contains(text.utf8.count), text.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) { return text }
        try refuseInvisible(text, field: field)
        let value = text.trimmingCharacters(in: .whitespaces).uppercased()
        if value == any { return value }
        guard (2...3).contains(value.count), value.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw LinkStarError.invalidField(field, "market \(Excerpt.quoted(text)) must be * or a 2-3 letter code (e.g. US, UK, DE, JP, SG, MY)")
        }
        return value
    }

    /// A known device or `*`.
    public static func normaliseDevice(_ text: String, field: String) throws -> String {
        if devices.contains(text) { return text }
        try refuseInvisible(text, field: field)
        let value = text.trimmingCharacters(in: .whitespaces).lowercased()
        if value == any || devices.contains(value) { return value }
        let message: Message = "device \(Excerpt.quoted(text)) must be * or one of \(devices.joined(separator: ", "))"
        if let near = NameSuggestion.nearest(to: value, among: devices) { throw LinkStarError.invalidField(field, "\(message); did you mean '\(near)'?") }
        throw LinkStarError.invalidField(field, message)
    }
}
