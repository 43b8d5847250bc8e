import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// KPIs and their status. Parses, calls one use case, encodes: no rule lives here.
struct KPIsController: ResourceController {
    let api: APISupport

    struct KPIBody: Decodable {
        var metric: String; var layer: String?; var segment: String?; var owner: String?
        var baseline: Double?; var baselinePeriod: String?; var baselineFrom: String?; var baselineTo: String?; var target: Double?
        var warningBand: String?
        var currency: String?
    }
    struct KPIEditBody: Decodable {
        var owner: String?; var baseline: Double?; var baselinePeriod: String?; var target: Double?; var warningBand: String?; var currency: String?
    }
    struct RetireBody: Decodable { var reason: String }

    func register(_ r: Routes) {
        let db = api.database
        r.get("/kpis") { req, _, _ in
            let kpis = try await db.kpis(layer: try req.query("layer").map { try LayerKey.parse($0) }, metric: try APISupport.metricQuery(req), owner: try APISupport.handleQuery(req, "owner"))
            return try JSONResponse.make(try Page.of(kpis, request: req))
        }
        r.get("/kpis/status") { req, _, _ in
            let statuses = try await db.kpiStatus(period: try api.period(req), layer: try req.query("layer").map { try LayerKey.parse($0) },
                                                  owner: try APISupport.handleQuery(req, "owner"))
            return try JSONResponse.make(try Page.of(statuses, request: req))
        }
        r.get("/kpis/:id") { _, ctx, _ in try JSONResponse.make(try await db.kpi(id: try APISupport.id(ctx))) }
        r.put("/kpis", .kpiSet) { req, _, who in
            let input = try await api.body(KPIBody.self, req)
            // baseline_from/baseline_to (kept for existing clients) name the same period as baseline_period.
            let period = input.baselinePeriod ?? ((input.baselineFrom != nil || input.baselineTo != nil)
                ? "\(input.baselineFrom ?? "")..\(input.baselineTo ?? "")" : nil)
            let spec = try KPISpec.parse(metric: input.metric, layer: input.layer, segment: input.segment, owner: input.owner,
                                         baseline: input.baseline, baselinePeriod: period, target: input.target, warn: input.warningBand,
                                         currency: input.currency)
            let result = try await db.setKPI(spec, actor: who.handle)
            return try JSONResponse.make(result, status: result.outcome == .created ? .created : .ok)
        }
        r.patch("/kpis/:id", .kpiEdit) { req, ctx, who in
            let input = try await api.body(KPIEditBody.self, req)
            let changes = try KPISpec.parseEdit(owner: input.owner, baseline: input.baseline, baselinePeriod: input.baselinePeriod,
                                                target: input.target, warn: input.warningBand, currency: input.currency)
            return try JSONResponse.make(try await db.editKPI(id: try APISupport.id(ctx), changes, actor: who.handle))
        }
        r.post("/kpis/:id/retire", .kpiRetire) { req, ctx, who in
            let input = try await api.body(RetireBody.self, req)
            return try JSONResponse.make(try await db.retireKPI(id: try APISupport.id(ctx), reason: input.reason, actor: who.handle))
        }
    }
}
