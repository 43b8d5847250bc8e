import Foundation
import LinkStarCore
import Testing
@testable import LinkStarStore

@Suite("People and layers")
struct PeopleAndLayerTests {
    @Test("adding a person leaves exactly one audit entry; a duplicate is refused and leaves none")
    func addPerson() async throws {
        let database = try await Fixture.workspace()
        let before = try await database.auditEntryCount()
        let person = try await database.addPerson(NewPerson(handle: "Lin.Wei", displayName: "Lin Wei 林伟", role: .admin), actor: "boss")
        #expect(person.handle == "lin.wei")
        #expect(try await database.auditEntryCount() == before + 1)
        let entry = try #require(try await database.auditEntries(limit: 1).first)
        #expect(entry.action == "person.add")
        #expect(entry.actor == "boss")
        #expect(entry.entityId == "lin.wei")
        #expect(entry.before == nil)

        let error = await #expect(throws: LinkStarError.self) {
            try await database.addPerson(NewPerson(handle: "lin.wei", displayName: "Other", role: .viewer), actor: "boss")
        }
        #expect(error?.kind == .conflict)
        #expect(try await database.auditEntryCount() == before + 1)
        #expect(try await database.people().count == 1)
    }

    @Test("layer assign leaves one audit entry with before and after; repeating it changes nothing")
    func assign() async throws {
        let database = try await Fixture.workspace()
        _ = try await database.addPerson(NewPerson(handle: "zhang.min", displayName: "Zhang Min", role: .editor), actor: "a")
        _ = try await database.addPerson(NewPerson(handle: "lin.wei", displayName: "Lin Wei", role: .admin), actor: "a")
        let count = try await database.auditEntryCount()

        let result = try await database.assignLayer(.traffic, owner: "zhang.min", backup: "lin.wei", actor: "lin.wei")
        #expect(result.outcome.rawValue == "updated")
        #expect(result.layer.owner == "zhang.min")
        #expect(result.layer.backupOwner == "lin.wei")
        #expect(try await database.auditEntryCount() == count + 1)
        let entry = try #require(try await database.auditEntries(entity: "layer", entityId: "traffic").first)
        #expect(entry.before == .object(["owner": .null, "backup_owner": .null]))
        #expect(entry.after == .object(["owner": .string("zhang.min"), "backup_owner": .string("lin.wei")]))

        let again = try await database.assignLayer(.traffic, owner: "zhang.min", backup: nil, actor: "lin.wei")
        #expect(again.outcome.rawValue == "unchanged")
        #expect(try await database.auditEntryCount() == count + 1)
    }

    @Test("unknown owner is refused with a suggestion and writes nothing; owner and backup must differ")
    func assignRefusals() async throws {
        let database = try await Fixture.workspace()
        _ = try await database.addPerson(NewPerson(handle: "zhang.min", displayName: "Zhang Min", role: .editor), actor: "a")
        let count = try await database.auditEntryCount()
        let unknown = await #expect(throws: LinkStarError.self) {
            try await database.assignLayer(.traffic, owner: "zhang.mim", backup: nil, actor: "a")
        }
        #expect(unknown?.kind == .notFound)
        #expect(unknown?.message.contains("did you mean 'zhang.min'") == true)
        let same = await #expect(throws: LinkStarError.self) {
            try await database.assignLayer(.traffic, owner: "zhang.min", backup: "zhang.min", actor: "a")
        }
        #expect(same?.kind == .invalid)
        #expect(try await database.auditEntryCount() == count)
        #expect(try await database.layers()[0].owner == nil)
    }

    @Test("layers list top to bottom with names and current playbook")
    func layers() async throws {
        let database = try await Fixture.workspace()
        let layers = try await database.layers()
        #expect(layers.map(\.key) == LayerKey.allCases)
        #expect(layers.map(\.nameZh) == ["流量层", "承接层", "转化层", "留存层", "反哺层"])
        for layer in layers {
            let playbook = try #require(layer.playbook)
            #expect(playbook.version == 1)
            #expect(playbook.contentHash.count == 64)
        }
        let detail = try await database.layer(.conversion)
        #expect(detail.checklist.count >= 6)
    }

    @Test("seeding twice adds nothing and writes no audit entry")
    func seedTwice() async throws {
        let database = try await Fixture.workspace()
        let count = try await database.auditEntryCount()
        let report = try await database.seedDefaults(actor: "x")
        #expect(!report.changed)
        #expect(try await database.auditEntryCount() == count)
        #expect(try await database.metrics().count == MetricCatalog.all.count)
    }
}

@Suite("KPIs")
struct KPITests {
    func workspaceWithTeam() async throws -> WorkspaceDatabase {
        let database = try await Fixture.workspace()
        _ = try await database.addPerson(NewPerson(handle: "chen.jie", displayName: "Chen Jie", role: .editor), actor: "a")
        _ = try await database.addPerson(NewPerson(handle: "wang.fang", displayName: "Wang Fang", role: .editor), actor: "a")
        _ = try await database.assignLayer(.conversion, owner: "chen.jie", backup: nil, actor: "a")
        return database
    }

    let september = try! DayRange(parsing: "2026-09")

    @Test("kpi set creates with one audit entry; owner defaults to the layer owner; layer defaults to the metric's")
    func create() async throws {
        let database = try await workspaceWithTeam()
        let count = try await database.auditEntryCount()
        let result = try await database.setKPI(KPISpec(
            metric: "checkout_to_order_rate", segment: try Segment(parsing: "*/MY/mobile"),
            baseline: Baseline(value: 0.62, period: september), target: 0.68), actor: "chen.jie")
        #expect(result.outcome.rawValue == "created")
        let kpi = result.kpi
        #expect(kpi.layer == .conversion)
        #expect(kpi.owner == "chen.jie")
        #expect(kpi.ownerSource?.rawValue == "layer")
        #expect(kpi.baseline == BaselineView(value: 0.62, from: september.from, to: september.to))
        #expect(kpi.warningBand == .relative(0.1))
        #expect(try await database.auditEntryCount() == count + 1)
        let entry = try #require(try await database.auditEntries(entity: "kpi").first)
        #expect(entry.action == "kpi.create")
        #expect(entry.entityId == String(kpi.id))
    }

