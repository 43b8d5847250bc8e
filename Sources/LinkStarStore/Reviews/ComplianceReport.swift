import Foundation
import GRDB
import LinkStarCore

/// `linkstar check`: everything that breaks the process.
public struct ComplianceReport: Codable, Sendable, Equatable {
    public struct KPIRef: Codable, Sendable, Equatable {
        public var id: Int64
        public var layer: LayerKey
        public var metric: String
        public var segment: Segment
    }
    public struct ActionRef: Codable, Sendable, Equatable {
        public var id: Int64
        public var title: String
        public var layer: LayerKey
        public var owner: String?
        public var detail: Message
    }
    public var today: Day
    public var unownedLayers: [LayerKey]
    public var unownedFunnelReview: Bool
    public var unownedKpis: [KPIRef]
    public var kpisWithoutBaseline: [KPIRef]
    public var kpisWithoutTarget: [KPIRef]
    public var overdueReviews: [ReviewDue]
    public var actionsAwaitingEvaluation: [ActionRef]
    public var followupsDue: [ActionRef]
    public var staleSeries: [StaleSeries]
    /// Layers and KPIs still owned (or backed up) by a deactivated person: `layer:traffic`, `kpi:3`, with the handle.
    public var inactiveOwners: [InactiveOwner]
    public var problemCount: Int
    public var clean: Bool
}

/// Something a deactivated person still owns.
public struct InactiveOwner: Codable, Sendable, Equatable {
    public var person: String
    /// `layer:traffic` (owner), `layer:traffic:backup`, or `kpi:3`.
    public var owns: String
}
