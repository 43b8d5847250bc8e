import Foundation
import GRDB
import LinkStarCore

/// A row of `action`.
struct ActionRecord: MutableSnakeCaseRecord, Equatable {
    static let databaseTableName = "action"
    var id: Int64?
    var title: String
    var layerKey: String
    var metricId: Int64
    var channel: String
    var market: String
    var device: String
    var kind: String
    var hypothesis: String
    var expected: String?
    var ownerId: Int64?
    var iceImpact: Int?
    var iceConfidence: Int?
    var iceEase: Int?
    var status: String
    var startedOn: Int?
    var stoppedOn: Int?
    var rampUpDays: Int
    var beforeFrom: Int?
    var beforeTo: Int?
    var controlChannel: String?
    var controlMarket: String?
    var controlDevice: String?
    var plannedSplitJson: String?
    var alpha: Double
    var verdict: String?
    var decision: String?
    var decisionReason: String?
    var replicatedFrom: Int64?
    var reviewId: Int64?
    /// Set when cancelled.
    var cancelReason: String? = nil
    var createdBy: String
    var createdAt: String
    var updatedAt: String

    enum Columns {
        static let id = Column("id")
        static let status = Column("status")
        static let metricId = Column("metric_id")
        static let layerKey = Column("layer_key")
        static let ownerId = Column("owner_id")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var segment: Segment { (try? Segment(channel: channel, market: market, device: device)) ?? .all }

    var controlSegment: Segment? {
        guard let controlChannel, let controlMarket, let controlDevice else { return nil }
        return try? Segment(channel: controlChannel, market: controlMarket, device: controlDevice)
    }

    var statusValue: ActionStatus { ActionStatus(rawValue: status) ?? .proposed }
}

extension DerivableRequest<ActionRecord> {
    /// Actions that are running (for collision checks).
    func running() -> Self { filter(ActionRecord.Columns.status == ActionStatus.running.rawValue) }
}

/// A row of `action_variant`.
struct ActionVariantRecord: SnakeCaseRecord, Equatable {
    static let databaseTableName = "action_variant"
    var actionId: Int64
    var variant: String
    var exposures: Int
    var conversions: Int
    var recordedBy: String
    var recordedAt: String
}

/// A row of `action_evaluation`.
struct ActionEvaluationRecord: MutableSnakeCaseRecord, Equatable {
    static let databaseTableName = "action_evaluation"
    var id: Int64?
    var actionId: Int64
    var purpose: String
    var checkpointDays: Int?
    var method: String
    var verdict: String
    var decayed: Bool?
    var resultJson: String
    var evaluatedBy: String
    var evaluatedAt: String

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `action_followup`.
struct ActionFollowupRecord: SnakeCaseRecord, Equatable {
    static let databaseTableName = "action_followup"
    var actionId: Int64
    var offsetDays: Int
    var dueOn: Int
    var evaluationId: Int64?
}
