import Foundation

/// The one JSON style for CLI `--json` output and API bodies: snake_case keys, ISO 8601 dates, sorted keys.
public enum LinkStarJSON {
    /// An encoder configured with the shared style.
    /// Human-readable strings inside (`Message` values) are rendered in `language` (English by default).
    public static func encoder(pretty: Bool = true, language: Language = .en) -> JSONEncoder {
        let encoder = JSONEncoder()
        if language != .en { encoder.userInfo[.language] = language }
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// A decoder matching `encoder()`.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Formats an instant as ISO 8601 in UTC, e.g. `2026-11-25T15:04:27Z`.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// Parses an ISO 8601 timestamp written by `timestamp(_:)`.
    public static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}

/// Encodes every stored property, writing `null` for absent optionals instead of dropping the key,
/// so JSON consumers always see the same fields.
public protocol NullPreservingEncodable: Encodable {}

extension NullPreservingEncodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        for child in Mirror(reflecting: self).children {
            guard let label = child.label, let value = child.value as? any Encodable else { continue }
            try container.encode(value, forKey: AnyCodingKey(label))
        }
    }
}

/// A coding key made from any string.
public struct AnyCodingKey: CodingKey {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ string: String) { stringValue = string }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}