    @Test("kpi set on the same scope updates only the given fields; unchanged writes nothing")
    func update() async throws {
        let database = try await workspaceWithTeam()
        let created = try await database.setKPI(KPISpec(metric: "conversion_rate", target: 0.02), actor: "a").kpi
        let count = try await database.auditEntryCount()
        let updated = try await database.setKPI(KPISpec(metric: "conversion_rate", ownerHandle: "wang.fang",
                                                        warningBand: .absolute(0.002)), actor: "a")
        #expect(updated.outcome.rawValue == "updated")
        #expect(updated.kpi.id == created.id)
        #expect(updated.kpi.target == 0.02)
        #expect(updated.kpi.owner == "wang.fang")
        #expect(updated.kpi.ownerSource?.rawValue == "kpi")
        #expect(try await database.auditEntryCount() == count + 1)
        let entry = try #require(try await database.auditEntries(entity: "kpi", entityId: String(created.id)).first)
        #expect(entry.action == "kpi.update")
        guard case .object(let before)? = entry.before, case .object(let after)? = entry.after else {
            Issue.record("expected objects")
            return
        }
        #expect(before["owner"] == .string("chen.jie"))
        #expect(after["owner"] == .string("wang.fang"))

        let same = try await database.setKPI(KPISpec(metric: "conversion_rate", target: 0.02), actor: "a")
        #expect(same.outcome.rawValue == "unchanged")
        #expect(try await database.auditEntryCount() == count + 1)
        // A different market is a different KPI: targets can differ per market.
        let jp = try await database.setKPI(KPISpec(metric: "conversion_rate", segment: try Segment(parsing: "*/JP/*"), target: 0.015), actor: "a")
        #expect(jp.outcome.rawValue == "created")
        #expect(try await database.kpis(metric: "conversion_rate").count == 2)
    }

    @Test("rejected KPIs write nothing", arguments: [
        "ratio target above 1", "unknown metric", "unknown owner", "negative baseline",
    ])
    func rejected(_ name: String) async throws {
        let database = try await workspaceWithTeam()
        let count = try await database.auditEntryCount()
        let spec: KPISpec = switch name {
        case "ratio target above 1": KPISpec(metric: "conversion_rate", target: 2.5)
        case "unknown metric": KPISpec(metric: "conversion_rat", target: 0.02)
        case "unknown owner": KPISpec(metric: "conversion_rate", ownerHandle: "nobody", target: 0.02)
        default: KPISpec(metric: "sessions", baseline: Baseline(value: -5, period: september))
        }
        let error = await #expect(throws: LinkStarError.self) { try await database.setKPI(spec, actor: "a") }
        #expect(error?.details.first?.field != nil)
        #expect(try await database.auditEntryCount() == count)
        #expect(try await database.kpis().isEmpty)
    }

    @Test("filters by layer and effective owner; unknown id is not found")
    func filters() async throws {
        let database = try await workspaceWithTeam()
        _ = try await database.setKPI(KPISpec(metric: "conversion_rate", target: 0.02), actor: "a")
        _ = try await database.setKPI(KPISpec(metric: "ctr", target: 0.02), actor: "a")
        _ = try await database.setKPI(KPISpec(metric: "aov", ownerHandle: "wang.fang", target: 40, currency: "USD"), actor: "a")
        #expect(try await database.kpis(layer: .conversion).count == 2)
        #expect(try await database.kpis(owner: "chen.jie").map(\.metric) == ["conversion_rate"])
        #expect(try await database.kpis(owner: "wang.fang").map(\.metric) == ["aov"])
        let unowned = try await database.kpis(layer: .traffic)
        #expect(unowned.first?.owner == nil)
        #expect(unowned.first?.ownerSource == nil)
        let missing = await #expect(throws: LinkStarError.self) { try await database.kpi(id: 999) }
        #expect(missing?.kind == .notFound)
    }
}

@Suite("Metric definitions")
struct MetricDefinitionTests {
    @Test("define a base and a derived custom metric, each audited")
    func define() async throws {
        let database = try await Fixture.workspace()
        let count = try await database.auditEntryCount()
        _ = try await database.defineMetric(NewMetric(key: "live_viewers", definition: "TikTok live unique viewers",
                                                      unit: .count, direction: .up, layer: .traffic), actor: "a")
        let derived = try await database.defineMetric(NewMetric(
            key: "live_click_rate", definition: "clicks per live viewer", direction: .up, layer: .traffic,
            formula: try MetricFormula(parsing: "clicks / live_viewers")), actor: "a")
        #expect(derived.unit == .ratio)
        #expect(derived.formula == "clicks / live_viewers")
        #expect(try await database.auditEntryCount() == count + 2)
        #expect(try await database.metric("live_click_rate").builtin == false)
        let error = await #expect(throws: LinkStarError.self) {
            try await database.defineMetric(NewMetric(key: "bad_rate", definition: "d", direction: .up, layer: .traffic,
                                                      formula: MetricFormula(numerator: "live_viewerz", denominator: "sessions")), actor: "a")
        }
        #expect(error?.message.contains("did you mean 'live_viewers'") == true)
        #expect(try await database.auditEntryCount() == count + 2)
    }
}
