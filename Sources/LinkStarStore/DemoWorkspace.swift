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
        public var dataFile: String
        public var importSummary: ImportSummary
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
        // Counts and amounts are per day; rates are ratios of summed counts.
        let kpis: [KPISpec] = [
            try kpi("sessions", "*/*/*", baseline: 16_500, target: 18_000),
            try kpi("ctr", "*/*/*", baseline: 0.0245, target: 0.026, band: .absolute(0.002)),
            try kpi("roas", "shopee/MY/*", baseline: 6.4, target: 7),
            try kpi("bounce_rate", "*/*/mobile", baseline: 0.445, target: 0.42, band: .absolute(0.03)),
            try kpi("visit_to_cart_rate", "*/*/*", baseline: 0.087, target: 0.095),
            try kpi("checkout_to_order_rate", "*/*/*", baseline: 0.71, target: 0.74, band: .absolute(0.02)),
            try kpi("checkout_to_order_rate", "*/MY/mobile", baseline: 0.72, target: 0.75, band: .absolute(0.03)),
            try kpi("cart_abandonment_rate", "*/*/*", baseline: 0.61, target: 0.60, band: .absolute(0.03)),
            try kpi("conversion_rate", "shopee/MY/*", baseline: 0.033, target: 0.036, owner: "wang.fang"),
            try kpi("aov", "*/MY/*", baseline: 84, target: 86, band: .relative(0.05)),
            try kpi("repeat_purchase_rate", "*/*/*", baseline: 0.19, target: 0.21),
            try kpi("refund_rate", "*/TH/*", baseline: 0.032, target: 0.03, band: .absolute(0.005), owner: "zhou.qiang"),
            // Deliberately without a baseline: the tool flags it.
            try kpi("email_ctr", "*/*/*", baseline: nil, target: 0.03),
        ]
        for spec in kpis { _ = try await database.setKPI(spec, actor: admin) }

        // 180 days of observations, written as a long CSV export and imported through the importer.
        let dataFile = URL(fileURLWithPath: location.playbookDirectory).deletingLastPathComponent()
            .appendingPathComponent("demo-export.csv").path
        try DemoData.csv(today: today).write(toFile: dataFile, atomically: true, encoding: .utf8)
        let summary = try database.importObservations(
            from: try FileByteSource(path: dataFile), request: ImportRequest(fileName: "demo-export.csv", format: "long"),
            actor: "zhang.min")
        return Report(database: location.databasePath, playbookDirectory: location.playbookDirectory,
                      people: people.count, kpis: kpis.count, dataFile: dataFile, importSummary: summary)
    }
}
