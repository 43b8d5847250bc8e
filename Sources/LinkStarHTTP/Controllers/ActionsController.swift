import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// Optimization actions and their lifecycle. Parses, calls one use case, encodes: no rule lives here.
struct ActionsController: ResourceController {
    let api: APISupport

    struct VariantBody: Decodable { var variant: String; var exposures: Int; var conversions: Int }
    struct ConcludeBody: Decodable { var decision: String; var reason: String; var checkpoints: [Int]? }
    struct ReplicateBody: Decodable { var segment: String }

    struct ActionEditBody: Decodable { var title: String?; var hypothesis: String?; var expected: String?; var ice: String?; var owner: String? }
    struct CancelBody: Decodable { var reason: String }

    func register(_ r: Routes) {
        let db = api.database
        r.get("/actions") { req, _, _ in
            let status = try APISupport.queryParameter { try req.query("status").map { try ActionStatus.parse($0, field: "status") } }
            let actions = try await db.actions(status: status, layer: try req.query("layer").map { try LayerKey.parse($0) }, owner: try APISupport.handleQuery(req, "owner"))
            return try JSONResponse.make(try Page.of(actions, request: req))
        }
        r.post("/actions", .actionLog) { req, _, who in
            let input = try await api.body(APISupport.ActionBody.self, req)
            let result = try await db.logAction(try APISupport.newAction(input), today: try api.today(req), override: try APISupport.override(input.force, input.reason),
                                                actor: who.handle)
            return try JSONResponse.make(result, status: .created)
        }
        r.get("/actions/:id") { _, ctx, _ in try JSONResponse.make(try await db.action(id: try APISupport.id(ctx))) }
        r.patch("/actions/:id", .actionEdit) { req, ctx, who in
            let input = try await api.body(ActionEditBody.self, req)
            let changes = try ActionChanges.parse(title: input.title, hypothesis: input.hypothesis, expected: input.expected, ice: input.ice,
                                                  owner: input.owner)
            return try JSONResponse.make(try await db.editAction(id: try APISupport.id(ctx), changes, actor: who.handle))
        }
        r.post("/actions/:id/cancel", .actionCancel) { req, ctx, who in
            let input = try await api.body(CancelBody.self, req)
            return try JSONResponse.make(try await db.cancelAction(id: try APISupport.id(ctx), reason: input.reason, actor: who.handle))
        }
        r.post("/actions/:id/start", .actionStart) { req, ctx, who in
            let input = try await api.body(APISupport.DayBody.self, req)
            let today = try api.today(req)
            return try JSONResponse.make(try await db.startAction(id: try APISupport.id(ctx), on: try input.date.map { try Day(parsing: $0) } ?? today,
                                                                  today: today, override: try APISupport.override(input.force, input.reason), actor: who.handle))
        }
        r.post("/actions/:id/stop", .actionStop) { req, ctx, who in
            let input = try await api.body(APISupport.DayBody.self, req)
            return try JSONResponse.make(try await db.stopAction(id: try APISupport.id(ctx), on: try input.date.map { try Day(parsing: $0) } ?? api.today(req),
                                                                 actor: who.handle))
        }
        r.post("/actions/:id/variants", .actionRecord) { req, ctx, who in
            let input = try await api.body(VariantBody.self, req)
            return try JSONResponse.make(try await db.recordVariant(id: try APISupport.id(ctx), variant: input.variant, exposures: input.exposures,
                                                                    conversions: input.conversions, actor: who.handle))
        }
        r.post("/actions/:id/evaluate", .actionEvaluate) { _, ctx, who in
            try JSONResponse.make(try await db.evaluateAction(id: try APISupport.id(ctx), actor: who.handle))
        }
        r.post("/actions/:id/conclude", .actionConclude) { req, ctx, who in
            let input = try await api.body(ConcludeBody.self, req)
            let decision = try ActionDecision.parse(input.decision, field: "decision")
            return try JSONResponse.make(try await db.concludeAction(id: try APISupport.id(ctx), decision: decision, reason: input.reason,
                                                                     checkpoints: input.checkpoints, actor: who.handle))
        }
        r.post("/actions/:id/followup", .actionFollowup) { req, ctx, who in
            try JSONResponse.make(try await db.followUpAction(id: try APISupport.id(ctx), today: try api.today(req), actor: who.handle))
        }
        r.post("/actions/:id/replicate", .actionReplicate) { req, ctx, who in
            let input = try await api.body(ReplicateBody.self, req)
            return try JSONResponse.make(try await db.replicateAction(id: try APISupport.id(ctx), segment: try Segment(parsing: input.segment), actor: who.handle),
                                         status: .created)
        }
    }
}
