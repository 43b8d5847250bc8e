import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// The compliance check. Parses, calls one use case, encodes: no rule lives here.
struct ComplianceController: ResourceController {
    let api: APISupport

    func register(_ r: Routes) {
        let db = api.database
        r.get("/check") { req, _, _ in try JSONResponse.make(try await db.complianceCheck(today: try api.today(req))) }
    }
}
