import Foundation

/// When the daily report goes out: a time of day in the workspace's time zone.
public struct DigestTime: Sendable, Equatable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    /// Parses `HH:MM` (00:00 to 23:59); `off` (or `none`) means no daily report, `nil`.
    public static func parse(_ text: String, field: String = "digest_time") throws -> DigestTime? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed == "off" || trimmed == "none" { return nil }
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute) else {
            throw LinkStarError.invalidField(field, "must be a time of day HH:MM (00:00 to 23:59) or off")
        }
        return DigestTime(hour: hour, minute: minute)
    }

    public var description: String { (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)" }
}

/// The address the web pages are published at, linked from chat messages.
public enum PublicURL {
    /// Parses an `http(s)://` address without credentials; empty, `-` or `none` means none (`nil`).
    public static func parse(_ text: String, field: String = "public_url") throws -> URL? {
        try Segment.refuseInvisible(text, field: field)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "-" || trimmed.lowercased() == "none" { return nil }
        guard trimmed.count <= 500, let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = url.host, !host.isEmpty, url.user == nil, url.password == nil, url.query == nil, url.fragment == nil else {
            throw LinkStarError.invalidField(field, "must be the pages' address, http(s)://host[/path], or none")
        }
        return url
    }

    /// `base` joined with a path such as `/reviews/3`.
    public static func link(_ base: String, _ path: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + path
    }
}

/// The clock arithmetic of notifications: local days, the digest's due time, the vendors' rate limits.
public enum NotifySchedule {
    /// The calendar day `now` falls on in `zone`.
    public static func localDay(_ now: Date, zone: TimeZone) -> Day {
        Day(now.addingTimeInterval(TimeInterval(zone.secondsFromGMT(for: now))))
    }

    /// The local day whose daily report is due at `now`: today once the local time has reached `time`, else nil
    /// (a missed day is not sent late: the next report covers it).
    public static func digestDay(_ now: Date, zone: TimeZone, time: DigestTime?) -> Day? {
        guard let time else { return nil }
        let local = now.addingTimeInterval(TimeInterval(zone.secondsFromGMT(for: now)))
        let seconds = Int(local.timeIntervalSince1970.rounded(.down)) % 86_400
        let sinceMidnight = seconds < 0 ? seconds + 86_400 : seconds
        return sinceMidnight >= time.hour * 3_600 + time.minute * 60 ? Day(local) : nil
    }

    /// Added to every vendor's window: the vendor counts arrivals, and a request that started on time can arrive late
    /// while the next arrives early (network and scheduling jitter).
    public static let arrivalMargin: TimeInterval = 0.25

    /// When the next request may start under a limit of `limit.count` requests in any `limit.seconds` (plus
    /// `arrivalMargin`), given the start times of recent requests: `now` when a slot is free.
    public static func nextSlot(recentStarts: [Date], limit: (count: Int, seconds: Int), now: Date) -> Date {
        let window = TimeInterval(limit.seconds) + arrivalMargin
        let inWindow = recentStarts.filter { $0 > now.addingTimeInterval(-window) }.sorted()
        guard inWindow.count >= limit.count else { return now }
        // The slot frees when the oldest start that still counts leaves the window.
        return inWindow[inWindow.count - limit.count].addingTimeInterval(window)
    }
}
