import LinkStarCore
import Testing

/// Every threshold of the domain rules tested on both sides of its boundary, without SQLite, so a one-line change
/// to a rule (`> grace` → `> grace + 1`, `p < 0.001` → `p < 0.0001`, `<= 0.5` → `<= 0.25`) turns a test red.
@Suite("Rule boundaries")
struct RuleBoundaryTests {
    let day = try! Day(parsing: "2026-11-10")

    @Test("gating: refused only when overdue by more than the grace days, and never when done or unscheduled")
    func gating() {
        for grace in [0, 1, 3, 90] {
            #expect(!ReviewRules.isGated(status: .overdue, daysOverdue: grace, graceDays: grace), "grace \(grace)")
            #expect(ReviewRules.isGated(status: .overdue, daysOverdue: grace + 1, graceDays: grace), "grace \(grace)")
            #expect(ReviewRules.isGated(status: .open, daysOverdue: grace + 1, graceDays: grace), "an open review gates too")
            #expect(!ReviewRules.isGated(status: .done, daysOverdue: grace + 10, graceDays: grace))
            #expect(!ReviewRules.isGated(status: .unscheduled, daysOverdue: grace + 10, graceDays: grace))
        }
        #expect(ReviewRules.defaultGraceDays == 3)
    }

    @Test("due status: due on the due day, overdue from the day after, open keeps counting, closed is done")
    func dueStatus() {
        #expect(ReviewRules.dueStatus(existing: nil, dueOn: day, today: day) == (.due, 0))
        #expect(ReviewRules.dueStatus(existing: nil, dueOn: day, today: day.adding(days: 1)) == (.overdue, 1))
        #expect(ReviewRules.dueStatus(existing: nil, dueOn: day, today: day.adding(days: -1)) == (.due, 0))
        #expect(ReviewRules.dueStatus(existing: .open, dueOn: day, today: day.adding(days: 5)) == (.open, 5))
        #expect(ReviewRules.dueStatus(existing: .closed, dueOn: day, today: day.adding(days: 5)) == (.done, 0))
    }

    @Test("workspace start: a period that began before the start is never due; one that begins on it is")
    func workspaceStart() throws {
        let period = try DayRange(parsing: "2026-10")
        let dueOn = try Day(parsing: "2026-11-01")
        let late = try Day(parsing: "2026-11-25")
        #expect(ReviewRules.dueStatus(existing: nil, period: period, dueOn: dueOn, today: late, start: try Day(parsing: "2026-10-02")) == (.upcoming, 0))
        #expect(ReviewRules.dueStatus(existing: nil, period: period, dueOn: dueOn, today: late, start: try Day(parsing: "2026-10-01")) == (.overdue, 24))
        #expect(ReviewRules.dueStatus(existing: nil, period: period, dueOn: dueOn, today: late, start: nil) == (.overdue, 24))
        // A review that exists anyway counts as usual.
        #expect(ReviewRules.dueStatus(existing: .closed, period: period, dueOn: dueOn, today: late, start: try Day(parsing: "2026-11-20")) == (.done, 0))
        #expect(!ReviewRules.isGated(status: .upcoming, daysOverdue: 99, graceDays: 0))
    }

    @Test("sign-off: the owners or an admin, nobody else")
    func mayClose() {
        #expect(ReviewRules.mayClose(actor: "lin.wei", role: .editor, owners: ["lin.wei", "chen.jie"]))
        #expect(ReviewRules.mayClose(actor: "chen.jie", role: .viewer, owners: ["lin.wei", "chen.jie"]))
        #expect(ReviewRules.mayClose(actor: "sun.li", role: .admin, owners: ["lin.wei"]))
        #expect(!ReviewRules.mayClose(actor: "sun.li", role: .editor, owners: ["lin.wei"]))
        #expect(!ReviewRules.mayClose(actor: "nobody", role: nil, owners: []))
    }

    @Test("sample ratio mismatch below p = 0.001, not at it")
    func srm() {
        #expect(ActionRules.isSampleRatioMismatch(pValue: 0.000_999))
        #expect(ActionRules.isSampleRatioMismatch(pValue: 0.000_5))
        #expect(!ActionRules.isSampleRatioMismatch(pValue: 0.001))
        #expect(!ActionRules.isSampleRatioMismatch(pValue: 0.01))
    }

    @Test("decay: half or more of the effect gone, or no longer significant")
    func decay() {
        func decayed(_ current: Double, p: Double = 0.01) -> Bool {
            DecayRule.decayed(originalEstimate: 0.02, currentEstimate: current, currentPValue: p, alpha: 0.05)
        }
        #expect(decayed(0.01))            // exactly half left
        #expect(decayed(0.006))           // 30% left
        #expect(!decayed(0.0102))         // 51% left
        #expect(!decayed(0.02))
        #expect(decayed(-0.01))           // reversed
        #expect(decayed(0.02, p: 0.05))   // not significant at alpha
        #expect(!decayed(0.02, p: 0.0499))
        #expect(DecayRule.decayed(originalEstimate: 0, currentEstimate: 0.01, currentPValue: 0.01, alpha: 0.05))
    }

