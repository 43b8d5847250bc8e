import LinkStarCore
import Testing

@Suite("Review schedule")
struct ReviewScheduleTests {
    let today = try! Day(parsing: "2026-11-25")   // a Wednesday

    @Test("weekly: ISO weeks, due on the review day after the week")
    func weekly() throws {
        let monday = ReviewSchedule(cadence: .weekly)
        let due = monday.duePeriod(today: today)
        #expect(due.label == "2026-W47")
        #expect(due.range.description == "2026-11-16..2026-11-22")
        #expect(due.dueOn.description == "2026-11-23")
        let friday = ReviewSchedule(cadence: .weekly, day: "friday")
        // W47 is due Friday 2026-11-27, after today: the period due now is W46.
        #expect(friday.duePeriod(today: today).label == "2026-W46")
        #expect(friday.duePeriod(today: today).dueOn.description == "2026-11-20")
        #expect(monday.next(due).dueOn.description == "2026-11-30")
    }

    @Test("biweekly, monthly and quarterly periods")
    func others() throws {
        let biweekly = ReviewSchedule(cadence: .biweekly, day: "thursday").duePeriod(today: today)
        #expect(biweekly.range.dayCount == 14)
        #expect(PeriodSpec.weekday(biweekly.range.from) == 0)
        #expect(biweekly.dueOn.description == "2026-11-19")
        let monthly = ReviewSchedule(cadence: .monthly, day: "5")
        #expect(monthly.duePeriod(today: today).label == "2026-10")
        #expect(monthly.duePeriod(today: today).dueOn.description == "2026-11-05")
        #expect(monthly.duePeriod(today: try Day(parsing: "2026-11-04")).label == "2026-09")
        let quarterly = ReviewSchedule(cadence: .quarterly)
        #expect(quarterly.duePeriod(today: today).label == "2026-Q3")
        #expect(quarterly.duePeriod(today: today).dueOn.description == "2026-10-01")
        #expect(try quarterly.period(named: "2026-Q4").range.description == "2026-10-01..2026-12-31")
        #expect(try monthly.period(named: "2026-02").range.dayCount == 28)
        #expect(try ReviewSchedule(cadence: .weekly).period(named: "2026-W01").label == "2026-W01")
        #expect(throws: LinkStarError.self) { try ReviewSchedule(cadence: .weekly).period(named: "2026-11") }
    }

    @Test("scopes parse layers and funnel")
    func scopes() throws {
        #expect(try ReviewScope(parsing: "funnel") == .funnel)
        #expect(try ReviewScope(parsing: "转化层") == .layer(.conversion))
        #expect(throws: LinkStarError.self) { try ReviewScope(parsing: "everything") }
    }
}
