import Foundation
import LinkStarCore
import Testing

@Suite("Days from instants and as text")
struct DayFromInstantTests {
    /// The UTC day by Foundation's Gregorian calendar: the reference the arithmetic must equal.
    static func calendarDay(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        let pad = { (n: Int, width: Int) in String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        return "\(pad(c.year!, 4))-\(pad(c.month!, 2))-\(pad(c.day!, 2))"
    }

    @Test("an instant's UTC day is the calendar's, at midnights, just before them and at random instants from 1600 to 2400")
    func dayOfInstantMatchesCalendar() {
        var instants: [Double] = [0, -1, 1, 86_399, 86_400, -86_400, -86_401, 951_782_400 - 0.001, 951_782_400, 4_102_444_800]
        var generator = SeededGenerator(seed: 0x11D4_2026)  // seeded: a failure repeats on every machine
        for _ in 0..<5_000 { instants.append(Double.random(in: -11_676_096_000...13_569_465_600, using: &generator)) }
        for _ in 0..<1_000 { instants.append(Double(Int.random(in: -135_000...157_000, using: &generator)) * 86_400 + Double.random(in: -1...1, using: &generator)) }
        for seconds in instants {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Day(date).description == Self.calendarDay(date), "\(seconds)")
        }
    }

    @Test("instants beyond the supported years clamp to 0001-01-01 and 9999-12-31 instead of trapping")
    func farInstantsClamp() {
        #expect(Day(Date.distantFuture).description == Self.calendarDay(Date.distantFuture))  // 4001-01-01
        #expect(Day(Date(timeIntervalSince1970: 1e300)).description == "9999-12-31")
        #expect(Day(Date(timeIntervalSince1970: -1e300)).description == "0001-01-01")
        #expect(Day(Date(timeIntervalSince1970: .infinity)).description == "9999-12-31")
        #expect(Day(Date(timeIntervalSince1970: .nan)).description == "1970-01-01")
    }

    @Test("days order as their ordinals do, for random pairs and neighbours across month and year ends")
    func orderIsOrdinalOrder() throws {
        var generator = SeededGenerator(seed: 0x11D4_2026)  // seeded: a failure repeats on every machine
        for _ in 0..<20_000 {
            let a = Int.random(in: -719_162...2_932_896, using: &generator)
            let b = Bool.random(using: &generator) ? a + Int.random(in: -40...40, using: &generator) : Int.random(in: -719_162...2_932_896, using: &generator)
            let (x, y) = (Day(ordinal: a), Day(ordinal: b))
            #expect((x < y) == (x.ordinal < y.ordinal), "\(x) \(y)")
            // The order, equality and hash (by the ordinal kept in the day) are the calendar's: year, month, day.
            #expect((x < y) == ((x.year, x.month, x.day) < (y.year, y.month, y.day)), "\(x) \(y)")
            #expect((x == y) == ((x.year, x.month, x.day) == (y.year, y.month, y.day)), "\(x) \(y)")
            // A day made from its year, month and day has the ordinal it was made from.
            let rebuilt = try #require(try? Day(year: x.year, month: x.month, day: x.day))
            #expect(rebuilt.ordinal == x.ordinal && rebuilt == x && rebuilt.hashValue == x.hashValue, "\(x)")
        }
    }

    @Test("a date with spaces, tabs or Unicode spaces (Foundation's whitespace set, U+200B included) around it parses as without them; anything else around it does not")
    func parsingTrimsWhitespaceOnly() throws {
        for text in ["2026-11-28", " 2026-11-28", "2026-11-28 ", "\t2026-11-28\t", "\u{00A0}2026-11-28", "2026-11-28\u{3000}", " \u{2003}2026-11-28 ", "\u{200B}2026-11-28"] {
            #expect(try Day(parsing: text).description == "2026-11-28", "\(text.debugDescription)")
        }
        for text in ["x2026-11-28", "2026-11-28.", "2026-11-28\n", "２026-11-28", "2026-11-28é"] {
            #expect(throws: LinkStarError.self, "\(text.debugDescription)") { try Day(parsing: text) }
        }
    }

    @Test("the text of every day from 0001 to 9999 is its zero-padded year, month and day")
    func textIsZeroPadded() throws {
        for ordinal in stride(from: -719_162, through: 2_932_896, by: 97) {
            let day = Day(ordinal: ordinal)
            let expected = String(format: "%04d-%02d-%02d", day.year, day.month, day.day)
            #expect(day.description == expected)
        }
        #expect(try Day(year: 1, month: 1, day: 1).description == "0001-01-01")
        #expect(try Day(year: 9999, month: 12, day: 31).description == "9999-12-31")
        #expect(try Day(year: 987, month: 10, day: 9).description == "0987-10-09")
    }
}
