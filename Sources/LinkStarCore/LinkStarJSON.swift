import Foundation

/// The one JSON style for CLI `--json` output and API bodies: snake_case keys, ISO 8601 dates, sorted keys.
public enum LinkStarJSON {
    /// An encoder with the shared style; an absent optional is written as `null`, so every field is always there.
    /// Human-readable strings inside (`Message` values) are rendered in `language` (English by default).
    public static func encoder(pretty: Bool = true, language: Language = .en) -> LinkStarJSONEncoder {
        LinkStarJSONEncoder(pretty: pretty, language: language)
    }

    /// A Swift property name as a JSON key: `JSONEncoder`'s `convertToSnakeCase` (`fromMetric` → `from_metric`).
    public static func snakeCase(_ name: String) -> String { JSONTreeState.snakeCased(name) }

    /// A decoder matching `encoder()`; `convertingKeys` false for a `JSONWireKeys` type.
    public static func decoder(convertingKeys: Bool = true) -> JSONDecoder {
        let decoder = JSONDecoder()
        if convertingKeys { decoder.keyDecodingStrategy = .convertFromSnakeCase }
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Formats an instant as ISO 8601 in UTC, e.g. `2026-11-25T15:04:27Z`.
    public static func timestamp(_ date: Date) -> String {
        // Years 1900–9999 (every clock reading) directly: building an ISO8601DateFormatter per call cost a twentieth of
        // an API write. Seconds are truncated toward the past, as the formatter does.
        let seconds = date.timeIntervalSince1970.rounded(.down)
        if seconds >= -2_208_988_800, seconds < 253_402_300_800 {
            let whole = Int(seconds)
            let dayOrdinal = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
            let second = whole - dayOrdinal * 86_400
            let day = Day(ordinal: dayOrdinal)
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            return "\(day)T\(two(second / 3_600)):\(two(second / 60 % 60)):\(two(second % 60))Z"
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// Parses an ISO 8601 timestamp written by `timestamp(_:)`.
    public static func parseTimestamp(_ text: String) -> Date? {
        // The stored form (`2026-11-25T15:04:27Z`) directly: building an ISO8601DateFormatter per call cost
        // a tenth of the overview page. Any other ISO 8601 form (offsets, fractions) goes to the formatter.
        if let date = utcTimestamp(text) { return date }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}

extension LinkStarJSON {
    /// `YYYY-MM-DDTHH:MM:SSZ` with ASCII digits and a real calendar date, else nil.
    static func utcTimestamp(_ text: String) -> Date? {
        var utf8 = text.utf8.makeIterator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        while let byte = utf8.next() {
            bytes.append(byte)
            if bytes.count > 20 { return nil }
        }
        guard bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let digit = Int(bytes[i]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let dayOfMonth = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              hour < 24, minute < 60, second < 60, year >= 1900,  // the Gregorian calendar throughout (Foundation is Julian before 1582)
              (1...12).contains(month), (1...Day.daysIn(month: month, year: year)).contains(dayOfMonth),
              let day = try? Day(year: year, month: month, day: dayOfMonth) else { return nil }
        return Date(timeIntervalSince1970: Double(day.ordinal * 86_400 + hour * 3_600 + minute * 60 + second))
    }
}

/// A `Decodable` type whose coding keys, and those of every type inside it, are the keys as sent: single lowercase
/// words, with no snake_case to convert. Decoding it needs no key conversion, and accepts exactly the documents the
/// converting decoder accepts (a key converts to a one-word name only from itself), at a fraction of the cost.
public protocol JSONWireKeys: Decodable {}
