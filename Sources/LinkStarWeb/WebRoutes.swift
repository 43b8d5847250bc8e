import Foundation
import Hummingbird
import LinkStarCore
import LinkStarFormats
import LinkStarStore
import LinkStarText

/// The team's screen in `linkstar serve`: sign-in with an API token, a session cookie (HttpOnly, SameSite=Strict,
/// Secure over TLS, 12 hours, stored hashed, ended by sign-out), a CSRF token in every form, the overview and the
/// big-screen view. Each page calls the same use cases as the CLI and the API and renders through LinkStarText.
public struct WebRoutes<Context: RequestContext>: Sendable {
    public static var cookieName: String { "linkstar_session" }

    let database: WorkspaceDatabase
    /// Overview pages already rendered (by language, view and day) with a slot for the signed-in person's navigation,
    /// kept while the workspace does not change: most requests then cost a session lookup and one splice.
    let overviewPages = VersionedCache<String>(capacity: 16)
    /// Mark cookies Secure (behind a TLS proxy); also when the request says `X-Forwarded-Proto: https`.
    let secureCookies: Bool

    public init(database: WorkspaceDatabase, secureCookies: Bool) {
        self.database = database
        self.secureCookies = secureCookies
    }

    /// The method and path of every page, for the route table (405 handling, documentation).
    public static var routes: [(method: String, path: String)] {
        [("GET", "/"), ("GET", "/tv"), ("GET", "/sign-in"), ("POST", "/sign-in"), ("POST", "/sign-out"), ("GET", "/reviews/{id}"),
         ("GET", "/kpis/{id}"), ("GET", "/actions/{id}"), ("GET", "/people/{handle}"), ("GET", "/funnel"), ("GET", "/playbooks/{layer}"), ("GET", "/audit"), ("POST", "/reviews/{id}/items/{item}/check"), ("POST", "/reviews/{id}/items/{item}/uncheck"), ("POST", "/reviews/{id}/close"), ("POST", "/reviews/{id}/notes")]
    }

