import Foundation
import GRDB
import LinkStarCore

extension WorkspaceDatabase {
    /// The loop-health counts (`MetricCatalog.loopMetrics`) over a period, from LinkStar's own records.
    func loopCounts(_ db: Database, period: DayRange) throws -> [String: Double] {
        let today = self.today()
        let grace = try graceDays(db)
        let fromText = period.from.description, toText = period.to.description
        var counts: [String: Double] = [:]

        // Series and their freshness at the period's end.
        let lag = try staleAfterDays(db)
        let series = try seriesLastDays(db, onOrBefore: period.to)
        counts["series_total"] = Double(series.count)
        counts["series_fresh"] = Double(series.filter { period.to.ordinal - $0.last <= lag }.count)

        // Reviews due in the period (since the workspace started, not after today) and those closed on time.
        let start = try workspaceStart(db)
        var due = 0, onTime = 0
        for scope in Self.allScopes {
            guard let schedule = try schedule(scope, db) else { continue }
            var current = schedule.period(containing: period.from.adding(days: -120))
            while current.dueOn <= period.to {
                defer { current = schedule.next(current) }
                guard current.dueOn >= period.from, current.dueOn <= today,
                      !ReviewRules.isBeforeStart(current.range, start: start) else { continue }
                due += 1
                let closedAt = try String.fetchOne(db, sql: """
                    SELECT closed_at FROM review WHERE scope = ? AND period_from = ? AND status = 'closed'
                    """, arguments: [scope.description, current.range.from.ordinal])
                if let closedAt, let closed = LinkStarJSON.parseTimestamp(closedAt), Day(closed) <= current.dueOn.adding(days: grace) {
                    onTime += 1
                }
            }
        }
        counts["reviews_due"] = Double(due)
        counts["reviews_on_time"] = Double(onTime)

        // Actions whose first evaluation was in the period, and those (now) won.
        let evaluated = try Row.fetchAll(db, sql: """
            SELECT a.verdict FROM action a
            JOIN (SELECT action_id, min(evaluated_at) AS first FROM action_evaluation WHERE purpose = 'evaluation' GROUP BY action_id) e
              ON e.action_id = a.id
            WHERE substr(e.first, 1, 10) BETWEEN ? AND ?
            """, arguments: [fromText, toText])
        counts["actions_evaluated"] = Double(evaluated.count)
        counts["actions_won"] = Double(evaluated.filter { ($0[0] as String?) == Verdict.won.rawValue }.count)

        // Follow-up checkpoints due in the period (not after today) and those measured on time.
        let checkpoints = try Row.fetchAll(db, sql: """
            SELECT f.due_on, e.evaluated_at FROM action_followup f LEFT JOIN action_evaluation e ON e.id = f.evaluation_id
            WHERE f.due_on BETWEEN ? AND ?
            """, arguments: [period.from.ordinal, min(period.to.ordinal, today.ordinal)])
        counts["followups_due"] = Double(checkpoints.count)
        counts["followups_on_time"] = Double(checkpoints.filter { row in
            guard let text = row[1] as String?, let at = LinkStarJSON.parseTimestamp(text) else { return false }
            return Day(at).ordinal <= (row[0] as Int) + grace
        }.count)

        // Follow-up measurements made in the period, and those that found decay.
        let runs = try Row.fetchAll(db, sql: """
            SELECT decayed FROM action_evaluation WHERE purpose = 'followup' AND substr(evaluated_at, 1, 10) BETWEEN ? AND ?
            """, arguments: [fromText, toText])
        counts["followups_run"] = Double(runs.count)
        counts["followups_decayed"] = Double(runs.filter { ($0[0] as Int?) == 1 }.count)
        return counts
    }
}
