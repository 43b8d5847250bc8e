import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// People: handles, names, roles. Parses, calls one use case, encodes: no rule lives here.
struct PeopleController: ResourceController {
    let api: APISupport

    struct NewPersonBody: Decodable { var handle: String; var displayName: String; var role: String?; var contact: String?; var osUser: String? }

    struct PersonEditBody: Decodable { var displayName: String?; var role: String?; var contact: String?; var osUser: String? }

    func register(_ r: Routes) {
        let db = api.database
        r.get("/people") { req, _, _ in try JSONResponse.make(try Page.of(try await db.people(), request: req)) }
        r.post("/people", .personAdd) { req, _, who in
            let input = try await api.body(NewPersonBody.self, req)
            let person = try await db.addPerson(try NewPerson.parse(handle: input.handle, name: input.displayName, role: input.role,
                                                                    contact: input.contact, osUser: input.osUser), actor: who.handle)
            return try JSONResponse.make(person, status: .created)
        }
        r.patch("/people/:handle", .personEdit) { req, ctx, who in
            let input = try await api.body(PersonEditBody.self, req)
            let changes = try PersonChanges.parse(name: input.displayName, role: input.role, contact: input.contact, osUser: input.osUser)
            return try JSONResponse.make(try await db.editPerson(APISupport.param(ctx, "handle"), changes, actor: who.handle))
        }
        r.post("/people/:handle/deactivate", .personDeactivate) { _, ctx, who in
            try JSONResponse.make(try await db.setPersonActive(APISupport.param(ctx, "handle"), active: false, actor: who.handle))
        }
        r.post("/people/:handle/reactivate", .personReactivate) { _, ctx, who in
            try JSONResponse.make(try await db.setPersonActive(APISupport.param(ctx, "handle"), active: true, actor: who.handle))
        }
    }
}
