import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// Events that move numbers without an action. Parses, calls one use case, encodes: no rule lives here.
struct EventsController: ResourceController {
    let api: APISupport

    struct EventBody: Decodable { var kind: String; var title: String; var from: String; var to: String?; var segment: String? }
    struct EventEditBody: Decodable { var kind: String?; var title: String?; var from: String?; var to: String?; var segment: String? }
    struct ReasonBody: Decodable { var reason: String? }

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
        r.patch("/events/:id", .eventEdit) { req, ctx, who in
            let input = try await api.body(EventEditBody.self, req)
            return try JSONResponse.make(try await db.editEvent(id: try APISupport.id(ctx), try EventChanges.parse(
                kind: input.kind, title: input.title, from: input.from, to: input.to, segment: input.segment), actor: who.handle))
        }
        r.post("/events/:id/delete", .eventDelete) { req, ctx, who in
            let input = try await api.body(ReasonBody.self, req)
            return try JSONResponse.make(try await db.deleteEvent(id: try APISupport.id(ctx), reason: input.reason, actor: who.handle))
        }
    }
}
