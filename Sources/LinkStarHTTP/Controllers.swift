import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// The API's resources. Every handler parses, calls one use case, and encodes: no rule lives here.
struct Controllers: Sendable {
    let database: WorkspaceDatabase
    let limit: Int
    let cache: ResponseCache

    /// Serves a read from the cache while the workspace has not changed (and `today` is fixed by the query or the same day).
    func cached(_ request: Request, _ context: APIContext, _ compute: () async throws -> any Encodable) async throws -> Response {
        let key = "\(request.uri)|\(database.today())"
        var body = cache.response(for: key, version: context.workspaceVersion)
        if body == nil {
            let data = try LinkStarJSON.encoder(pretty: false).encode(try await compute())
            var buffer = ByteBuffer()
            buffer.writeBytes(data)
            cache.store(response: buffer, for: key, version: context.workspaceVersion)
            body = buffer
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body!))
    }

    func register(_ r: Routes) {
        registerWorkspace(r)
        registerMetrics(r)
        registerActions(r)
        registerReviews(r)
    }

    func body<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T { try await JSONResponse.decode(type, request, limit: limit) }

    /// `?today=` when given, else the workspace's clock.
    func today(_ request: Request) throws -> Day {
        guard let text = request.query("today") else { return database.today() }
        return try Self.queryParameter { try Day(parsing: text, field: "today") }
    }

    func period(_ request: Request) throws -> DayRange {
        let today = try today(request)
        let (period, from, to) = (request.query("period"), request.query("from"), request.query("to"))
        // Each parameter on its own must parse (400); the rule across them (both from and to, not with period, from ≤ to) is 422.
        try Self.queryParameter {
            _ = try period.map { try PeriodSpec.parse($0, today: today) }
            _ = try from.map { try Day(parsing: $0, field: "from") }
            _ = try to.map { try Day(parsing: $0, field: "to") }
        }
        return try PeriodSpec.resolve(period: period, from: from, to: to, today: today)
    }

    /// A person handle given as a query filter (400 when it is not one).
    static func handleQuery(_ request: Request, _ name: String) throws -> String? {
        try request.query(name).map { text in try queryParameter { try PersonHandle.validate(text, field: name) } }
    }

    /// An audit entity filter `TYPE` or `TYPE:ID` (400 when it is not one).
    static func entityQuery(_ request: Request) throws -> String? {
        guard let text = request.query("entity") else { return nil }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let typeOK = (1...40).contains(parts[0].count) && parts[0].allSatisfy { ("a"..."z").contains($0) || $0 == "_" || $0 == "." }
        let idOK = parts.count == 1 || ((1...100).contains(parts[1].count)
            && parts[1].allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) })
        guard typeOK && idOK else {
            throw APIError(.badRequest, code: "bad_parameter", message: "entity must be TYPE or TYPE:ID (e.g. kpi or kpi:3)",
                           details: [.init(field: "entity", message: "must be TYPE or TYPE:ID")])
        }
        return text
    }

    /// A metric key given as a query filter (400 when it is not one).
    static func metricQuery(_ request: Request) throws -> String? {
        try request.query("metric").map { text in try queryParameter { try MetricKey.validate(text, field: "metric") } }
    }

    /// Parses query parameters: a value that does not parse is a bad request (400) naming the parameter.
    static func queryParameter<T>(_ parse: () throws -> T) throws -> T {
        do { return try parse() } catch let error as LinkStarError where error.kind == .invalid {
            throw APIError(.badRequest, code: "bad_parameter", message: error.message, details: error.details)
        }
    }

    /// A path parameter, percent-decoded (`/layers/%E8%BD%AC%E5%8C%96` names 转化).
    static func param(_ context: APIContext, _ name: String) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    static func id(_ context: APIContext, _ name: String = "id") throws -> Int64 {
        guard let value = Int64(param(context, name)), value > 0 else {
            throw APIError(.badRequest, code: "bad_parameter", message: "\(name) must be a number", details: [.init(field: name, message: "not a number")])
        }
        return value
    }

    static func segmentQuery(_ request: Request) throws -> Segment {
        try queryParameter {
            try Segment(channel: request.query("channel") ?? "*", market: request.query("market") ?? "*", device: request.query("device") ?? "*")
        }
    }

    // MARK: - Layers, people, audit, tokens

    struct AssignOwners: Decodable { var owner: String; var backupOwner: String? }
    struct NewPersonBody: Decodable { var handle: String; var displayName: String; var role: String?; var contact: String? }
    struct NewTokenBody: Decodable { var person: String; var role: String; var label: String? }

    func registerWorkspace(_ r: Routes) {
        let db = database
        r.get("/layers") { req, _, _ in try JSONResponse.make(try Page.of(try await db.layers(), request: req)) }
        r.get("/layers/:key") { _, ctx, _ in
            try JSONResponse.make(try await db.layer(try LayerKey.parse(Self.param(ctx, "key"), field: "key")))
        }
        r.put("/layers/:key/owners", role: .admin) { req, ctx, who in
            let input = try await body(AssignOwners.self, req)
            return try JSONResponse.make(try await db.assignLayer(try LayerKey.parse(Self.param(ctx, "key"), field: "key"),
                                                                   owner: input.owner, backup: input.backupOwner, actor: who.handle))
        }
        r.get("/people") { req, _, _ in try JSONResponse.make(try Page.of(try await db.people(), request: req)) }
        r.post("/people", role: .admin) { req, _, who in
            let input = try await body(NewPersonBody.self, req)
            let person = try await db.addPerson(NewPerson(handle: input.handle, displayName: input.displayName,
                                                          role: try PersonRole.parse(input.role ?? "editor"), contact: input.contact), actor: who.handle)
            return try JSONResponse.make(person, status: .created)
        }
        r.get("/audit") { req, _, _ in
            let entries = try await db.auditEntries(entity: try Self.entityQuery(req), actor: try Self.handleQuery(req, "person"), limit: 100_000)
            return try JSONResponse.make(try Page.of(entries, request: req))
        }
        r.get("/tokens", role: .admin) { req, _, _ in try JSONResponse.make(try Page.of(try await db.tokens(), request: req)) }
        r.post("/tokens", role: .admin) { req, _, who in
            let input = try await body(NewTokenBody.self, req)
            return try JSONResponse.make(try await db.createToken(person: input.person, role: try PersonRole.parse(input.role),
                                                                   label: input.label, actor: who.handle), status: .created)
        }
        r.delete("/tokens/:id", role: .admin) { _, ctx, who in
            try JSONResponse.make(try await db.revokeToken(id: try Self.id(ctx), actor: who.handle))
        }
        r.get("/check") { req, _, _ in try JSONResponse.make(try await db.complianceCheck(today: try self.today(req))) }
    }

    // MARK: - Metrics, KPIs, observations, reports

    struct NewMetricBody: Decodable {
        var key: String; var definition: String; var direction: String; var layer: String
        var unit: String?; var formula: String?; var name: String?; var unbounded: Bool?
    }
    struct KPIBody: Decodable {
        var metric: String; var layer: String?; var segment: String?; var owner: String?
        var baseline: Double?; var baselinePeriod: String?; var baselineFrom: String?; var baselineTo: String?; var target: Double?
        var warningBand: String?
    }
    struct ObservationBatch: Decodable { var observations: [ObservationInput] }

    func registerMetrics(_ r: Routes) {
        let db = database
        r.get("/metrics") { req, _, _ in
            try JSONResponse.make(try Page.of(try await db.metrics(layer: try req.query("layer").map { try LayerKey.parse($0) }), request: req))
        }
        r.get("/metrics/:key") { _, ctx, _ in try JSONResponse.make(try await db.metric(Self.param(ctx, "key"))) }
        r.post("/metrics", role: .editor) { req, _, who in
            let input = try await body(NewMetricBody.self, req)
            let metric = try await db.defineMetric(try NewMetric.parse(key: input.key, name: input.name, definition: input.definition,
                                                                       unit: input.unit, direction: input.direction, layer: input.layer,
                                                                       formula: input.formula, unbounded: input.unbounded ?? false), actor: who.handle)
            return try JSONResponse.make(metric, status: .created)
        }
        r.get("/kpis") { req, _, _ in
            let kpis = try await db.kpis(layer: try req.query("layer").map { try LayerKey.parse($0) }, metric: try Self.metricQuery(req), owner: try Self.handleQuery(req, "owner"))
            return try JSONResponse.make(try Page.of(kpis, request: req))
        }
        r.get("/kpis/status") { req, _, _ in
            let statuses = try await db.kpiStatus(period: try self.period(req), layer: try req.query("layer").map { try LayerKey.parse($0) },
                                                  owner: try Self.handleQuery(req, "owner"))
            return try JSONResponse.make(try Page.of(statuses, request: req))
        }
        r.get("/kpis/:id") { _, ctx, _ in try JSONResponse.make(try await db.kpi(id: try Self.id(ctx))) }
        r.put("/kpis", role: .admin) { req, _, who in
            let input = try await body(KPIBody.self, req)
            // baseline_from/baseline_to (kept for existing clients) name the same period as baseline_period.
            let period = input.baselinePeriod ?? ((input.baselineFrom != nil || input.baselineTo != nil)
                ? "\(input.baselineFrom ?? "")..\(input.baselineTo ?? "")" : nil)
            let spec = try KPISpec.parse(metric: input.metric, layer: input.layer, segment: input.segment, owner: input.owner,
                                         baseline: input.baseline, baselinePeriod: period, target: input.target, warn: input.warningBand)
            let result = try await db.setKPI(spec, actor: who.handle)
            return try JSONResponse.make(result, status: result.outcome == .created ? .created : .ok)
        }
        r.post("/observations", role: .editor) { req, _, who in
            let batch = try await body(ObservationBatch.self, req)
            let summary = try db.importObservations(batch.observations, actor: who.handle)
            return try JSONResponse.make(summary, status: summary.outcome == .imported ? .created : .ok)
        }
        r.get("/imports") { req, _, _ in try JSONResponse.make(try Page.of(try await db.imports(limit: 100_000), request: req)) }
        r.get("/funnel") { req, ctx, _ in
            let compare = try Self.queryParameter { try req.query("compare").map { try Comparison.parse($0, field: "compare") } ?? .previous }
            return try await cached(req, ctx) {
                try await db.funnel(period: try self.period(req), segment: try Self.segmentQuery(req), compare: compare)
            }
        }
        r.get("/scorecard") { req, _, _ in try JSONResponse.make(try await db.scorecard(period: try self.period(req), owner: try Self.handleQuery(req, "owner"))) }
    }

    // MARK: - Actions and events

    struct ActionBody: Decodable {
        var title: String; var layer: String; var kpi: String; var segment: String?; var kind: String; var hypothesis: String
        var owner: String?; var ice: String?; var expected: String?; var controlSegment: String?; var rampUpDays: Int?
        var before: String?; var split: String?; var alpha: Double?; var force: Bool?; var reason: String?
    }
    struct DayBody: Decodable { var date: String?; var force: Bool?; var reason: String? }
    struct VariantBody: Decodable { var variant: String; var exposures: Int; var conversions: Int }
    struct ConcludeBody: Decodable { var decision: String; var reason: String; var checkpoints: [Int]? }
    struct ReplicateBody: Decodable { var segment: String }
    struct EventBody: Decodable { var kind: String; var title: String; var from: String; var to: String?; var segment: String? }

    static func override(_ force: Bool?, _ reason: String?) throws -> GateOverride? {
        try GateOverride(force: force ?? false, reason: reason)
    }

    static func newAction(_ b: ActionBody) throws -> NewAction {
        try NewAction.parse(title: b.title, layer: b.layer, kpi: b.kpi, segment: b.segment, kind: b.kind, hypothesis: b.hypothesis,
                            owner: b.owner, ice: b.ice, expected: b.expected, controlSegment: b.controlSegment, rampUpDays: b.rampUpDays,
                            before: b.before, split: b.split, alpha: b.alpha)
    }

    func registerActions(_ r: Routes) {
        let db = database
        r.get("/actions") { req, _, _ in
            let status = try Self.queryParameter { try req.query("status").map { try ActionStatus.parse($0, field: "status") } }
            let actions = try await db.actions(status: status, layer: try req.query("layer").map { try LayerKey.parse($0) }, owner: try Self.handleQuery(req, "owner"))
            return try JSONResponse.make(try Page.of(actions, request: req))
        }
        r.post("/actions", role: .editor) { req, _, who in
            let input = try await body(ActionBody.self, req)
            let result = try await db.logAction(try Self.newAction(input), today: try self.today(req), override: try Self.override(input.force, input.reason),
                                                actor: who.handle)
            return try JSONResponse.make(result, status: .created)
        }
        r.get("/actions/:id") { _, ctx, _ in try JSONResponse.make(try await db.action(id: try Self.id(ctx))) }
        r.post("/actions/:id/start", role: .editor) { req, ctx, who in
            let input = try await body(DayBody.self, req)
            let today = try self.today(req)
            return try JSONResponse.make(try await db.startAction(id: try Self.id(ctx), on: try input.date.map { try Day(parsing: $0) } ?? today,
                                                                  today: today, override: try Self.override(input.force, input.reason), actor: who.handle))
        }
        r.post("/actions/:id/stop", role: .editor) { req, ctx, who in
            let input = try await body(DayBody.self, req)
            return try JSONResponse.make(try await db.stopAction(id: try Self.id(ctx), on: try input.date.map { try Day(parsing: $0) } ?? self.today(req),
                                                                 actor: who.handle))
        }
        r.post("/actions/:id/variants", role: .editor) { req, ctx, who in
            let input = try await body(VariantBody.self, req)
            return try JSONResponse.make(try await db.recordVariant(id: try Self.id(ctx), variant: input.variant, exposures: input.exposures,
                                                                    conversions: input.conversions, actor: who.handle))
        }
        r.post("/actions/:id/evaluate", role: .editor) { _, ctx, who in
            try JSONResponse.make(try await db.evaluateAction(id: try Self.id(ctx), actor: who.handle))
        }
        r.post("/actions/:id/conclude", role: .editor) { req, ctx, who in
            let input = try await body(ConcludeBody.self, req)
            let decision = try ActionDecision.parse(input.decision, field: "decision")
            return try JSONResponse.make(try await db.concludeAction(id: try Self.id(ctx), decision: decision, reason: input.reason,
                                                                     checkpoints: input.checkpoints, actor: who.handle))
        }
        r.post("/actions/:id/followup", role: .editor) { req, ctx, who in
            try JSONResponse.make(try await db.followUpAction(id: try Self.id(ctx), today: try self.today(req), actor: who.handle))
        }
        r.post("/actions/:id/replicate", role: .editor) { req, ctx, who in
            let input = try await body(ReplicateBody.self, req)
            return try JSONResponse.make(try await db.replicateAction(id: try Self.id(ctx), segment: try Segment(parsing: input.segment), actor: who.handle),
                                         status: .created)
        }
        r.get("/events") { req, _, _ in
            let today = try self.today(req)
            let range = try Self.queryParameter { try req.query("period").map { try PeriodSpec.parse($0, today: today) } }
            return try JSONResponse.make(try Page.of(try await db.events(overlapping: range), request: req))
        }
        r.post("/events", role: .editor) { req, _, who in
            let input = try await body(EventBody.self, req)
            let event = try await db.addEvent(try NewEvent.parse(kind: input.kind, title: input.title, from: input.from, to: input.to,
                                                                 segment: input.segment), actor: who.handle)
            return try JSONResponse.make(event, status: .created)
        }
    }

    // MARK: - Reviews

    struct StartReviewBody: Decodable { var scope: String; var period: String? }
    struct CheckBody: Decodable { var note: String? }
    struct NoteBody: Decodable { var kind: String; var text: String }

    func registerReviews(_ r: Routes) {
        let db = database
        r.get("/reviews") { req, _, _ in
            try JSONResponse.make(try Page.of(try await db.reviews(scope: try req.query("scope").map { try ReviewScope(parsing: $0) }), request: req))
        }
        r.get("/reviews/due") { req, _, _ in try JSONResponse.make(try Page.of(try await db.reviewsDue(today: try self.today(req)), request: req)) }
        r.post("/reviews", role: .editor) { req, _, who in
            let input = try await body(StartReviewBody.self, req)
            return try JSONResponse.make(try await db.startReview(try ReviewScope(parsing: input.scope), period: input.period,
                                                                  today: try self.today(req), actor: who.handle), status: .created)
        }
        r.get("/reviews/:id") { _, ctx, _ in try JSONResponse.make(try await db.reviewPack(try Self.id(ctx))) }
        r.post("/reviews/:id/items/:item/check", role: .editor) { req, ctx, who in
            let input = try await body(CheckBody.self, req)
            return try JSONResponse.make(try await db.setReviewItem(try Self.id(ctx), item: Int(try Self.id(ctx, "item")), checked: true,
                                                                    note: input.note, actor: who.handle))
        }
        r.post("/reviews/:id/items/:item/uncheck", role: .editor) { _, ctx, who in
            try JSONResponse.make(try await db.setReviewItem(try Self.id(ctx), item: Int(try Self.id(ctx, "item")), checked: false, actor: who.handle))
        }
        r.post("/reviews/:id/notes", role: .editor) { req, ctx, who in
            let input = try await body(NoteBody.self, req)
            return try JSONResponse.make(try await db.addReviewNote(try Self.id(ctx), kind: input.kind, text: input.text, actor: who.handle), status: .created)
        }
        r.post("/reviews/:id/actions", role: .editor) { req, ctx, who in
            let input = try await body(ActionBody.self, req)
            return try JSONResponse.make(try await db.addReviewAction(try Self.id(ctx), try Self.newAction(input), today: try self.today(req),
                                                                      actor: who.handle), status: .created)
        }
        r.post("/reviews/:id/close", role: .editor) { _, ctx, who in
            try JSONResponse.make(try await db.closeReview(try Self.id(ctx), actor: who.handle))
        }
    }
}
