/// What kind of change an action is.
public enum ActionKind: String, CaseIterable, Codable, Sendable {
    case abTest = "ab-test"
    case page, pricing, promotion, ads, email, other
}

/// An action's lifecycle: proposed → running → measuring → evaluated → replicated | rolled-back | archived.
public enum ActionStatus: String, CaseIterable, Codable, Sendable {
    case proposed, running, measuring, evaluated, replicated
    case rolledBack = "rolled-back"
    case archived
    /// Stopped before it was evaluated (a mistake, or overtaken by events), with a reason.
    case cancelled

    /// The steps a person can take from here, in domain terms.
    public var allowedSteps: [String] {
        switch self {
        case .proposed: ["start", "edit", "conclude (archive)", "cancel"]
        case .running: ["stop", "conclude (roll-back)", "cancel"]
        case .measuring: ["evaluate", "conclude (roll-back or archive)", "cancel"]
        case .evaluated: ["evaluate (again)", "conclude (replicate, roll-back or archive)"]
        case .replicated: ["replicate (to another segment)", "followup"]
        case .rolledBack, .archived, .cancelled: []
        }
    }

}

extension ActionStatus {
    /// The statuses an action may be cancelled from: before it is evaluated.
    public static let cancellable: [ActionStatus] = [.proposed, .running, .measuring]
    /// The status in which an action's plan (title, hypothesis, expected effect, ICE, owner) may still be edited.
    public static let editable: [ActionStatus] = [.proposed]
}

/// How an evaluated action is concluded.
public enum ActionDecision: String, CaseIterable, Codable, Sendable {
    case replicate
    case rollBack = "roll-back"
    case archive

    /// The status a decision leads to.
    public var status: ActionStatus {
        switch self {
        case .replicate: .replicated
        case .rollBack: .rolledBack
        case .archive: .archived
        }
    }

    /// The statuses a decision may be taken from.
    public var allowedFrom: [ActionStatus] {
        switch self {
        case .replicate: [.evaluated]
        case .rollBack: [.running, .measuring, .evaluated]
        case .archive: [.proposed, .measuring, .evaluated]
        }
    }
}

/// The honest judgement of an action.
public enum Verdict: String, CaseIterable, Codable, Sendable {
    case won, lost, inconclusive

    /// Won when significant in the metric's good direction, lost when significant in the bad one.
    public static func judge(estimate: Double, pValue: Double, alpha: Double, direction: MetricDirection) -> Verdict {
        guard pValue < alpha, estimate != 0 else { return .inconclusive }
        let good = direction == .up ? estimate > 0 : estimate < 0
        return good ? .won : .lost
    }
}

/// Impact, confidence, ease, each 1–10.
public struct ICEScore: Codable, Sendable, Equatable {
    public var impact: Int
    public var confidence: Int
    public var ease: Int

    public init(impact: Int, confidence: Int, ease: Int) {
        self.impact = impact
        self.confidence = confidence
        self.ease = ease
    }

    /// The mean of the three.
    public var score: Double { Double(impact + confidence + ease) / 3 }

    /// Parses `I,C,E` (each 1–10).
    public init(parsing text: String, field: String = "ice") throws {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let i = parts[0], let c = parts[1], let e = parts[2],
              [i, c, e].allSatisfy({ (1...10).contains($0) }) else {
            throw LinkStarError.invalidField(field, "\(Excerpt.quoted(text)) must be impact,confidence,ease, each 1 to 10 (e.g. 8,6,7)")
        }
        self.init(impact: i, confidence: c, ease: e)
    }
}

/// The kinds of events that move numbers without any action.
public enum EventKind: String, CaseIterable, Codable, Sendable {
    case promo, holiday, platform, stockout, outage, other
}

/// The decay rule for follow-ups: half or more of the original effect gone, or no longer significant.
public enum DecayRule {
    /// True when the effect at a checkpoint has decayed.
    public static func decayed(originalEstimate: Double, currentEstimate: Double, currentPValue: Double, alpha: Double) -> Bool {
        if currentPValue >= alpha { return true }
        guard originalEstimate != 0 else { return true }
        // The share of the original effect that remains, in the original's direction.
        let remaining = currentEstimate / originalEstimate
        return remaining <= 0.5
    }
}
