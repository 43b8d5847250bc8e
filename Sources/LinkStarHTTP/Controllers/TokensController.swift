import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// API tokens. Parses, calls one use case, encodes: no rule lives here.
struct TokensController: ResourceController {
    let api: APISupport

    struct NewTokenBody: Decodable { var person: String; var role: String; var label: String? }

    func register(_ r: Routes) {
        let db = api.database
        r.get("/tokens", role: .admin) { req, _, _ in try JSONResponse.make(try Page.of(try await db.tokens(), request: req)) }
        r.post("/tokens", .tokenCreate) { req, _, who in
            let input = try await api.body(NewTokenBody.self, req)
            return try JSONResponse.make(try await db.createToken(person: input.person, role: try PersonRole.parse(input.role),
                                                                   label: input.label, actor: who.handle), status: .created)
        }
        r.delete("/tokens/:id", .tokenRevoke) { _, ctx, who in
            try JSONResponse.make(try await db.revokeToken(id: try APISupport.id(ctx), actor: who.handle))
        }
    }
}
