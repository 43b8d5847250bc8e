import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// The funnel and the scorecard. Parses, calls one use case, encodes: no rule lives here.
struct ReportsController: ResourceController {
    let api: APISupport

    func register(_ r: Routes) {
        let db = api.database
        r.get("/funnel") { req, ctx, _ in
            let compare = try APISupport.queryParameter { try req.query("compare").map { try Comparison.parse($0, field: "compare") } ?? .previous }
            return try await api.cached(req, ctx) {
                let period = try api.period(req), segment = try APISupport.segmentQuery(req)
                return { try await db.funnel(period: period, segment: segment, compare: compare) }
            }
        }
        r.get("/scorecard") { req, _, _ in try JSONResponse.make(try await db.scorecard(period: try api.period(req), owner: try APISupport.handleQuery(req, "owner"))) }
    }
}
