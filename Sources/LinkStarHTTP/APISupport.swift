import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// What every controller shares: the database, the body limit, the response cache, and parameter parsing.
struct APISupport: Sendable {
    let database: WorkspaceDatabase
    let limit: Int
    let cache: ResponseCache

    /// Serves a read from the cache while the workspace has not changed (and `today` is fixed by the query or the same
    /// day). `prepare` parses the request's parameters (only when the answer is not kept) and gives the computation,
    /// which captures them: after a write it may run again, for the next reader, without the request.
    func cached(_ request: Request, _ context: APIContext,
                _ prepare: () throws -> @Sendable () async throws -> any Encodable & Sendable) async throws -> Response {
        let language = RequestLanguage.current
        let key = "\(request.uri)|\(database.today())|\(language.rawValue)"
        let body = try await cache.answer(key, version: context.workspaceVersion, recipe: Self.recipe(try prepare(), language: language))
        return JSONResponse.response(body)
    }

    /// A computation's JSON body in `language`.
    private static func recipe(_ compute: @escaping @Sendable () async throws -> any Encodable & Sendable, language: Language) -> ResponseCache.Recipe {
        { try JSONResponse.body(try await compute(), language: language) }
    }

    /// The controllers, one per resource, in the order their routes are registered.
    var controllers: [any ResourceController] {
        [LayersController(api: self), PeopleController(api: self), AuditController(api: self), TokensController(api: self),
         ComplianceController(api: self), MetricsController(api: self), KPIsController(api: self), ObservationsController(api: self),
         ReportsController(api: self), ActionsController(api: self), EventsController(api: self), ReviewsController(api: self)]
    }

    func register(_ r: Routes) {
        for controller in controllers { controller.register(r) }
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
        try request.query("entity").map { text in try queryParameter { try AuditEntityFilter.validate(text) } }
    }

    /// A metric key given as a query filter (400 when it is not one).
    static func metricQuery(_ request: Request) throws -> String? {
        try request.query("metric").map { text in try queryParameter { try MetricKey.validate(text, field: "metric") } }
    }

    /// Parses query parameters: a value that does not parse is a bad request (400) naming the parameter.
    static func queryParameter<T>(_ parse: () throws -> T) throws -> T {
        do { return try parse() } catch let error as LinkStarError where error.kind == .invalid {
            throw APIError(.badRequest, code: "bad_parameter", message: error.summary, details: error.details)
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

    struct ActionBody: Decodable {
        var title: String; var layer: String; var kpi: String; var segment: String?; var kind: String; var hypothesis: String
        var owner: String?; var ice: String?; var expected: String?; var controlSegment: String?; var rampUpDays: Int?
        var before: String?; var split: String?; var alpha: Double?; var force: Bool?; var reason: String?
    }
    struct DayBody: Decodable { var date: String?; var force: Bool?; var reason: String? }

    static func override(_ force: Bool?, _ reason: String?) throws -> GateOverride? {
        try GateOverride(force: force ?? false, reason: reason)
    }
    static func newAction(_ b: ActionBody) throws -> NewAction {
        try NewAction.parse(title: b.title, layer: b.layer, kpi: b.kpi, segment: b.segment, kind: b.kind, hypothesis: b.hypothesis,
                            owner: b.owner, ice: b.ice, expected: b.expected, controlSegment: b.controlSegment, rampUpDays: b.rampUpDays,
                            before: b.before, split: b.split, alpha: b.alpha)
    }
}

/// One resource's routes.
protocol ResourceController: Sendable {
    /// Adds the resource's routes.
    func register(_ r: Routes)
}