    public func register(on router: Router<Context>) {
        router.get("/") { request, _ in try await self.overview(request, tv: false) }
        router.get("/tv") { request, _ in try await self.overview(request, tv: true) }
        router.get("/sign-in") { request, _ in try await self.signInPage(request, error: nil, status: .ok) }
        router.post("/sign-in") { request, context in try await self.signIn(request, context) }
        router.post("/sign-out") { request, context in try await self.signOut(request, context) }
        router.get("/reviews/:id") { request, context in try await self.review(request, context, message: nil, status: .ok) }
        router.get("/kpis/:id") { request, context in
            try await self.read(request) { session, reader, period in
                guard let id = Self.number(context, "id") else { throw LinkStarError(.notFound, "no KPI with id \(context.parameters.get("id") ?? "")") }
                return DetailPages.kpi(try await database.kpiDetail(id: id, period: period), reader, principal: session.principal, csrf: session.csrf,
                                       generatedAt: database.now())
            }
        }
        router.get("/actions/:id") { request, context in
            try await self.read(request) { session, reader, _ in
                guard let id = Self.number(context, "id") else { throw LinkStarError(.notFound, "no action #\(context.parameters.get("id") ?? "")") }
                return DetailPages.action(try await database.actionTimeline(id: id, today: database.today()), reader,
                                          principal: session.principal, csrf: session.csrf, generatedAt: database.now())
            }
        }
        router.get("/funnel") { request, _ in
            try await self.read(request) { session, reader, period in
                let q = request.uri.queryParameters
                let segment = try Segment(channel: q["channel"].map(String.init) ?? "*", market: q["market"].map(String.init) ?? "*",
                                          device: q["device"].map(String.init) ?? "*")
                let compare = try Comparison.parse(q["compare"].map(String.init) ?? "previous", field: "compare")
                return DetailPages.funnel(try await database.funnel(period: period, segment: segment, compare: compare), reader,
                                          principal: session.principal, csrf: session.csrf, generatedAt: database.now())
            }
        }
        router.get("/playbooks/:layer") { request, context in
            try await self.read(request) { session, reader, _ in
                let layer = try LayerKey.parse(context.parameters.get("layer") ?? "")
                let version = try request.uri.queryParameters["version"].map { text -> Int in
                    guard let number = Int(text), (1...1_000_000).contains(number) else {
                        throw LinkStarError.invalidField("version", "must be a version number")
                    }
                    return number
                }
                let detail = try await database.playbook(layer, version: version)
                let body = try PlaybookParser.parse(detail.content, file: detail.sourceFile).bodyHTML()
                return DetailPages.playbook(detail, versions: try await database.playbookVersions(layer), bodyHTML: body, reader,
                                            principal: session.principal, csrf: session.csrf, generatedAt: database.now())
            }
        }
        router.get("/audit") { request, _ in
            try await self.read(request) { session, reader, _ in
                let q = request.uri.queryParameters
                let entity = q["entity"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
                let actor = q["actor"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
                let entries = try await database.auditEntries(entity: entity, actor: actor, limit: 200)
                return DetailPages.audit(entries, entity: entity, actor: actor, reader, principal: session.principal, csrf: session.csrf,
                                         generatedAt: database.now())
            }
        }
        router.get("/people/:handle") { request, context in
            try await self.read(request) { session, reader, period in
                let handle = context.parameters.get("handle") ?? ""
                return DetailPages.person(try await database.personOverview(handle: handle, period: period, today: database.today()), reader,
                                          principal: session.principal, csrf: session.csrf, generatedAt: database.now())
            }
        }
        router.post("/reviews/:id/items/:item/check") { request, context in try await self.checkItem(request, context, checked: true) }
        router.post("/reviews/:id/items/:item/uncheck") { request, context in try await self.checkItem(request, context, checked: false) }
        router.post("/reviews/:id/close") { request, context in try await self.closeReview(request, context) }
        router.post("/reviews/:id/notes") { request, context in try await self.addNote(request, context) }
    }

    /// A page that reads: signed in, the reader, the period (`?period=`, default the last 7 days); a domain error is its status.
    func read(_ request: Request, _ body: (WebSessionPrincipal, Reader, DayRange) async throws -> String) async throws -> Response {
        guard let session = try await currentSession(request) else { return Self.redirect("/sign-in") }
        let reader = try await self.reader(request)
        do {
            let period = try PeriodSpec.resolve(period: request.uri.queryParameters["period"].map(String.init), from: nil, to: nil, today: database.today())
            return Self.html(try await body(session, reader, period), status: .ok)
        } catch let error as LinkStarError {
            return Self.html(error.message(reader.language), status: Self.status(error.kind))
        }
    }

    // MARK: Reviews

    func review(_ request: Request, _ context: Context, message: String?, status: HTTPResponse.Status) async throws -> Response {
        guard let session = try await currentSession(request) else { return Self.redirect("/sign-in") }
        guard let id = Self.number(context, "id") else { return Self.html("", status: .notFound) }
        let reader = try await self.reader(request)
        let pack: ReviewPack
        do { pack = try await database.reviewPack(id) } catch let error as LinkStarError {
            return Self.html(error.message(reader.language), status: Self.status(error.kind))
        }
        let html = ReviewPage.render(pack, reader, viewer: .init(principal: session.principal, csrf: session.csrf), message: message,
                                     generatedAt: database.now())
        return Self.html(html, status: status)
    }

    /// A form that writes: this site's CSRF token, the role the permission table asks, then the one use case.
    /// A refusal re-renders the page with the use case's message and its status.
    func write(_ request: Request, _ context: Context, _ operation: WriteOperation,
               _ body: @Sendable (Principal, [String: String]) async throws -> Void) async throws -> Response {
        guard let session = try await currentSession(request) else { return Self.redirect("/sign-in") }
        let form = try await Self.form(request, context)
        let reader = try await self.reader(request)
        guard sameOrigin(request), let csrf = form["csrf"], Self.constantTimeEqual(csrf, session.csrf) else {
            return Self.html(reader("the form is out of date or came from another site: reload the page and try again"), status: .forbidden)
        }
        do {
            try PermissionRule.check(handle: session.principal.handle, role: session.principal.role, active: true, operation: operation)
            try await body(session.principal, form)
        } catch let error as LinkStarError {
            return try await review(request, context, message: error.message(reader.language), status: Self.status(error.kind))
        }
        return Self.redirect(request.uri.path.components(separatedBy: "/").prefix(3).joined(separator: "/"))
    }

    func checkItem(_ request: Request, _ context: Context, checked: Bool) async throws -> Response {
        guard let id = Self.number(context, "id"), let item = Self.number(context, "item") else { return Self.html("", status: .notFound) }
        return try await write(request, context, .reviewCheck) { principal, form in
            let note = form["note"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            _ = try await database.setReviewItem(id, item: Int(item), checked: checked, note: checked ? note : nil, actor: principal.handle)
        }
    }

    func closeReview(_ request: Request, _ context: Context) async throws -> Response {
        guard let id = Self.number(context, "id") else { return Self.html("", status: .notFound) }
        return try await write(request, context, .reviewClose) { principal, _ in
            _ = try await database.closeReview(id, actor: principal.handle)
        }
    }

    /// A finding or a decision (`kind`), its `text`.
    func addNote(_ request: Request, _ context: Context) async throws -> Response {
        guard let id = Self.number(context, "id") else { return Self.html("", status: .notFound) }
        return try await write(request, context, .reviewNote) { principal, form in
            _ = try await database.addReviewNote(id, kind: form["kind"] ?? "", text: form["text"] ?? "", actor: principal.handle)
        }
    }

    /// Where a cached page takes the signed-in person's navigation (no template or value can produce it: NUL is never output).
    static var navSlot: String { "\u{0}linkstar-nav\u{0}" }

    static func number(_ context: Context, _ name: String) -> Int64? {
        context.parameters.get(name).flatMap { Int64($0) }.flatMap { (1...Int64(Int32.max)).contains($0) ? $0 : nil }
    }

    static func status(_ kind: LinkStarError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .notFound: .notFound
        case .invalid: .unprocessableContent
        case .conflict: .conflict
        case .forbidden: .forbidden
        case .busy: .serviceUnavailable
        }
    }

    // MARK: Pages

    func overview(_ request: Request, tv: Bool) async throws -> Response {
        guard let session = try await currentSession(request) else { return Self.redirect("/sign-in") }
        let reader = try await self.reader(request)
        let today = database.today()
        let version = try await database.changeToken()
        let key = "\(tv ? "tv" : "page")|\(reader.language.rawValue)|\(reader.timeZone.identifier)|\(today.ordinal)"
        let page: String
        if let kept = overviewPages.value(key, version: version) {
            page = kept
        } else {
            let period = try PeriodSpec.resolve(period: nil, from: nil, to: nil, today: today)
            let overview = try await database.overview(period: period, today: today)
            var model = OverviewPage.model(overview, reader, generatedAt: database.now(), links: .served)
            model["navSlot"] = Self.navSlot
            if tv {
                model["bodyClass"] = "tv"
                model["refresh"] = "60"
            }
            page = OverviewPage.library.render(model, withTemplate: "page") ?? ""
            overviewPages.store(page, key, version: version)
        }
        let nav = OverviewPage.library.render(DetailPages.nav(reader, session.principal, csrf: session.csrf), withTemplate: "nav") ?? ""
        return Self.html(page.replacingOccurrences(of: Self.navSlot, with: nav), status: .ok)
    }

    func signInPage(_ request: Request, error: Message?, status: HTTPResponse.Status) async throws -> Response {
        let r = try await reader(request)
        let model: [String: Any] = [
            "lang": r.language == .zh ? "zh-CN" : "en", "title": "LinkStar", "css": OverviewPage.css, "heading": r("Sign in"),
            "tokenLabel": r("Your API token"), "submitLabel": r("Sign in"), "error": error.map { r($0) } ?? false,
            "hint": r("An admin creates one with linkstar token create --person HANDLE --role ROLE; it is used once and not kept in the browser."),
        ]
        return Self.html(OverviewPage.library.render(model, withTemplate: "signin") ?? "", status: status)
    }

    // MARK: Forms

    func signIn(_ request: Request, _ context: Context) async throws -> Response {
        guard sameOrigin(request) else { return try await signInPage(request, error: "the form came from another site", status: .forbidden) }
        let form = try await Self.form(request, context)
        guard let token = form["token"]?.trimmingCharacters(in: .whitespaces), !token.isEmpty, token.count <= 200,
              let session = try await database.startWebSession(token: token) else {
            return try await signInPage(request, error: "unknown or revoked token", status: .unauthorized)
        }
        var response = Self.redirect("/")
        response.setCookie(Cookie(name: Self.cookieName, value: session.secret, maxAge: Int(WorkspaceDatabase.webSessionLifetime), path: "/",
                                  secure: secure(request), httpOnly: true, sameSite: .strict))
        return response
    }

    func signOut(_ request: Request, _ context: Context) async throws -> Response {
        guard let session = try await currentSession(request) else { return Self.redirect("/sign-in") }
        let form = try await Self.form(request, context)
        guard sameOrigin(request), let csrf = form["csrf"], Self.constantTimeEqual(csrf, session.csrf) else {
            return Self.html(try await reader(request)("the form is out of date or came from another site: reload the page and try again"), status: .forbidden)
        }
        if let secret = request.cookies[Self.cookieName]?.value { try await database.endWebSession(secret: secret) }
        var response = Self.redirect("/sign-in")
        response.setCookie(Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/", secure: secure(request), httpOnly: true, sameSite: .strict))
        return response
    }

    // MARK: Support

    func currentSession(_ request: Request) async throws -> WebSessionPrincipal? {
        guard let secret = request.cookies[Self.cookieName]?.value else { return nil }
        return try await database.webSession(secret: secret)
    }

    /// The reader: `?lang=`, else Accept-Language when it names a language, else the workspace's `lang`, else English;
    /// times in the workspace's time zone.
    func reader(_ request: Request) async throws -> Reader {
        let display = try await database.displaySettings()
        let asked = request.uri.queryParameters["lang"].flatMap { Language.recognise(String($0)) }
        let header = request.headers[.acceptLanguage].flatMap { header -> Language? in
            let language = Language.fromAcceptLanguage(header)
            return header.lowercased().contains(language.rawValue) ? language : nil
        }
        return Reader(language: asked ?? header ?? display.language ?? .en, timeZone: display.timeZone)
    }

    func secure(_ request: Request) -> Bool {
        secureCookies || request.headers[.init("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// A form POST must come from this site: its Origin (or Referer) host, when sent, is the Host it was sent to.
    func sameOrigin(_ request: Request) -> Bool {
        guard let host = request.head.authority else { return true }
        for sent in [request.headers[.origin], request.headers[.referer]] {
            if let value = sent {
                guard let url = URL(string: value), let origin = url.host else { return false }
                return origin + (url.port.map { ":\($0)" } ?? "") == host || origin == host
            }
        }
        return true
    }

    static func form(_ request: Request, _ context: Context) async throws -> [String: String] {
        var request = request
        let buffer = try await request.collectBody(upTo: 16 * 1024)
        let text = String(buffer: buffer)
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if let key = parts.first { fields[key] = parts.count > 1 ? parts[1] : "" }
        }
        return fields
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static func html(_ body: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                           .init("X-Frame-Options")!: "DENY", .init("Content-Security-Policy")!: "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'"],
                 body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