    @Test("verdict: significant below alpha only, in the metric's good direction")
    func verdict() {
        #expect(Verdict.judge(estimate: 0.01, pValue: 0.05, alpha: 0.05, direction: .up) == .inconclusive)
        #expect(Verdict.judge(estimate: 0.01, pValue: 0.0499, alpha: 0.05, direction: .up) == .won)
        #expect(Verdict.judge(estimate: -0.01, pValue: 0.0499, alpha: 0.05, direction: .up) == .lost)
        #expect(Verdict.judge(estimate: -0.01, pValue: 0.0499, alpha: 0.05, direction: .down) == .won)
        #expect(Verdict.judge(estimate: 0, pValue: 0.001, alpha: 0.05, direction: .up) == .inconclusive)
    }

    @Test("bottleneck: the worst significant worsening; p = 0.05 is not significant; untested steps count as significant")
    func bottleneck() {
        typealias C = BottleneckRule.Candidate
        // A bigger drop that is noise loses to a smaller significant one.
        #expect(BottleneckRule.choose([C(index: 0, relativeChange: -0.30, direction: .up, pValue: 0.2),
                                       C(index: 1, relativeChange: -0.10, direction: .up, pValue: 0.01)])! == (1, true))
        // At p = 0.05 a step is not significant: with no significant step, the biggest drop wins, flagged as not significant.
        #expect(BottleneckRule.choose([C(index: 0, relativeChange: -0.30, direction: .up, pValue: 0.05),
                                       C(index: 1, relativeChange: -0.10, direction: .up, pValue: 0.0501)])! == (0, false))
        #expect(BottleneckRule.choose([C(index: 0, relativeChange: -0.30, direction: .up, pValue: 0.2),
                                       C(index: 1, relativeChange: -0.10, direction: .up, pValue: 0.0499)])! == (1, true))
        // Direction-aware: a rising bounce rate is a worsening; an untested step counts as significant.
        #expect(BottleneckRule.choose([C(index: 0, relativeChange: 0.20, direction: .down, pValue: nil),
                                       C(index: 1, relativeChange: -0.05, direction: .up, pValue: 0.01)])! == (0, true))
        // Nothing worsened: no bottleneck.
        #expect(BottleneckRule.choose([C(index: 0, relativeChange: 0.1, direction: .up, pValue: 0.01),
                                       C(index: 1, relativeChange: nil, direction: .up, pValue: nil)]) == nil)
        #expect(BottleneckRule.significance == 0.05)
    }

    @Test("action defaults and bounds: alpha in (0, 0.5), checkpoints 1 to 20 offsets of 1 to 3650 days")
    func actionBounds() throws {
        #expect(ActionRules.defaultAlpha == 0.05)
        #expect(ActionRules.defaultCheckpoints == [7, 30, 90])
        #expect(!ActionRules.isValidAlpha(0))
        #expect(ActionRules.isValidAlpha(0.000_1))
        #expect(ActionRules.isValidAlpha(0.499_9))
        #expect(!ActionRules.isValidAlpha(0.5))
        #expect(try ActionRules.parseCheckpoints("7, 30,90") == [7, 30, 90])
        #expect(try ActionRules.parseCheckpoints("1,3650") == [1, 3650])
        for bad in ["0", "3651", "-1", "7,,30", "", "x", Array(repeating: "1", count: 21).joined(separator: ",")] {
            #expect(throws: LinkStarError.self, "\(bad)") { try ActionRules.parseCheckpoints(bad) }
        }
        #expect(try ActionRules.parseCheckpoints(Array(repeating: "1", count: 20).joined(separator: ",")).count == 20)
        #expect(ActionRules.rampUpRange == 0...60)
        #expect(ActionRules.minimumConversions == 30 && ActionRules.minimumDays == 7)
    }

    @Test("enums parse case-insensitively in one place; unknown values are invalid input naming the field")
    func enums() throws {
        #expect(try ActionStatus.parse(" Running ", field: "status") == .running)
        #expect(try EventKind.parse("PROMO", field: "kind") == .promo)
        #expect(try MetricDirection.parse("Down", field: "direction") == .down)
        let error = #expect(throws: LinkStarError.self) { try ActionDecision.parse("replicated", field: "decision") }
        #expect(error?.kind == .invalid)
        #expect(error?.details.first?.field == "decision")
        #expect(try PlannedSplit.parse("Control=50, treatment=50") == ["control": 50, "treatment": 50])
        for bad in ["control=0", "control", "a=1,a=2", "x=inf", "x=nan", "=5"] {
            #expect(throws: LinkStarError.self, "\(bad)") { try PlannedSplit.parse(bad) }
        }
    }
}
