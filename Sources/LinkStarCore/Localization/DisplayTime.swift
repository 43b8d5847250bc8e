import Foundation

/// Times as a person reads them: in the workspace's time zone, `2026-11-27 16:05 +08:00`. Stored times stay UTC.
public enum DisplayTime {
    /// An IANA time zone (`Asia/Shanghai`, `UTC`), or an invalid-input error naming `field`.
    public static func zone(parsing text: String, field: String = "timezone") throws -> TimeZone {
        let name = text.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 64, let zone = TimeZone(identifier: name) else {
            throw LinkStarError.invalidField(field, "\(Excerpt.quoted(text)) is not a time zone: use an IANA name such as Asia/Shanghai or UTC")
        }
        return zone
    }

    /// `yyyy-MM-dd HH:mm ±hh:mm` in `zone`.
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let offset = zone.secondsFromGMT(for: date) / 60
        let sign = offset < 0 ? "-" : "+"
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(c.year ?? 0)-\(two(c.month ?? 0))-\(two(c.day ?? 0)) \(two(c.hour ?? 0)):\(two(c.minute ?? 0)) \(sign)\(two(abs(offset) / 60)):\(two(abs(offset) % 60))"
    }

    /// A stored ISO 8601 timestamp (`2026-11-27T08:05:00Z`) in `zone`; text that does not parse is shown as it is.
    public static func format(stored text: String, in zone: TimeZone) -> String {
        guard let date = ISO8601DateFormatter().date(from: text) else { return text }
        return format(date, in: zone)
    }
}
