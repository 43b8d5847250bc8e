import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// The metric catalog. Parses, calls one use case, encodes: no rule lives here.
struct MetricsController: ResourceController {
    let api: APISupport

    struct NewMetricBody: Decodable {
        var key: String; var definition: String; var direction: String; var layer: String
        var unit: String?; var formula: String?; var name: String?; var unbounded: Bool?
    }

    func register(_ r: Routes) {
        let db = api.database
        r.get("/metrics") { req, _, _ in
            try JSONResponse.make(try Page.of(try await db.metrics(layer: try req.query("layer").map { try LayerKey.parse($0) }), request: req))
        }
        r.get("/metrics/:key") { _, ctx, _ in try JSONResponse.make(try await db.metric(APISupport.param(ctx, "key"))) }
        r.post("/metrics", .metricDefine) { req, _, who in
            let input = try await api.body(NewMetricBody.self, req)
            let metric = try await db.defineMetric(try NewMetric.parse(key: input.key, name: input.name, definition: input.definition,
                                                                       unit: input.unit, direction: input.direction, layer: input.layer,
                                                                       formula: input.formula, unbounded: input.unbounded ?? false), actor: who.handle)
            return try JSONResponse.make(metric, status: .created)
        }
    }
}
