import Foundation
import LinkStarCore
import Logging

/// Builds the demo workspace: a cross-border team with owners, KPIs and playbooks,
/// through the same use cases the CLI calls.
public enum DemoWorkspace {
    /// What the demo created.
    public struct Report: Codable, Sendable {
        public var database: String
        public var playbookDirectory: String
        public var people: Int
        public var kpis: Int
        public var dataFile: String
        public var importSummary: ImportSummary
    }

    /// Actions in every state: a won A/B test, a before/after with a control segment, a win whose
    /// follow-ups show decay, a Prime-Day-confounded evaluation, one running, some proposed.
    static func addActions(_ database: WorkspaceDatabase, today: Day, language: Language) async throws {
        func t(_ text: String) -> String { Message.term(text).text(language) }
        func day(_ offset: Int) -> Day { today.adding(days: -offset) }
        // The demo back-fills history; today's review state must not gate it.
        let backfill = GateOverride(reason: t("demo: back-filled history"))
        func segment(_ text: String) throws -> Segment { try Segment(parsing: text) }

        _ = try await database.addEvent(NewEvent(kind: .promo, title: t("Prime Day 2026"), period: try DayRange(from: day(138), to: day(137)),
                                                 segment: .all), actor: "lin.wei")
        _ = try await database.addEvent(NewEvent(kind: .promo, title: "11.11", period: try DayRange(from: day(14), to: day(14)),
                                                 segment: .all), actor: "lin.wei")

        // 1. A won A/B test, replicated to lazada.
        let ab = try await database.logAction(NewAction(
            title: t("Trust badges on the payment step"), layer: .conversion, metric: "checkout_to_order_rate",
            segment: try segment("shopee/SG/*"), kind: .abTest, hypothesis: t("Buyers abandon at payment when they doubt the shop; badges reassure them"),
            ice: ICEScore(impact: 7, confidence: 7, ease: 9), expected: t("+3pp checkout_to_order_rate")), override: backfill, actor: "chen.jie").action.id
        _ = try await database.startAction(id: ab, on: day(60), override: backfill, actor: "chen.jie")
        _ = try await database.recordVariant(id: ab, variant: "control", exposures: 8_000, conversions: 5_600, actor: "chen.jie")
        _ = try await database.recordVariant(id: ab, variant: "treatment", exposures: 8_050, conversions: 5_900, actor: "chen.jie")
        _ = try await database.stopAction(id: ab, on: day(46), actor: "chen.jie")
        _ = try await database.evaluateAction(id: ab, actor: "chen.jie")
        _ = try await database.replicateAction(id: ab, segment: try segment("lazada/SG/*"), actor: "chen.jie")

        // 2. Before/after with a control segment: the difference-in-differences finds no effect.
        let did = try await database.logAction(NewAction(
            title: t("New hero banner on lazada TH mobile"), layer: .landing, metric: "visit_to_cart_rate",
            segment: try segment("lazada/TH/mobile"), kind: .page, hypothesis: t("A clearer hero image sends more visitors to the product"),
            controlSegment: try segment("lazada/MY/mobile")), override: backfill, actor: "wang.fang").action.id
        _ = try await database.startAction(id: did, on: day(40), override: backfill, actor: "wang.fang")
        _ = try await database.stopAction(id: did, on: day(27), actor: "wang.fang")
        _ = try await database.evaluateAction(id: did, actor: "wang.fang")
        _ = try await database.concludeAction(id: did, decision: .archive, reason: t("no measurable effect against the MY control"), actor: "wang.fang")

        // 3. A win whose effect decays: the +30 and +90 day follow-ups flag it.
        let decay = try await database.logAction(NewAction(
            title: t("Product video on shopee SG mobile"), layer: .landing, metric: "visit_to_cart_rate",
            segment: try segment("shopee/SG/mobile"), kind: .page, hypothesis: t("Video answers fit and size questions"),
            ice: ICEScore(impact: 6, confidence: 5, ease: 6)), override: backfill, actor: "wang.fang").action.id
        _ = try await database.startAction(id: decay, on: day(120), override: backfill, actor: "wang.fang")
        _ = try await database.stopAction(id: decay, on: day(106), actor: "wang.fang")
        _ = try await database.evaluateAction(id: decay, actor: "wang.fang")
        _ = try await database.concludeAction(id: decay, decision: .archive, reason: t("kept live as the default"), actor: "wang.fang")
        _ = try await database.followUpAction(id: decay, today: today, actor: "lin.wei")

        // 4. An evaluation confounded by Prime Day.
        let confounded = try await database.logAction(NewAction(
            title: t("Bigger coupon bar on shopee TH"), layer: .conversion, metric: "conversion_rate",
            segment: try segment("shopee/TH/*"), kind: .promotion, hypothesis: t("A visible coupon converts hesitant visitors")), override: backfill, actor: "chen.jie").action.id
        _ = try await database.startAction(id: confounded, on: day(140), override: backfill, actor: "chen.jie")
        _ = try await database.stopAction(id: confounded, on: day(127), actor: "chen.jie")
        _ = try await database.evaluateAction(id: confounded, actor: "chen.jie")

        // 5. Running and proposed.
        let running = try await database.logAction(NewAction(
            title: t("TikTok live sessions for MY"), layer: .traffic, metric: "sessions", segment: try segment("*/MY/*"), kind: .ads,
            hypothesis: t("Live shopping brings new visitors at a lower cost"), ice: ICEScore(impact: 7, confidence: 4, ease: 5)), override: backfill, actor: "zhang.min").action.id
        _ = try await database.startAction(id: running, on: day(5), override: backfill, actor: "zhang.min")
        _ = try await database.logAction(NewAction(
            title: t("Fix MY mobile payment step (COD timeout)"), layer: .conversion, metric: "checkout_to_order_rate",
            segment: try segment("*/MY/mobile"), kind: .page, hypothesis: t("The MY mobile drop started with the payment SDK update; COD times out"),
            ice: ICEScore(impact: 10, confidence: 8, ease: 7), expected: t("back to 72% checkout_to_order_rate")), override: backfill, actor: "chen.jie")
        _ = try await database.logAction(NewAction(
            title: t("Abandoned-cart email in Thai"), layer: .retention, metric: "email_ctr", segment: try segment("*/TH/*"), kind: .email,
            hypothesis: t("Thai buyers ignore English emails"), ice: ICEScore(impact: 5, confidence: 6, ease: 8)), override: backfill, actor: "li.na")
    }

