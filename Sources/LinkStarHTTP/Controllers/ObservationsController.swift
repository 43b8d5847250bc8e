import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// Observations in, imports listed. Parses, calls one use case, encodes: no rule lives here.
struct ObservationsController: ResourceController {
    let api: APISupport

    /// Its keys and its observations' keys are single words (`JSONWireKeys`): decoded without key conversion.
    struct ObservationBatch: JSONWireKeys { var observations: [ObservationInput] }
    struct RevertBody: Decodable { var force: Bool? }

    func register(_ r: Routes) {
        let db = api.database
        r.post("/observations", .importObservations) { req, _, who in
            let batch = try await api.body(ObservationBatch.self, req)
            let summary = try db.importObservations(batch.observations, actor: who.handle)
            return try JSONResponse.make(summary, status: summary.outcome == .imported ? .created : .ok)
        }
        r.get("/imports") { req, _, _ in try JSONResponse.make(try Page.of(try await db.imports(limit: 100_000), request: req)) }
        r.post("/imports/:id/revert", .importRevert) { req, ctx, who in
            let input = try await api.body(RevertBody.self, req)
            return try JSONResponse.make(try await db.revertImport(id: try APISupport.id(ctx), force: input.force ?? false, actor: who.handle))
        }
    }
}
