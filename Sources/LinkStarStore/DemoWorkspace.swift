import Foundation
import LinkStarCore
import Logging

/// Builds the demo workspace: a cross-border team with owners, KPIs and playbooks,
/// through the same use cases the CLI calls.
public enum DemoWorkspace {
    /// What the demo created.
    public struct Report: Codable, Sendable, NullPreservingEncodable {
        public var database: String
        public var playbookDirectory: String
        public var people: Int
        public var kpis: Int
    }

    /// Creates the demo in `location`; refuses a folder that already holds a workspace.
    public static func build(_ location: WorkspaceLocation, clock: @escaping @Sendable () -> Date = { Date() },
                             logger: Logger = Logger(label: "linkstar.demo")) async throws -> Report {
        if FileManager.default.fileExists(atPath: location.databasePath) {
            throw LinkStarError(.conflict, "\(location.databasePath) already exists; the demo needs an empty folder")
        }
        let admin = "lin.wei"
        _ = try await Workspace.initialize(location, actor: admin, clock: clock, logger: logger)
        let database = try Workspace.open(location, clock: clock, logger: logger)

        let people: [NewPerson] = [
            NewPerson(handle: "lin.wei", displayName: "Lin Wei 林伟", role: .admin, contact: "feishu:linwei"),
            NewPerson(handle: "zhang.min", displayName: "Zhang Min 张敏 (ad buyer 投手)", role: .editor),
            NewPerson(handle: "wang.fang", displayName: "Wang Fang 王芳 (site & content)", role: .editor),
            NewPerson(handle: "chen.jie", displayName: "Chen Jie 陈杰 (CRO)", role: .editor),
            NewPerson(handle: "li.na", displayName: "Li Na 李娜 (CRM)", role: .editor),
            NewPerson(handle: "zhou.qiang", displayName: "Zhou Qiang 周强 (customer service 客服)", role: .editor),
            NewPerson(handle: "sun.li", displayName: "Sun Li 孙丽 (GM)", role: .viewer),
        ]
        for person in people { _ = try await database.addPerson(person, actor: admin) }

        let owners: [(LayerKey, String, String)] = [
            (.traffic, "zhang.min", "lin.wei"), (.landing, "wang.fang", "chen.jie"),
            (.conversion, "chen.jie", "wang.fang"), (.retention, "li.na", "zhou.qiang"),
            (.feedback, "lin.wei", "zhang.min"),
        ]
        for (layer, owner, backup) in owners {
            _ = try await database.assignLayer(layer, owner: owner, backup: backup, actor: admin)
        }

        let today = Day(clock())
        let baselinePeriod = try DayRange(from: today.adding(days: -30), to: today.adding(days: -1))
        func kpi(_ metric: String, _ segment: String, baseline: Double?, target: Double, band: WarningBand? = nil,
                 owner: String? = nil) throws -> KPISpec {
            KPISpec(metric: metric, segment: try Segment(parsing: segment), ownerHandle: owner,
                    baseline: baseline.map { Baseline(value: $0, period: baselinePeriod) }, target: target, warningBand: band)
        }
        let kpis: [KPISpec] = [
            try kpi("sessions", "*/*/*", baseline: 42_000, target: 50_000),
            try kpi("ctr", "*/*/*", baseline: 0.018, target: 0.022, band: .absolute(0.002)),
            try kpi("roas", "amazon/US/*", baseline: 3.1, target: 3.5),
            try kpi("bounce_rate", "*/*/mobile", baseline: 0.58, target: 0.50, band: .absolute(0.03)),
            try kpi("visit_to_cart_rate", "*/*/*", baseline: 0.085, target: 0.10),
            try kpi("checkout_to_order_rate", "*/*/*", baseline: 0.71, target: 0.74, band: .absolute(0.02)),
            try kpi("checkout_to_order_rate", "*/MY/mobile", baseline: 0.62, target: 0.68, band: .absolute(0.03)),
            try kpi("cart_abandonment_rate", "*/*/*", baseline: 0.72, target: 0.65, band: .absolute(0.03)),
            try kpi("conversion_rate", "shopify/US/*", baseline: 0.021, target: 0.026, owner: "wang.fang"),
            try kpi("repeat_purchase_rate", "*/*/*", baseline: 0.18, target: 0.22),
            try kpi("refund_rate", "*/DE/*", baseline: 0.045, target: 0.035, band: .absolute(0.005), owner: "zhou.qiang"),
            // Deliberately without a baseline: the tool flags it.
            try kpi("email_ctr", "*/*/*", baseline: nil, target: 0.03),
        ]
        for spec in kpis { _ = try await database.setKPI(spec, actor: admin) }
        return Report(database: location.databasePath, playbookDirectory: location.playbookDirectory,
                      people: people.count, kpis: kpis.count)
    }
}