    /// A closed traffic review with its pack, an open conversion review with generated items; the other
    /// layers' and the funnel's reviews are left undone, so they show as overdue.
    static func addReviews(_ database: WorkspaceDatabase, today: Day, language: Language) async throws {
        func t(_ text: String) -> String { Message.term(text).text(language) }
        try await database.configureReviews(funnelOwner: "lin.wei", funnelCadence: nil, funnelDay: nil, graceDays: nil, actor: "lin.wei")
        let traffic = try await database.startReview(.layer(.traffic), today: today, actor: "zhang.min")
        for item in traffic.items where !item.optional {
            _ = try await database.setReviewItem(traffic.id, item: item.position, checked: true,
                                                 note: item.source == .playbook ? t("done in the Monday meeting") : t("cause recorded: see findings"),
                                                 actor: "zhang.min")
        }
        _ = try await database.addReviewNote(traffic.id, kind: "finding", text: t("CTR dipped on mobile after the main-image change on shopee MY"), actor: "zhang.min")
        _ = try await database.addReviewNote(traffic.id, kind: "decision", text: t("Move 10% of the SG budget to MY shopee search ads"), actor: "zhang.min")
        _ = try await database.closeReview(traffic.id, actor: "zhang.min")

        let conversion = try await database.startReview(.layer(.conversion), today: today, actor: "chen.jie")
        _ = try await database.setReviewItem(conversion.id, item: 1, checked: true, note: t("MY mobile checkout → order fell from 72% to 45%"), actor: "chen.jie")
        _ = try await database.addReviewNote(conversion.id, kind: "finding", text: t("The MY mobile drop started with the payment SDK update"), actor: "chen.jie")
    }

