import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// Events that move numbers without an action. Parses, calls one use case, encodes: no rule lives here.
struct EventsController: ResourceController {
    let api: APISupport

    struct EventBody: Decodable { var kind: String; var title: String; var from: String; var to: String?; var segment: String? }

    func register(_ r: Routes) {
        let db = api.database
        r.get("/events") { req, _, _ in
            let today = try api.today(req)
            let range = try APISupport.queryParameter { try req.query("period").map { try PeriodSpec.parse($0, today: today) } }
            return try JSONResponse.make(try Page.of(try await db.events(overlapping: range), request: req))
        }
        r.post("/events", .eventAdd) { req, _, who in
            let input = try await api.body(EventBody.self, req)
            let event = try await db.addEvent(try NewEvent.parse(kind: input.kind, title: input.title, from: input.from, to: input.to,
                                                                 segment: input.segment), actor: who.handle)
            return try JSONResponse.make(event, status: .created)
        }
    }
}
