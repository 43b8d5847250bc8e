import Foundation

/// What a chat message is about.
public enum NoticeTopic: String, Codable, Sendable, CaseIterable {
    /// The daily report (日报).
    case digest
    /// A condition that has just become true.
    case alert
    /// A test message asked for with `notify channel test`.
    case test
}

/// The conditions that raise an alert when they become true.
public enum AlertKind: String, Codable, Sendable, CaseIterable {
    /// A review's due day has passed without it being closed.
    case reviewOverdue = "review_overdue"
    /// A review is overdue by more than the grace period: new actions on its layer are refused.
    case reviewPastGrace = "review_past_grace"
    /// A follow-up found the action's effect decayed.
    case decay
    /// Series whose newest value lags more than `stale_after_days`.
    case stale
    /// A KPI turned off-track over the last 7 days.
    case kpiOffTrack = "kpi_off_track"
}

/// Where a message stands in the outbox.
public enum OutboxState: String, Codable, Sendable, CaseIterable {
    /// Waiting to be sent (first time, or again after a failed attempt).
    case pending
    /// A request is out.
    case sending
    case delivered
    /// Given up on: the vendor refused it, or every attempt failed.
    case failed

    /// Parses a state name.
    public static func parse(_ text: String, field: String = "state") throws -> OutboxState {
        guard let state = OutboxState(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw LinkStarError.unknownValue("state", text, field: field, among: allCases.map(\.rawValue))
        }
        return state
    }
}
