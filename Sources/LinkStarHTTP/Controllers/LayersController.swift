import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// Layers: owners and backups. Parses, calls one use case, encodes: no rule lives here.
struct LayersController: ResourceController {
    let api: APISupport

    struct AssignOwners: Decodable { var owner: String; var backupOwner: String? }

    func register(_ r: Routes) {
        let db = api.database
        r.get("/layers") { req, _, _ in try JSONResponse.make(try Page.of(try await db.layers(), request: req)) }
        r.get("/layers/:key") { _, ctx, _ in
            try JSONResponse.make(try await db.layer(try LayerKey.parse(APISupport.param(ctx, "key"), field: "key")))
        }
        r.put("/layers/:key/owners", .layerAssign) { req, ctx, who in
            let input = try await api.body(AssignOwners.self, req)
            return try JSONResponse.make(try await db.assignLayer(try LayerKey.parse(APISupport.param(ctx, "key"), field: "key"),
                                                                   owner: input.owner, backup: input.backupOwner, actor: who.handle))
        }
    }
}
