/// The thresholds and defaults of judging actions, in one place: every adapter and use case reads them here.
public enum ActionRules {
    /// Significance level of a new action unless it says otherwise.
    public static let defaultAlpha = 0.05
    /// Follow-up checkpoints (days after the stop day) of a won action unless the conclusion says otherwise.
    public static let defaultCheckpoints = [7, 30, 90]
    /// Checkpoint offsets a conclusion may give.
    public static let checkpointRange = 1...3650
    /// Most checkpoints one action may have.
    public static let maxCheckpoints = 20
    /// Days after the start a ramp-up may exclude from the after window.
    public static let rampUpRange = 0...60
    /// A sample ratio mismatch is flagged below this chi-square p-value.
    public static let srmThreshold = 0.001
    /// Fewer conversions than this in a variant is "too little data".
    public static let minimumConversions = 30
    /// Fewer days than this in a run is "too little data" (weekday effects).
    public static let minimumDays = 7

    /// True when the alpha is one an action may use: above 0, below 0.5.
    public static func isValidAlpha(_ alpha: Double) -> Bool { alpha > 0 && alpha < 0.5 }

    /// True when exposures do not match the planned split: the assignment may be broken.
    public static func isSampleRatioMismatch(pValue: Double) -> Bool { pValue < srmThreshold }

    /// Parses `7,30,90`: 1 to 20 offsets, each 1 to 3650 days.
    public static func parseCheckpoints(_ text: String, field: String = "checkpoints") throws -> [Int] {
        let values = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        let checked = values.compactMap { $0 }
        guard checked.count == values.count else {
            throw LinkStarError.invalidField(field, "\(Excerpt.quoted(text)) must be day counts separated by commas, e.g. 7,30,90")
        }
        try validateCheckpoints(checked, field: field)
        return checked
    }

    /// Checks checkpoint offsets.
    public static func validateCheckpoints(_ checkpoints: [Int], field: String = "checkpoints") throws {
        guard !checkpoints.isEmpty, checkpoints.count <= maxCheckpoints, checkpoints.allSatisfy({ checkpointRange.contains($0) }) else {
            throw LinkStarError.invalidField(field, "1 to 20 checkpoint offsets, each 1 to 3650 days")
        }
    }
}

/// A planned A/B split written `control=50,treatment=50`: variant names (lower-cased) and positive shares.
public enum PlannedSplit {
    /// The shares by variant, or an error naming the field.
    public static func parse(_ text: String, field: String = "split") throws -> [String: Double] {
        var shares: [String: Double] = [:]
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pair = part.split(separator: "=", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty, pair[0].unicodeScalars.count <= 40,
                  case .value(let share, false, nil) = NumberCellParser.parse(pair[1]), share > 0, share <= 1e6,
                  shares[pair[0].lowercased()] == nil else {
                throw LinkStarError.invalidField(field, "\(Excerpt.quoted(text)) must be variant=share pairs, e.g. control=50,treatment=50")
            }
            shares[pair[0].lowercased()] = share
        }
        return shares
    }
}

/// The funnel's bottleneck rule: among the steps that worsened, prefer those whose change is more than noise
/// (p below `significance`); a step that is not a proportion has no test and counts as significant; the worst
/// relative change in the step's bad direction wins.
public enum BottleneckRule {
    /// The significance a step's change needs to be preferred.
    public static let significance = 0.05

    /// One step's change: how much it worsened (positive = worse, direction-aware) and its p-value, if tested.
    public struct Candidate: Sendable, Equatable {
        public var index: Int
        public var relativeChange: Double?
        public var direction: MetricDirection
        public var pValue: Double?
        /// False for a step that is `partial` (low coverage) or has a definition problem: never the bottleneck.
        public var eligible: Bool
        public init(index: Int, relativeChange: Double?, direction: MetricDirection, pValue: Double?, eligible: Bool = true) {
            self.index = index
            self.eligible = eligible
            self.relativeChange = relativeChange
            self.direction = direction
            self.pValue = pValue
        }
    }

    /// The index of the bottleneck step and whether it was chosen among significant changes; nil when no step worsened.
    public static func choose(_ candidates: [Candidate]) -> (index: Int, significant: Bool)? {
        let worsened = candidates.compactMap { c -> (Int, Double, Double?)? in
            guard c.eligible, let relative = c.relativeChange else { return nil }
            let badness = c.direction == .up ? -relative : relative
            return badness > 0 ? (c.index, badness, c.pValue) : nil
        }
        let significant = worsened.filter { ($0.2 ?? 0) < significance }
        let pool = significant.isEmpty ? worsened : significant
        return pool.max(by: { $0.1 < $1.1 }).map { ($0.0, !significant.isEmpty) }
    }
}

/// Enums read from text the same way everywhere: trimmed, case-insensitive, unknown values refused (invalid input)
/// with the valid ones listed.
public protocol TextEnum: RawRepresentable, CaseIterable where RawValue == String {
    /// How the value is named in messages ("status", "event kind").
    static var noun: Message { get }
}

extension TextEnum {
    /// Parses a raw value case-insensitively, or throws naming the field.
    public static func parse(_ text: String, field: String) throws -> Self {
        if let value = Self(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) { return value }
        throw LinkStarError.unknownValue(noun, text, field: field, among: allCases.map(\.rawValue))
    }
}

extension ActionStatus: TextEnum { public static var noun: Message { "status" } }
extension ActionDecision: TextEnum { public static var noun: Message { "decision" } }
extension ActionKind: TextEnum { public static var noun: Message { "kind" } }
extension EventKind: TextEnum { public static var noun: Message { "event kind" } }
extension MetricDirection: TextEnum { public static var noun: Message { "direction" } }
extension MetricUnit: TextEnum { public static var noun: Message { "unit" } }
extension ReviewCadence: TextEnum { public static var noun: Message { "cadence" } }
extension Comparison: TextEnum { public static var noun: Message { "comparison" } }
