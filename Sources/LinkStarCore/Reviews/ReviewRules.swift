/// Where a scope stands with its due review (encoded as the same snake_case strings as before).
public enum ReviewDueStatus: String, Codable, Sendable, CaseIterable {
    /// The due period's review is closed.
    case done
    /// Started, not closed.
    case open
    /// Due today.
    case due
    /// Past its due day and not started.
    case overdue
    /// No playbook cadence: nothing is due.
    case unscheduled
    /// The period due now began before the workspace started: nothing is due yet.
    case upcoming
}

/// A review's own lifecycle.
public enum ReviewState: String, Codable, Sendable, CaseIterable {
    case open, closed
}

/// The rules of reviews (复盘) as pure functions: due status, gating, who may close.
public enum ReviewRules {
    /// Days a review may be overdue before new actions on its layer are refused, unless configured.
    public static let defaultGraceDays = 3
    /// The grace days a workspace may configure.
    public static let graceDaysRange = 0...90

    /// True when a review period began before the workspace started: it is never due.
    public static func isBeforeStart(_ period: DayRange, start: Day?) -> Bool {
        guard let start else { return false }
        return period.from < start
    }

    /// The status of the due period's review and how many days it is overdue (0 when done or not yet due).
    /// A period that began before the workspace started is `upcoming` unless a review of it exists anyway.
    public static func dueStatus(existing: ReviewState?, period: DayRange, dueOn: Day, today: Day, start: Day?) -> (status: ReviewDueStatus, daysOverdue: Int) {
        if existing == nil && isBeforeStart(period, start: start) { return (.upcoming, 0) }
        return dueStatus(existing: existing, dueOn: dueOn, today: today)
    }

    /// The status of the due period's review and how many days it is overdue (0 when done or not yet due).
    public static func dueStatus(existing: ReviewState?, dueOn: Day, today: Day) -> (status: ReviewDueStatus, daysOverdue: Int) {
        let overdue = max(0, today.ordinal - dueOn.ordinal)
        switch existing {
        case .closed?: return (.done, 0)
        case .open?: return (.open, overdue)
        case nil: return (overdue > 0 ? .overdue : .due, overdue)
        }
    }

    /// True when new actions on the layer are refused: its due review is not done and is overdue by more than the grace days.
    public static func isGated(status: ReviewDueStatus, daysOverdue: Int, graceDays: Int) -> Bool {
        guard status == .open || status == .due || status == .overdue else { return false }
        return daysOverdue > graceDays
    }

    /// True when checking an item of this source needs a note: a generated "record the cause of KPI …" item is only
    /// done once the cause is written down.
    public static func checkNeedsNote(source: ReviewItemSource) -> Bool { source == .kpi }

    /// True when `actor` may sign off a review: one of its owners (owner or backup; the funnel owner), or an admin.
    public static func mayClose(actor: String, role: PersonRole?, owners: [String]) -> Bool {
        owners.contains(actor) || role == .admin
    }
}
