import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore
import LinkStarText

/// Reviews (复盘). Parses, calls one use case, encodes: no rule lives here.
struct ReviewsController: ResourceController {
    let api: APISupport

    struct StartReviewBody: Decodable { var scope: String; var period: String? }
    struct CheckBody: Decodable { var note: String? }
    struct NoteBody: Decodable { var kind: String; var text: String }

    struct AmendBody: Decodable { var note: String }

    func register(_ r: Routes) {
        let db = api.database
        r.get("/reviews") { req, _, _ in
            try JSONResponse.make(try Page.of(try await db.reviews(scope: try req.query("scope").map { try ReviewScope(parsing: $0) }), request: req))
        }
        r.get("/reviews/due") { req, _, _ in try JSONResponse.make(try Page.of(try await db.reviewsDue(today: try api.today(req)), request: req)) }
        r.post("/reviews", .reviewStart) { req, _, who in
            let input = try await api.body(StartReviewBody.self, req)
            return try JSONResponse.make(try await db.startReview(try ReviewScope(parsing: input.scope), period: input.period,
                                                                  today: try api.today(req), actor: who.handle), status: .created)
        }
        r.get("/reviews/:id") { _, ctx, _ in try JSONResponse.make(try await db.reviewPack(try APISupport.id(ctx))) }
        // The pack as Markdown (复盘材料) in the request's language (Accept-Language), times in the workspace's time zone.
        r.get("/reviews/:id/pack") { _, ctx, _ in
            let pack = try await db.reviewPack(try APISupport.id(ctx))
            let display = try await db.displaySettings()
            let markdown = ReviewPackText.render(pack, markdown: true, Reader(language: RequestLanguage.current, timeZone: display.timeZone))
            return Response(status: .ok, headers: [.contentType: "text/markdown; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: markdown + "\n")))
        }
        r.post("/reviews/:id/items/:item/check", .reviewCheck) { req, ctx, who in
            let input = try await api.body(CheckBody.self, req)
            return try JSONResponse.make(try await db.setReviewItem(try APISupport.id(ctx), item: Int(try APISupport.id(ctx, "item")), checked: true,
                                                                    note: input.note, actor: who.handle))
        }
        r.post("/reviews/:id/items/:item/uncheck", .reviewCheck) { _, ctx, who in
            try JSONResponse.make(try await db.setReviewItem(try APISupport.id(ctx), item: Int(try APISupport.id(ctx, "item")), checked: false, actor: who.handle))
        }
        r.post("/reviews/:id/notes", .reviewNote) { req, ctx, who in
            let input = try await api.body(NoteBody.self, req)
            return try JSONResponse.make(try await db.addReviewNote(try APISupport.id(ctx), kind: input.kind, text: input.text, actor: who.handle), status: .created)
        }
        r.post("/reviews/:id/actions", .actionLog) { req, ctx, who in
            let input = try await api.body(APISupport.ActionBody.self, req)
            return try JSONResponse.make(try await db.addReviewAction(try APISupport.id(ctx), try APISupport.newAction(input), today: try api.today(req),
                                                                      actor: who.handle), status: .created)
        }
        r.post("/reviews/:id/close", .reviewClose) { _, ctx, who in
            try JSONResponse.make(try await db.closeReview(try APISupport.id(ctx), actor: who.handle))
        }
        r.post("/reviews/:id/addenda", .reviewAmend) { req, ctx, who in
            let input = try await api.body(AmendBody.self, req)
            return try JSONResponse.make(try await db.amendReview(try APISupport.id(ctx), note: input.note, actor: who.handle), status: .created)
        }
    }
}
