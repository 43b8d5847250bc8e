import Foundation
import Hummingbird
import HummingbirdTesting
import LinkStarCore
import LinkStarHTTP
import LinkStarPlaybooks
import Logging
import Testing
import Yams
@testable import LinkStarStore

/// An API over a fresh in-memory workspace with an admin, an editor and a viewer token.
struct APIFixture {
    let database: WorkspaceDatabase
    let admin: String
    let editor: String
    let viewer: String
    let routes: RouteTable

    static func make(maxBody: Int = 10 * 1024 * 1024) async throws -> (APIFixture, some ApplicationProtocol) {
        let clock = { @Sendable in LinkStarJSON.parseTimestamp("2026-11-25T09:00:00Z")! }
        let database = try WorkspaceDatabase.inMemory(clock: clock)
        _ = try await database.seedDefaults(actor: "setup", since: try Day(parsing: "2026-01-01"))  // an established workspace
        _ = try await database.syncPlaybooks(DefaultPlaybooks.all.map { PlaybookSource(fileName: $0.fileName, content: $0.markdown) }, actor: "setup")
        for (handle, role) in [("lin.wei", PersonRole.admin), ("chen.jie", .editor), ("sun.li", .viewer)] {
            _ = try await database.addPerson(NewPerson(handle: handle, displayName: handle, role: role), actor: "setup")
        }
        let admin = try await database.createToken(person: "lin.wei", role: .admin, actor: "setup").token
        let editor = try await database.createToken(person: "chen.jie", role: .editor, actor: "setup").token
        let viewer = try await database.createToken(person: "sun.li", role: .viewer, actor: "setup").token
        let routes = RouteTable()
        let app = buildApplication(database: database, configuration: APIConfiguration(maxBodySize: maxBody), routeTable: routes)
        return (APIFixture(database: database, admin: admin, editor: editor, viewer: viewer, routes: routes), app)
    }
}

extension TestClientProtocol {
    /// Sends a request and returns status and parsed JSON.
    @discardableResult
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil) async throws -> (HTTPResponse.Status, Any?) {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            let data = Data(response.body.readableBytesView)
            return (response.status, data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data))
        }
    }
}

func errorCode(_ body: Any?) -> String? { ((body as? [String: Any])?["error"] as? [String: Any])?["code"] as? String }
func items(_ body: Any?) -> [[String: Any]] { ((body as? [String: Any])?["items"] as? [[String: Any]]) ?? [] }

@Suite("API")
struct APITests {
    @Test("one access-log line per request: method, path without the query, status, duration, actor; never the token")
    func accessLog() async throws {
        let (f, _) = try await APIFixture.make()
        let lines = CapturedLog()
        let logger = Logger(label: "test") { _ in CapturingHandler(log: lines) }
        let app = buildApplication(database: f.database, logger: logger)
        try await app.test(.router) { client in
            try await client.call(.get, "/api/v1/kpis?period=last-7d&secret=x", token: f.admin)
            try await client.call(.get, "/api/v1/kpis", token: "lst_wrong")
            try await client.call(.get, "/api/v1/kpis/999", token: f.viewer)
        }
        let access = lines.all.filter { $0.hasPrefix("GET /api/v1/kpis") }
        #expect(access.count == 3)
        #expect(access.contains { $0.hasPrefix("GET /api/v1/kpis 200 ") && $0.contains(" ms actor=lin.wei") })
        #expect(access.contains { $0.hasPrefix("GET /api/v1/kpis 401 ") && $0.contains(" ms actor=- ") })
        #expect(access.contains { $0.hasPrefix("GET /api/v1/kpis/999 404 ") && $0.contains(" ms actor=sun.li") })
        #expect(!lines.all.contains { $0.contains(f.admin) || $0.contains("lst_wrong") || $0.contains("secret") })
    }

