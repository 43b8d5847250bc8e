import Foundation
import Testing
@testable import LinkStarCore

@Suite("Stored timestamps")
struct TimestampTests {
    static func formatter(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    @Test("the fast path reads the stored form exactly as ISO8601DateFormatter does, and leaves every other form to it")
    func fastPathAgreesWithTheFormatter() {
        let stored = ["2026-11-25T15:04:27Z", "1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2099-12-31T23:59:59Z",
                      "1969-12-31T23:59:59Z", "2024-02-29T12:00:00Z", "1900-03-01T00:00:00Z"]
        for text in stored {
            #expect(LinkStarJSON.utcTimestamp(text) != nil, "\(text)")
            #expect(LinkStarJSON.parseTimestamp(text) == Self.formatter(text), "\(text)")
        }
        // Not the stored form: the fast path declines, the answer is the formatter's (a date, or nil).
        let other = ["2026-11-25T15:04:27+08:00", "2026-11-25T15:04:27.5Z", "2026-02-30T00:00:00Z", "2026-11-25T24:00:00Z",
                     "2026-11-25T15:60:00Z", "2026-13-01T00:00:00Z", "2026-11-25 15:04:27Z", "２026-11-25T15:04:27Z",
                     "2026-11-25T15:04:27z", "", "2026-11-25T15:04:27Zx", "-026-11-25T15:04:27Z", "0001-01-01T00:00:00Z"]
        for text in other {
            #expect(LinkStarJSON.utcTimestamp(text) == nil, "\(text)")
            #expect(LinkStarJSON.parseTimestamp(text) == Self.formatter(text), "\(text)")
        }
        // Every second of one day round-trips with the writer.
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        for offset in stride(from: 0, to: 86_400, by: 997) {
            let date = start.addingTimeInterval(Double(offset))
            #expect(LinkStarJSON.parseTimestamp(LinkStarJSON.timestamp(date)) == date)
        }
    }

    static func formatted(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    @Test("the writer's fast path gives exactly what ISO8601DateFormatter gives, fractions and years at the edges included")
    func writerAgreesWithTheFormatter() {
        var generator = SeededGenerator(seed: 16)
        var instants: [Double] = [0, -0.5, 0.999, -1, 86_399.999, 951_868_799.5, 1_795_000_000.25, -2_208_988_800, -2_208_988_800.5,
                                  -2_208_988_801, 253_402_300_799.9, 253_402_300_800, 4_102_444_800, -62_135_596_800, 1e12, -1e12]
        for _ in 0..<2_000 { instants.append(Double.random(in: -2_300_000_000...4_200_000_000, using: &generator)) }
        for _ in 0..<200 { instants.append(Double(Int.random(in: -3_000_000_000...3_000_000_000, using: &generator))) }
        for seconds in instants {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(LinkStarJSON.timestamp(date) == Self.formatted(date), "\(seconds)")
        }
    }
}
