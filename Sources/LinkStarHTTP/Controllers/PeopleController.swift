import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// People: handles, names, roles. Parses, calls one use case, encodes: no rule lives here.
struct PeopleController: ResourceController {
    let api: APISupport

    struct NewPersonBody: Decodable { var handle: String; var displayName: String; var role: String?; var contact: String? }

    func register(_ r: Routes) {
        let db = api.database
        r.get("/people") { req, _, _ in try JSONResponse.make(try Page.of(try await db.people(), request: req)) }
        r.post("/people", role: .admin) { req, _, who in
            let input = try await api.body(NewPersonBody.self, req)
            let person = try await db.addPerson(NewPerson(handle: input.handle, displayName: input.displayName,
                                                          role: try PersonRole.parse(input.role ?? "editor"), contact: input.contact), actor: who.handle)
            return try JSONResponse.make(person, status: .created)
        }
    }
}