    /// Creates the demo in `location`; refuses a folder that already holds a workspace.
    /// `language`: the language of its playbooks, titles and notes (and its `lang` setting when not English).
    public static func build(_ location: WorkspaceLocation, language: Language = .en, clock: @escaping @Sendable () -> Date = { Date() },
                             logger: Logger = Logger(label: "linkstar.demo")) async throws -> Report {
        if FileManager.default.fileExists(atPath: location.databasePath) {
            throw LinkStarError(.conflict, "\(location.databasePath) already exists; the demo needs an empty folder")
        }
        let admin = "lin.wei"
        let people: [NewPerson] = [
            NewPerson(handle: "lin.wei", displayName: "Lin Wei 林伟", role: .admin, contact: "feishu:linwei"),
            NewPerson(handle: "zhang.min", displayName: "Zhang Min 张敏 (ad buyer 投手)", role: .editor),
            NewPerson(handle: "wang.fang", displayName: "Wang Fang 王芳 (site & content)", role: .editor),
            NewPerson(handle: "chen.jie", displayName: "Chen Jie 陈杰 (CRO)", role: .editor),
            NewPerson(handle: "li.na", displayName: "Li Na 李娜 (CRM)", role: .editor),
            NewPerson(handle: "zhou.qiang", displayName: "Zhou Qiang 周强 (customer service 客服)", role: .editor),
            NewPerson(handle: "sun.li", displayName: "Sun Li 孙丽 (GM)", role: .viewer),
        ]
        // The admin who builds the demo is its first person (as `init` makes whoever runs it the first admin).
        func t(_ text: String) -> String { Message.term(text).text(language) }
        _ = try await Workspace.initialize(location, actor: admin, firstAdmin: people[0], playbookLanguage: language,
                                           defaultLanguage: language == .en ? nil : language, clock: clock, logger: logger)
        let database = try Workspace.open(location, clock: clock, logger: logger)
        // The demo team has worked with LinkStar for as long as its data goes back.
        _ = try await database.seedDefaults(actor: admin, since: database.today().adding(days: -180))

        for person in people.dropFirst() { _ = try await database.addPerson(person, actor: admin) }

        let owners: [(LayerKey, String, String)] = [
            (.traffic, "zhang.min", "lin.wei"), (.landing, "wang.fang", "chen.jie"),
            (.conversion, "chen.jie", "wang.fang"), (.retention, "li.na", "zhou.qiang"),
            (.feedback, "lin.wei", "zhang.min"),
        ]
        for (layer, owner, backup) in owners {
            _ = try await database.assignLayer(layer, owner: owner, backup: backup, actor: admin)
        }

        let today = database.today()
        let baselinePeriod = try DayRange(from: today.adding(days: -30), to: today.adding(days: -1))
        func kpi(_ metric: String, _ segment: String, baseline: Double?, target: Double, band: WarningBand? = nil,
                 owner: String? = nil, currency: String? = nil) throws -> KPISpec {
            KPISpec(metric: metric, segment: try Segment(parsing: segment), ownerHandle: owner,
                    baseline: baseline.map { Baseline(value: $0, period: baselinePeriod) }, target: target, warningBand: band,
                    currency: currency)
        }
        // Counts and amounts are per day; rates are ratios of summed counts.
        let kpis: [KPISpec] = [
            try kpi("sessions", "*/*/*", baseline: 16_500, target: 18_000),
            try kpi("ctr", "*/*/*", baseline: 0.0245, target: 0.026, band: .absolute(0.002)),
            try kpi("roas", "shopee/MY/*", baseline: 2.3, target: 2.6),
            try kpi("tacos", "*/MY/*", baseline: 0.11, target: 0.10, band: .absolute(0.01)),
            try kpi("bounce_rate", "*/*/mobile", baseline: 0.445, target: 0.42, band: .absolute(0.03)),
            try kpi("visit_to_cart_rate", "*/*/*", baseline: 0.087, target: 0.095),
            try kpi("checkout_to_order_rate", "*/*/*", baseline: 0.71, target: 0.74, band: .absolute(0.02)),
            try kpi("checkout_to_order_rate", "*/MY/mobile", baseline: 0.72, target: 0.75, band: .absolute(0.03)),
            try kpi("cart_abandonment_rate", "*/*/*", baseline: 0.61, target: 0.60, band: .absolute(0.03)),
            try kpi("conversion_rate", "shopee/MY/*", baseline: 0.033, target: 0.036, owner: "wang.fang"),
            try kpi("aov", "*/MY/*", baseline: 84, target: 86, band: .relative(0.05), currency: "MYR"),
            try kpi("repeat_purchase_rate", "*/*/*", baseline: 0.19, target: 0.21),
            try kpi("refund_rate", "*/TH/*", baseline: 0.032, target: 0.03, band: .absolute(0.005), owner: "zhou.qiang"),
            // The feedback layer is accountable for the loop itself.
            try kpi("fresh_series_share", "*/*/*", baseline: 0.95, target: 1, band: .absolute(0.05)),
            try kpi("review_on_time_share", "*/*/*", baseline: 0.5, target: 1, band: .absolute(0.25)),
            try kpi("win_share", "*/*/*", baseline: 0.3, target: 0.4, band: .absolute(0.1)),
            try kpi("actions_evaluated", "*/*/*", baseline: 1, target: 2, band: .absolute(1)),
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
        try await addActions(database, today: today, language: language)
        // A recent evaluation, made two days ago (the database's clock set to then), for the loop-health KPIs.
        let twoDaysAgo = database.clock().addingTimeInterval(-2 * 86_400)
        let recent = try Workspace.open(location, clock: { twoDaysAgo }, logger: logger)
        let free = try await recent.logAction(NewAction(
            title: t("Free-shipping threshold banner on shopee MY"), layer: .conversion, metric: "conversion_rate",
            segment: try Segment(parsing: "shopee/MY/desktop"), kind: .page, hypothesis: t("A visible threshold lifts small baskets over it")),
            override: GateOverride(reason: t("demo: back-filled history")), actor: "chen.jie").action.id
        _ = try await recent.startAction(id: free, on: today.adding(days: -30), override: GateOverride(reason: t("demo: back-filled history")), actor: "chen.jie")
        _ = try await recent.stopAction(id: free, on: today.adding(days: -16), actor: "chen.jie")
        _ = try await recent.evaluateAction(id: free, actor: "chen.jie")
        try await addReviews(database, today: today, language: language)
        return Report(database: location.databasePath, playbookDirectory: location.playbookDirectory,
                      people: people.count, kpis: kpis.count, dataFile: dataFile, importSummary: summary)
    }
}
