import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// The audit log. Parses, calls one use case, encodes: no rule lives here.
struct AuditController: ResourceController {
    let api: APISupport

    func register(_ r: Routes) {
        let db = api.database
        r.get("/audit") { req, _, _ in
            let entries = try await db.auditEntries(entity: try APISupport.entityQuery(req), actor: try APISupport.handleQuery(req, "person"), limit: 100_000)
            return try JSONResponse.make(try Page.of(entries, request: req))
        }
    }
}
