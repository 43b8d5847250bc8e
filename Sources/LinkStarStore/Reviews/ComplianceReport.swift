import Foundation
import GRDB
import LinkStarCore

/// `linkstar check`: everything that breaks the process.
public struct ComplianceReport: Codable, Sendable, Equatable, NullPreservingEncodable {
    public struct KPIRef: Codable, Sendable, Equatable, NullPreservingEncodable {
        public var id: Int64
        public var layer: LayerKey
        public var metric: String
        public var segment: Segment
    }
    public struct ActionRef: Codable, Sendable, Equatable, NullPreservingEncodable {
        public var id: Int64
        public var title: String
        public var layer: LayerKey
        public var owner: String?
        public var detail: String
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
    public var problemCount: Int
    public var clean: Bool
}