    @Test("the Bearer scheme is read in any case with blanks around the token; another scheme, a missing token or a glued one is 401")
    func bearerHeaderForms() async throws {
        let (f, app) = try await APIFixture.make()
        try await app.test(.router) { client in
            let accepted = ["Bearer \(f.viewer)", "bearer \(f.viewer)", "BEARER \(f.viewer)", "BeArEr   \(f.viewer) \t ", "Bearer \t\(f.viewer)"]
            let refused = ["Basic \(f.viewer)", "Bearer", "Bearer ", "Bearer    ", "Bearer\(f.viewer)", "Bearer\t\(f.viewer)", "Bearerx \(f.viewer)",
                           "Bearer \(f.viewer)x", "\(f.viewer)", "Bearer \(f.viewer.uppercased())"]
            for header in accepted + refused {
                let status = try await client.execute(uri: "/api/v1/layers", method: .get, headers: [.authorization: header]) { $0.status }
                #expect(status == (accepted.contains(header) ? .ok : .unauthorized), "\(header)")
            }
        }
    }

    @Test("a query value is percent-decoded once: %2525 reads as %25, %E8%BD%AC as 转")
    func queryDecodedOnce() async throws {
        let (f, app) = try await APIFixture.make()
        try await app.test(.router) { client in
            let (status, body) = try await client.call(.get, "/api/v1/funnel?from=x%2525&to=2026-11-01", token: f.viewer)
            #expect(status == .badRequest)
            let message = ((body as? [String: Any])?["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains("x%25"), "\(message)")
            let (layerStatus, layerBody) = try await client.call(.get, "/api/v1/funnel?from=%E8%BD%AC&to=2026-11-01", token: f.viewer)
            #expect(layerStatus == .badRequest)
            let layerMessage = ((layerBody as? [String: Any])?["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(layerMessage.contains("转"), "\(layerMessage)")
        }
    }

    @Test("a deactivated person's token stops working; a token acts with at most its person's current role; tokens above the role are refused")
    func tokenIdentity() async throws {
        let (f, app) = try await APIFixture.make()
        try await app.test(.router) { client in
            // A viewer cannot mint itself anything; an admin cannot give a viewer an admin token.
            #expect(try await client.call(.post, "/api/v1/tokens", token: f.viewer, json: #"{"person": "sun.li", "role": "admin"}"#).0 == .forbidden)
            let (above, body) = try await client.call(.post, "/api/v1/tokens", token: f.admin, json: #"{"person": "sun.li", "role": "admin"}"#)
            #expect(above == .forbidden)
            #expect(errorCode(body) == "forbidden")
            // chen.jie's editor token works until chen.jie is deactivated, then it is unknown (401); reactivated, it works again.
            #expect(try await client.call(.get, "/api/v1/kpis", token: f.editor).0 == .ok)
            #expect(try await client.call(.post, "/api/v1/people/chen.jie/deactivate", token: f.editor).0 == .forbidden)
            let (deactivated, person) = try await client.call(.post, "/api/v1/people/chen.jie/deactivate", token: f.admin)
            #expect(deactivated == .ok)
            #expect((person as? [String: Any])?["active"] as? Bool == false)
            #expect(try await client.call(.get, "/api/v1/kpis", token: f.editor).0 == .unauthorized)
            #expect(try await client.call(.post, "/api/v1/people/nobody/deactivate", token: f.admin).0 == .notFound)
            #expect(try await client.call(.post, "/api/v1/people/chen.jie/reactivate", token: f.admin).0 == .ok)
            #expect(try await client.call(.get, "/api/v1/kpis", token: f.editor).0 == .ok)
            // The last active admin stays.
            #expect(try await client.call(.post, "/api/v1/people/lin.wei/deactivate", token: f.admin).0 == .conflict)
        }
        // A token made when its person was an editor acts as a viewer once the person is a viewer.
        try await f.database.writer.write { db in try db.execute(sql: "UPDATE person SET role = 'viewer' WHERE handle = 'chen.jie'") }
        let principal = try #require(try await f.database.authenticate(token: f.editor))
        #expect(principal.role == .viewer)
    }

    @Test("health and the OpenAPI document are public; /api/v1 needs a token")
    func publicRoutes() async throws {
        let (f, app) = try await APIFixture.make()
        try await app.test(.router) { client in
            let (status, body) = try await client.call(.get, "/health")
            #expect(status == .ok)
            #expect((body as? [String: Any])?["status"] as? String == "ok")
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).hasPrefix("openapi: 3.1.0"))
            }
            let (unauthorized, error) = try await client.call(.get, "/api/v1/layers")
            #expect(unauthorized == .unauthorized)
            #expect(errorCode(error) == "unauthorized")
            #expect(try await client.call(.get, "/api/v1/layers", token: "lst_nope").0 == .unauthorized)
            #expect(try await client.call(.get, "/api/v1/layers", token: f.viewer).0 == .ok)
            let (missing, notFound) = try await client.call(.get, "/api/v1/no-such-thing", token: f.viewer)
            #expect(missing == .notFound)
            #expect(errorCode(notFound) == "not_found")
        }
    }

    @Test("every route the router has is in the OpenAPI document, and every documented operation is routed")
    func openAPIMatchesRouter() async throws {
        let (f, _) = try await APIFixture.make()
        let document = try #require(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        var documented: [String] = []
        for (path, value) in paths {
            for method in (value as? [String: Any] ?? [:]).keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                documented.append("\(method.uppercased()) \(path)")
            }
        }
        #expect(f.routes.all.count > 30)
        #expect(Set(f.routes.all) == Set(documented), "router only: \(Set(f.routes.all).subtracting(documented)); document only: \(Set(documented).subtracting(f.routes.all))")
    }

    @Test("every write route answers 401 without a token and 403 for a viewer")
    func writeRoutesNeedRoles() async throws {
        let (f, app) = try await APIFixture.make()
        let writes = f.routes.all.filter { !$0.hasPrefix("GET ") }
        #expect(writes.count >= 20)
        try await app.test(.router) { client in
            for route in writes {
                let parts = route.split(separator: " ")
                let method = HTTPRequest.Method(rawValue: String(parts[0]))!
                let uri = String(parts[1]).replacingOccurrences(of: "{key}", with: "traffic").replacingOccurrences(of: "{id}", with: "1")
                    .replacingOccurrences(of: "{item}", with: "1")
                let anonymous = try await client.call(method, uri, json: "{}").0
                #expect(anonymous == .unauthorized, "\(route) without a token")
                let asViewer = try await client.call(method, uri, token: f.viewer, json: "{}").0
                #expect(asViewer == .forbidden, "\(route) as viewer")
            }
            // Admin-only routes refuse an editor too.
            let people = try await client.call(.post, "/api/v1/people", token: f.editor, json: #"{"handle":"x.y","display_name":"X"}"#).0
            #expect(people == .forbidden)
            let tokens = try await client.call(.get, "/api/v1/tokens", token: f.editor).0
            #expect(tokens == .forbidden)
        }
    }

    @Test("people, layers, metrics, KPIs: happy paths and validation errors naming fields")
    func workspaceResources() async throws {
        let (f, app) = try await APIFixture.make()
        try await app.test(.router) { client in
            let (created, person) = try await client.call(.post, "/api/v1/people", token: f.admin, json: #"{"handle":"wang.fang","display_name":"Wang Fang","role":"editor"}"#)
            #expect(created == .created)
            #expect((person as? [String: Any])?["handle"] as? String == "wang.fang")
            #expect(try await client.call(.post, "/api/v1/people", token: f.admin, json: #"{"handle":"wang.fang","display_name":"Again"}"#).0 == .conflict)
            let (invalid, error) = try await client.call(.post, "/api/v1/people", token: f.admin, json: #"{"handle":"wang.fang"}"#)
            #expect(invalid == .unprocessableContent)
            #expect((((error as? [String: Any])?["error"] as? [String: Any])?["details"] as? [[String: Any]])?.first?["field"] as? String == "display_name")
            #expect(try await client.call(.post, "/api/v1/people", token: f.admin, json: #"{"handle": "#).0 == .badRequest)

            let (assigned, layer) = try await client.call(.put, "/api/v1/layers/conversion/owners", token: f.admin, json: #"{"owner":"chen.jie","backup_owner":"wang.fang"}"#)
            #expect(assigned == .ok)
            #expect(((layer as? [String: Any])?["layer"] as? [String: Any])?["owner"] as? String == "chen.jie")
            #expect(try await client.call(.put, "/api/v1/layers/convertion/owners", token: f.admin, json: #"{"owner":"chen.jie"}"#).0 == .notFound)

            let (kpiStatus, kpi) = try await client.call(.put, "/api/v1/kpis", token: f.admin,
                                                          json: #"{"metric":"checkout_to_order_rate","segment":"*/MY/mobile","baseline":0.72,"baseline_from":"2026-10-01","baseline_to":"2026-10-31","target":0.75}"#)
            #expect(kpiStatus == .created)
            let id = try #require(((kpi as? [String: Any])?["kpi"] as? [String: Any])?["id"] as? Int)
            #expect(try await client.call(.get, "/api/v1/kpis/\(id)", token: f.viewer).0 == .ok)
            #expect(try await client.call(.get, "/api/v1/kpis/999", token: f.viewer).0 == .notFound)
            let (badTarget, targetError) = try await client.call(.put, "/api/v1/kpis", token: f.admin, json: #"{"metric":"ctr","target":2.5}"#)
            #expect(badTarget == .unprocessableContent)
            #expect((((targetError as? [String: Any])?["error"] as? [String: Any])?["details"] as? [[String: Any]])?.first?["field"] as? String == "target")
            #expect(try await client.call(.get, "/api/v1/kpis/status?period=2026-11", token: f.viewer).0 == .ok)

            let (metric, _) = try await client.call(.post, "/api/v1/metrics", token: f.editor,
                                                     json: #"{"key":"live_viewers","definition":"TikTok live viewers","direction":"up","layer":"traffic","unit":"count"}"#)
            #expect(metric == .created)
            #expect(try await client.call(.get, "/api/v1/metrics/live_viewers", token: f.viewer).0 == .ok)
        }
    }

    @Test("lists page with limit and cursor")
    func pagination() async throws {
        let (f, app) = try await APIFixture.make()
        try await app.test(.router) { client in
            let (_, first) = try await client.call(.get, "/api/v1/metrics?limit=10", token: f.viewer)
            #expect(items(first).count == 10)
            let cursor = try #require((first as? [String: Any])?["next_cursor"] as? String)
            var seen = items(first).compactMap { $0["key"] as? String }
            var next: String? = cursor
            while let c = next {
                let (_, page) = try await client.call(.get, "/api/v1/metrics?limit=10&cursor=\(c)", token: f.viewer)
                seen += items(page).compactMap { $0["key"] as? String }
                next = (page as? [String: Any])?["next_cursor"] as? String
            }
            #expect(seen.count == MetricCatalog.all.count)
            #expect(Set(seen).count == seen.count)
            #expect(try await client.call(.get, "/api/v1/metrics?limit=0", token: f.viewer).0 == .badRequest)
            #expect(try await client.call(.get, "/api/v1/metrics?cursor=garbage", token: f.viewer).0 == .badRequest)
        }
    }

    @Test("observations: a JSON batch is all or nothing with the importer's validation; funnel reads it")
    func observations() async throws {
        let (f, app) = try await APIFixture.make()
        try await app.test(.router) { client in
            let good = (1...14).map { d in
                String(format: #"{"date":"2026-11-%02d","channel":"shopee","market":"MY","device":"mobile","metric":"checkouts","value":100},{"date":"2026-11-%02d","channel":"shopee","market":"MY","device":"mobile","metric":"orders","value":%d}"#, d, d, d > 7 ? 40 : 70)
            }.joined(separator: ",")
            let (created, summary) = try await client.call(.post, "/api/v1/observations", token: f.editor, json: #"{"observations":[\#(good)]}"#)
            #expect(created == .created)
            #expect((summary as? [String: Any])?["inserted"] as? Int == 28)
            let (again, unchanged) = try await client.call(.post, "/api/v1/observations", token: f.editor, json: #"{"observations":[\#(good)]}"#)
            #expect(again == .ok)
            #expect((unchanged as? [String: Any])?["outcome"] as? String == "unchanged")
            let before = try await Fixture.dump(f.database)
            let (rejected, error) = try await client.call(.post, "/api/v1/observations", token: f.editor, json: #"""
                {"observations":[{"date":"2026-11-15","channel":"shopee","market":"MY","device":"mobile","metric":"orders","value":5},
                                 {"date":"2026-11-15","channel":"shopee","market":"MY","device":"phone","metric":"orders","value":5}]}
                """#)
            #expect(rejected == .unprocessableContent)
            #expect((((error as? [String: Any])?["error"] as? [String: Any])?["details"] as? [[String: Any]])?.first?["field"] as? String == "observations[1].device")
            #expect(try await Fixture.dump(f.database) == before)
            let (ok, funnel) = try await client.call(.get, "/api/v1/funnel?from=2026-11-08&to=2026-11-14&market=MY", token: f.viewer)
            #expect(ok == .ok)
            #expect(((funnel as? [String: Any])?["bottleneck"] as? [String: Any])?["to_metric"] as? String == "orders")
        }
    }

    @Test("a body over the limit is 413")
    func bodyLimit() async throws {
        let (f, app) = try await APIFixture.make(maxBody: 2048)
        try await app.test(.router) { client in
            let big = #"{"kind":"promo","title":""# + String(repeating: "x", count: 5000) + #"","from":"2026-11-11"}"#
            let (status, body) = try await client.call(.post, "/api/v1/events", token: f.editor, json: big)
            #expect(status == .contentTooLarge)
            #expect(errorCode(body) == "body_too_large")
        }
    }

    @Test("actions and reviews through the API follow the CLI's rules")
    func actionsAndReviews() async throws {
        let (f, app) = try await APIFixture.make()
        _ = try await f.database.assignLayer(.conversion, owner: "chen.jie", backup: nil, actor: "setup")
        try await app.test(.router) { client in
            let (created, result) = try await client.call(.post, "/api/v1/actions?today=2026-11-25", token: f.editor, json: #"""
                {"title":"Trust badges","layer":"conversion","kpi":"checkout_to_order_rate","segment":"shopee/SG/*","kind":"ab-test","hypothesis":"Reassure"}
                """#)
            #expect(created == .created)
            let id = try #require(((result as? [String: Any])?["action"] as? [String: Any])?["id"] as? Int)
            let (conflict, error) = try await client.call(.post, "/api/v1/actions/\(id)/stop", token: f.editor, json: "{}")
            #expect(conflict == .conflict)
            #expect(errorCode(error) == "conflict")
            #expect(try await client.call(.post, "/api/v1/actions/\(id)/start?today=2026-11-25", token: f.editor, json: #"{"date":"2026-10-01"}"#).0 == .ok)
            #expect(try await client.call(.post, "/api/v1/actions/\(id)/variants", token: f.editor, json: #"{"variant":"control","exposures":8000,"conversions":5600}"#).0 == .ok)
            #expect(try await client.call(.post, "/api/v1/actions/\(id)/variants", token: f.editor, json: #"{"variant":"treatment","exposures":8050,"conversions":5900}"#).0 == .ok)
            #expect(try await client.call(.post, "/api/v1/actions/\(id)/stop", token: f.editor, json: #"{"date":"2026-10-14"}"#).0 == .ok)
            let (evaluated, evaluation) = try await client.call(.post, "/api/v1/actions/\(id)/evaluate", token: f.editor)
            #expect(evaluated == .ok)
            #expect((evaluation as? [String: Any])?["verdict"] as? String == "won")
            #expect(try await client.call(.get, "/api/v1/actions/999", token: f.viewer).0 == .notFound)
            // Gating: feedback's review is overdue on 2026-11-25.
            let gated = #"{"title":"x","layer":"feedback","kpi":"orders","kind":"other","hypothesis":"h"}"#
            #expect(try await client.call(.post, "/api/v1/actions?today=2026-11-25", token: f.editor, json: gated).0 == .forbidden)
            let forced = #"{"title":"x","layer":"feedback","kpi":"orders","kind":"other","hypothesis":"h","force":true,"reason":"outage"}"#
            #expect(try await client.call(.post, "/api/v1/actions?today=2026-11-25", token: f.editor, json: forced).0 == .created)

            let (started, review) = try await client.call(.post, "/api/v1/reviews?today=2026-11-25", token: f.editor, json: #"{"scope":"conversion"}"#)
            #expect(started == .created)
            let reviewId = try #require((review as? [String: Any])?["id"] as? Int)
            let required = ((review as? [String: Any])?["items"] as? [[String: Any]] ?? []).filter { $0["optional"] as? Bool == false }
            #expect(try await client.call(.post, "/api/v1/reviews/\(reviewId)/close", token: f.editor).0 == .conflict)
            for item in required {
                #expect(try await client.call(.post, "/api/v1/reviews/\(reviewId)/items/\(item["position"] as! Int)/check", token: f.editor, json: #"{"note":"ok"}"#).0 == .ok)
            }
            #expect(try await client.call(.post, "/api/v1/reviews/\(reviewId)/notes", token: f.editor, json: #"{"kind":"decision","text":"ship it"}"#).0 == .created)
            #expect(try await client.call(.post, "/api/v1/reviews/\(reviewId)/close", token: f.editor).0 == .ok)
            #expect(try await client.call(.post, "/api/v1/reviews/\(reviewId)/notes", token: f.editor, json: #"{"kind":"finding","text":"late"}"#).0 == .conflict)
            let (pack, body) = try await client.call(.get, "/api/v1/reviews/\(reviewId)", token: f.viewer)
            #expect(pack == .ok)
            #expect(((body as? [String: Any])?["review"] as? [String: Any])?["status"] as? String == "closed")
            #expect(try await client.call(.get, "/api/v1/reviews/due?today=2026-11-25", token: f.viewer).0 == .ok)
            let (_, check) = try await client.call(.get, "/api/v1/check?today=2026-11-25", token: f.viewer)
            #expect((check as? [String: Any])?["clean"] as? Bool == false)
            let (_, audit) = try await client.call(.get, "/api/v1/audit?entity=action&limit=5", token: f.viewer)
            #expect(items(audit).first?["actor"] as? String == "chen.jie")
        }
    }

    @Test("tokens: created once, listed without the secret, revoked tokens stop working")
    func tokens() async throws {
        let (f, app) = try await APIFixture.make()
        try await app.test(.router) { client in
            let (created, body) = try await client.call(.post, "/api/v1/tokens", token: f.admin, json: #"{"person":"chen.jie","role":"editor","label":"bot"}"#)
            #expect(created == .created)
            let token = try #require((body as? [String: Any])?["token"] as? String)
            let id = try #require(((body as? [String: Any])?["info"] as? [String: Any])?["id"] as? Int)
            #expect(try await client.call(.get, "/api/v1/layers", token: token).0 == .ok)
            let (_, list) = try await client.call(.get, "/api/v1/tokens", token: f.admin)
            #expect(!String(decoding: try JSONSerialization.data(withJSONObject: list!), as: UTF8.self).contains(token))
            #expect(try await client.call(.delete, "/api/v1/tokens/\(id)", token: f.admin).0 == .ok)
            #expect(try await client.call(.get, "/api/v1/layers", token: token).0 == .unauthorized)
        }
    }

    @Test("every GET route answers 200 with JSON (the pack route with Markdown) on a populated workspace")
    func everyGetRoute() async throws {
        let (f, app) = try await APIFixture.make()
        let kpi = try await f.database.setKPI(KPISpec(metric: "orders", target: 10), actor: "setup").kpi.id
        let action = try await f.database.logAction(NewAction(title: "t", layer: .traffic, metric: "sessions", kind: .ads, hypothesis: "h"),
                                                    override: GateOverride(reason: "test"), actor: "setup").action.id
        let review = try await f.database.startReview(.layer(.traffic), today: try Day(parsing: "2026-11-25"), actor: "lin.wei").id
        try await app.test(.router) { client in
            for route in f.routes.all where route.hasPrefix("GET /api/v1") {
                var uri = String(route.dropFirst(4)).replacingOccurrences(of: "{key}", with: route.contains("/metrics/") ? "ctr" : "traffic")
                if route.contains("/kpis/{id}") { uri = uri.replacingOccurrences(of: "{id}", with: String(kpi)) }
                if route.contains("/actions/{id}") { uri = uri.replacingOccurrences(of: "{id}", with: String(action)) }
                if route.contains("/reviews/{id}") { uri = uri.replacingOccurrences(of: "{id}", with: String(review)) }
                let (status, body) = try await client.call(.get, uri + (uri.contains("?") ? "&" : "?") + "today=2026-11-25", token: f.admin)
                #expect(status == .ok, "\(route)")
                // The review pack as Markdown is the one GET that is not JSON (LanguageAPITests reads it).
                #expect(body != nil || route.hasSuffix("/reviews/{id}/pack"), "\(route) answered no JSON")
            }
        }
    }
}

/// Log lines collected by `CapturingHandler`.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

/// A log handler that keeps every message (with its metadata) for a test to read.
struct CapturingHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String,
             function: String, line: UInt) {
        let all = metadata.merging(extra ?? [:]) { $1 }
        log.add("\(message)" + (all.isEmpty ? "" : " " + all.map { "\($0)=\($1)" }.sorted().joined(separator: " ")))
    }
}
