import Foundation
import GRDB
import LinkStarCore

/// The daily report (日报): what the team should know this morning, from the same use cases as every other view.
public struct Digest: Codable, Sendable, Equatable {
    /// A follow-up that found the effect decayed.
    public struct Decay: Codable, Sendable, Equatable {
        /// The follow-up's evaluation.
        public var evaluationId: Int64
        public var actionId: Int64
        public var title: String
        public var owner: String?
        public var checkpointDays: Int
        public var evaluatedOn: Day
    }

    public var today: Day
    /// Yesterday alone (against the day before).
    public var yesterday: FunnelReport
    /// The last 7 days (ending yesterday) against the 7 before; its bottleneck is the digest's.
    public var week: FunnelReport
    /// KPIs off-track or at risk over the last 7 days, by owner (unowned last), off-track first.
    public var kpis: [KPIStatusView]
    /// Reviews overdue, or due today, or open past their due day.
    public var reviews: [ReviewDue]
    public var actionsAwaitingEvaluation: [ComplianceReport.ActionRef]
    public var followupsDue: [ComplianceReport.ActionRef]
    /// Follow-ups of the last 7 days that found decay.
    public var decays: [Decay]
    public var staleSeries: [StaleSeries]
}

extension WorkspaceDatabase {
    /// The digest as of `today`: yesterday's funnel, the last 7 days against the 7 before, and what needs someone.
    public func digest(today: Day) async throws -> Digest {
        try await writer.read { db in try self.digest(db, today: today) }
    }

    /// The last 7 days, ending yesterday: the digest's week and the window alerts judge KPIs on.
    static func digestWeek(today: Day) throws -> DayRange { try DayRange(from: today.adding(days: -7), to: today.adding(days: -1)) }

    func digest(_ db: Database, today: Day) throws -> Digest {
        let yesterday = today.adding(days: -1)
        let day = try DayRange(from: yesterday, to: yesterday)
        let week = try Self.digestWeek(today: today)
        let check = try complianceCheck(db, today: today)
        let due = try Self.allScopes.map { try self.reviewDue($0, today: today, db) }
        let statuses = try self.kpiStatuses(db, period: week).filter { $0.status == .offTrack || $0.status == .atRisk }
        let kpis = statuses.sorted { a, b in
            ((a.owner ?? "\u{10FFFF}"), a.status == .offTrack ? 0 : 1, a.id) < ((b.owner ?? "\u{10FFFF}"), b.status == .offTrack ? 0 : 1, b.id)
        }
        return Digest(today: today,
                      yesterday: try self.funnel(db, period: day, segment: .all, compare: .previous),
                      week: try self.funnel(db, period: week, segment: .all, compare: .previous),
                      kpis: kpis,
                      reviews: due.filter { $0.status == .overdue || $0.status == .due || ($0.status == .open && $0.daysOverdue > 0) },
                      actionsAwaitingEvaluation: check.actionsAwaitingEvaluation, followupsDue: check.followupsDue,
                      decays: try self.decays(db, from: week.from, to: today), staleSeries: check.staleSeries)
    }

    /// Follow-ups evaluated from `from` to `to` that found the effect decayed, oldest first.
    func decays(_ db: Database, from: Day, to: Day) throws -> [Digest.Decay] {
        var decays: [Digest.Decay] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT e.id, e.action_id, e.checkpoint_days, e.evaluated_at, a.title, p.handle AS owner FROM action_evaluation e
            JOIN action a ON a.id = e.action_id LEFT JOIN person p ON p.id = a.owner_id
            WHERE e.purpose = 'followup' AND e.decayed = 1 ORDER BY e.id
            """) {
            guard let at = LinkStarJSON.parseTimestamp(row["evaluated_at"]) else { continue }
            let evaluated = Day(at)
            guard evaluated >= from, evaluated <= to else { continue }
            decays.append(.init(evaluationId: row["id"], actionId: row["action_id"], title: row["title"], owner: row["owner"],
                                checkpointDays: row["checkpoint_days"] ?? 0, evaluatedOn: evaluated))
        }
        return decays
    }
}
