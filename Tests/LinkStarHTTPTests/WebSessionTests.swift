import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import LinkStarCore
import LinkStarHTTP
import LinkStarPlaybooks
import Testing
@testable import LinkStarStore

/// The web pages' sign-in: a session cookie that is HttpOnly, SameSite=Strict, expiring, stored hashed and ended by
/// sign-out; every form carries the CSRF token; the session acts with its token's role.
@Suite("Web: sign-in, sessions and CSRF")
struct WebSessionTests {
    struct Page { var status: HTTPResponse.Status; var headers: HTTPFields; var body: String }

    func send(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, cookie: String? = nil,
              form: String? = nil, headers extra: HTTPFields = [:]) async throws -> Page {
        var headers = extra
        if let cookie { headers[.cookie] = "linkstar_session=\(cookie)" }
        if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: form.map { ByteBuffer(string: $0) }) {
            Page(status: $0.status, headers: $0.headers, body: String(buffer: $0.body))
        }
    }

    static func cookieValue(_ page: Page) -> String? {
        guard let header = page.headers[.setCookie], let range = header.range(of: "linkstar_session=") else { return nil }
        return String(header[range.upperBound...].prefix { $0 != ";" })
    }

    static func csrf(_ html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    @Test("sign in with a token, read the overview, sign out; the cookie's attributes; the session stored hashed")
    func signInAndOut() async throws {
        let (f, app) = try await APIFixture.make()
        try await app.test(.router) { client in
            let anonymous = try await send(client, .get, "/")
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/sign-in")
            let form = try await send(client, .get, "/sign-in")
            #expect(form.status == .ok && form.body.contains(#"name="token""#) && form.body.contains(#"action="/sign-in""#))

            let wrong = try await send(client, .post, "/sign-in", form: "token=not-a-token")
            #expect(wrong.status == .unauthorized && wrong.body.contains("unknown or revoked token") && Self.cookieValue(wrong) == nil)

            let signedIn = try await send(client, .post, "/sign-in", form: "token=\(f.viewer)")
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/")
            let setCookie = try #require(signedIn.headers[.setCookie])
            for attribute in ["HttpOnly", "SameSite=Strict", "Max-Age=43200", "Path=/"] { #expect(setCookie.contains(attribute), "\(setCookie)") }
            #expect(!setCookie.contains("Secure"), "plain HTTP on loopback: not Secure")
            let secret = try #require(Self.cookieValue(signedIn))
            #expect(secret.count == 64)
            // Only the hash is stored.
            let stored = try await f.database.writer.read { db in try String.fetchAll(db, sql: "SELECT session_hash FROM web_session") }
            #expect(stored.count == 1 && stored[0] != secret && !stored[0].isEmpty)

            let overview = try await send(client, .get, "/", cookie: secret)
            #expect(overview.status == .ok, "\(overview.body.prefix(300))")
            #expect(overview.body.contains("LinkStar overview") && overview.body.contains("sun.li (viewer)"))
            #expect(overview.headers[.contentType] == "text/html; charset=utf-8" && overview.headers[.cacheControl] == "no-store")
            let csrf = try #require(Self.csrf(overview.body))
            #expect(csrf.count == 64)
            let tv = try await send(client, .get, "/tv", cookie: secret)
            #expect(tv.status == .ok && tv.body.contains(#"http-equiv="refresh""#) && tv.body.contains(#"class="tv""#))

            // Sign-out needs the CSRF token of this session, from this site.
            #expect(try await send(client, .post, "/sign-out", cookie: secret, form: "").status == .forbidden)
            #expect(try await send(client, .post, "/sign-out", cookie: secret, form: "csrf=\(String(repeating: "0", count: 64))").status == .forbidden)
            #expect(try await send(client, .post, "/sign-out", cookie: secret, form: "csrf=\(csrf)",
                                   headers: [.origin: "http://evil.example"]).status == .forbidden)
            #expect(try await send(client, .get, "/", cookie: secret).status == .ok, "a refused sign-out leaves the session alive")
            let out = try await send(client, .post, "/sign-out", cookie: secret, form: "csrf=\(csrf)")
            #expect(out.status == .seeOther && out.headers[.location] == "/sign-in")
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await send(client, .get, "/", cookie: secret).status == .seeOther, "an ended session is gone")
            // Both are audited, without the secret.
            let audit = try await f.database.auditEntries(entity: "person", entityId: "sun.li", limit: 10)
            #expect(Set(audit.map(\.action)).isSuperset(of: ["session.start", "session.end"]))
            #expect(!String(describing: audit).contains(secret))
        }
    }

    @Test("a session expires, dies with its token or person, and is Secure behind TLS")
    func expiryAndRevocation() async throws {
        let (f, app) = try await APIFixture.make()
        let expired = try #require(try await f.database.startWebSession(token: f.editor, lifetime: -1))
        let live = try #require(try await f.database.startWebSession(token: f.viewer))
        try await app.test(.router) { client in
            #expect(try await send(client, .get, "/", cookie: expired.secret).status == .seeOther)
            #expect(try await send(client, .get, "/", cookie: live.secret).status == .ok)
            #expect(try await send(client, .get, "/", cookie: String(repeating: "a", count: 64)).status == .seeOther)
            #expect(try await send(client, .get, "/", cookie: "short").status == .seeOther)
            // Revoking the token ends every session signed in with it.
            _ = try await f.database.revokeToken(id: live.principal.tokenId, actor: "lin.wei")
            #expect(try await send(client, .get, "/", cookie: live.secret).status == .seeOther)
            // Behind a TLS proxy the cookie is Secure.
            let secure = try await send(client, .post, "/sign-in", form: "token=\(f.admin)", headers: [.init("X-Forwarded-Proto")!: "https"])
            #expect(secure.headers[.setCookie]?.contains("Secure") == true)
        }
    }

    func signIn(_ client: some TestClientProtocol, _ token: String) async throws -> (cookie: String, csrf: String) {
        let page = try await send(client, .post, "/sign-in", form: "token=\(token)")
        let cookie = try #require(Self.cookieValue(page))
        let overview = try await send(client, .get, "/", cookie: cookie)
        return (cookie, try #require(Self.csrf(overview.body)))
    }

    @Test("the review page: a viewer reads and cannot write; an editor checks items through forms; refusals show the rule")
    func reviewForms() async throws {
        let (f, app) = try await APIFixture.make()
        let review = try await f.database.startReview(.layer(.conversion), today: try Day(parsing: "2026-11-25"), actor: "chen.jie")
        _ = try await f.database.addReviewNote(review.id, kind: "finding", text: "<script>alert(1)</script>", actor: "chen.jie")
        try await app.test(.router) { client in
            let viewer = try await signIn(client, f.viewer)
            let read = try await send(client, .get, "/reviews/\(review.id)", cookie: viewer.cookie)
            #expect(read.status == .ok)
            #expect(read.body.contains("Compare cart_to_checkout_rate") && !read.body.contains("/items/1/check"), "a viewer gets no forms")
            #expect(!read.body.contains("<script>alert(1)</script>") && read.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            // Even a hand-made form is refused by the permission table, and nothing is written.
            let refused = try await send(client, .post, "/reviews/\(review.id)/items/1/check", cookie: viewer.cookie, form: "csrf=\(viewer.csrf)")
            #expect(refused.status == .forbidden && refused.body.contains("review.check needs the editor role"), "\(refused.body.prefix(200))")
            #expect(try await f.database.reviewPack(review.id).review.items[0].checked == false)

            let editor = try await signIn(client, f.editor)
            let page = try await send(client, .get, "/reviews/\(review.id)", cookie: editor.cookie)
            #expect(page.body.contains("/reviews/\(review.id)/items/1/check") && page.body.contains("/reviews/\(review.id)/close"))
            // Without the session's CSRF token: refused.
            #expect(try await send(client, .post, "/reviews/\(review.id)/items/1/check", cookie: editor.cookie, form: "note=x").status == .forbidden)
            let checked = try await send(client, .post, "/reviews/\(review.id)/items/1/check", cookie: editor.cookie,
                                         form: "csrf=\(editor.csrf)&note=MY+mobile+dropped+after+the+SDK+update")
            #expect(checked.status == .seeOther && checked.headers[.location] == "/reviews/\(review.id)")
            let item = try await f.database.reviewPack(review.id).review.items[0]
            #expect(item.checked && item.checkedBy == "chen.jie" && item.note == "MY mobile dropped after the SDK update")
            // An editor who is not the owner, the backup or an admin is told the sign-off rule.
            let notOwner = try await send(client, .post, "/reviews/\(review.id)/close", cookie: editor.cookie, form: "csrf=\(editor.csrf)")
            #expect(notOwner.status == .forbidden && notOwner.body.contains("can sign it off"), "\(notOwner.body.prefix(300))")
            // An admin closing with required items open is told how many, and the review stays open.
            let admin = try await signIn(client, f.admin)
            let close = try await send(client, .post, "/reviews/\(review.id)/close", cookie: admin.cookie, form: "csrf=\(admin.csrf)")
            #expect(close.status == .conflict && close.body.contains("unchecked required items"), "\(close.body.prefix(300))")
            #expect(try await f.database.reviewPack(review.id).review.status == .open)
            #expect(try await send(client, .get, "/reviews/999", cookie: editor.cookie).status == .notFound)

            // Findings and decisions: an editor adds them through the page's forms; empty text is refused with the rule.
            #expect(page.body.contains(#"action="/reviews/\#(review.id)/notes""#) && !read.body.contains("/notes\""), "only writers get the note forms")
            let finding = try await send(client, .post, "/reviews/\(review.id)/notes", cookie: editor.cookie,
                                         form: "csrf=\(editor.csrf)&kind=finding&text=Checkout+errors+on+MY+mobile+%E7%BB%93%E8%B4%A6")
            #expect(finding.status == .seeOther && finding.headers[.location] == "/reviews/\(review.id)")
            let decision = try await send(client, .post, "/reviews/\(review.id)/notes", cookie: editor.cookie,
                                          form: "csrf=\(editor.csrf)&kind=decision&text=Roll+back+the+SDK")
            #expect(decision.status == .seeOther)
            let empty = try await send(client, .post, "/reviews/\(review.id)/notes", cookie: editor.cookie, form: "csrf=\(editor.csrf)&kind=decision&text=+")
            #expect(empty.status == .unprocessableContent && empty.body.contains("the decision is empty"), "\(empty.body.prefix(300))")
            #expect(try await send(client, .post, "/reviews/\(review.id)/notes", cookie: viewer.cookie,
                                   form: "csrf=\(viewer.csrf)&kind=finding&text=x").status == .forbidden)
            let notes = try await f.database.reviewPack(review.id).review
            #expect(notes.findings.map(\.text) == ["<script>alert(1)</script>", "Checkout errors on MY mobile 结账"])
            #expect(notes.decisions.map(\.text) == ["Roll back the SDK"] && notes.decisions[0].author == "chen.jie")
        }
    }

    @Test("every link on every page leads to a page: a crawl from the overview finds no broken link")
    func links() async throws {
        let (f, app) = try await APIFixture.make()
        let kpi = try await f.database.setKPI(KPISpec(metric: "orders", ownerHandle: "chen.jie", target: 12), actor: "lin.wei").kpi.id
        let review = try await f.database.startReview(.layer(.conversion), today: try Day(parsing: "2026-11-25"), actor: "chen.jie")
        let action = try await f.database.logAction(NewAction(title: "Trust badges", layer: .conversion, metric: "orders", kind: .page,
                                                              hypothesis: "badges reassure buyers"), override: GateOverride(reason: "test"),
                                                    actor: "chen.jie").action.id
        _ = try await f.database.startAction(id: action, on: try Day(parsing: "2026-11-10"), override: GateOverride(reason: "test"), actor: "chen.jie")
        try await app.test(.router) { client in
            let viewer = try await signIn(client, f.viewer)
            var queue = ["/"], seen: Set<String> = ["/"]
            var pages: [String: String] = [:]
            while let path = queue.first, pages.count < 300 {
                queue.removeFirst()
                let page = try await send(client, .get, path, cookie: viewer.cookie)
                #expect(page.status == .ok, "\(path) answered \(page.status)")
                pages[path] = page.body
                for link in Self.links(page.body) where !seen.contains(link) {
                    seen.insert(link)
                    queue.append(link)
                }
            }
            // The overview links its KPIs, owners, playbooks, the explorer; the review and action pages are reached too.
            for expected in ["/kpis/\(kpi)", "/people/chen.jie", "/playbooks/conversion", "/funnel", "/audit", "/reviews/\(review.id)", "/actions/\(action)", "/people/sun.li"] {
                #expect(seen.contains(expected), "no link to \(expected) among \(seen.sorted())")
            }
            #expect(pages.count >= 10)
        }
    }

    @Test("the overview is rendered once per workspace version and language; each person still gets their own navigation and CSRF token")
    func overviewKeptPerVersion() async throws {
        let (f, app) = try await APIFixture.make()
        try await app.test(.router) { client in
            let viewer = try await signIn(client, f.viewer)
            let editor = try await signIn(client, f.editor)
            let first = try await send(client, .get, "/", cookie: viewer.cookie)
            let again = try await send(client, .get, "/", cookie: viewer.cookie)
            #expect(first.body == again.body, "the same page while nothing changes")
            let editors = try await send(client, .get, "/", cookie: editor.cookie)
            #expect(editors.body.contains("chen.jie (editor)") && !editors.body.contains("sun.li (viewer)"))
            #expect(Self.csrf(editors.body) == editor.csrf && Self.csrf(again.body) == viewer.csrf)
            #expect(!first.body.contains("\u{0}"), "the navigation slot never reaches the browser")
            let chinese = try await send(client, .get, "/?lang=zh", cookie: viewer.cookie)
            #expect(chinese.body.contains("总览") && chinese.body.contains(#"<span class="who">sun.li（"#) && chinese.body != first.body)
            // A write anywhere (here through the store, as another process would) shows on the next request.
            _ = try await f.database.setKPI(KPISpec(metric: "orders", ownerHandle: "chen.jie", target: 12), actor: "lin.wei")
            let after = try await send(client, .get, "/", cookie: viewer.cookie)
            #expect(after.body != again.body && after.body.contains("data-kpi="), "\(after.body.prefix(200))")
        }
    }

    /// The site-relative links of a page (`href="/…"`), entities decoded.
    static func links(_ html: String) -> [String] {
        html.components(separatedBy: #"href=""#).dropFirst().compactMap { part in
            let link = String(part.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
            return link.hasPrefix("/") && !link.hasPrefix("//") ? link : nil
        }
    }

    @Test("the KPI page (trend, baseline, target, events shaded) and the owner page")
    func detailPages() async throws {
        let (f, app) = try await APIFixture.make()
        let kpi = try await f.database.setKPI(KPISpec(metric: "orders", ownerHandle: "chen.jie",
                                                       baseline: Baseline(value: 10, period: try DayRange(parsing: "2026-10")), target: 12),
                                               actor: "lin.wei").kpi.id
        _ = try await f.database.addEvent(NewEvent(kind: .promo, title: "Black Friday", period: try DayRange(parsing: "2026-11-20..2026-11-21"),
                                                   segment: .all), actor: "chen.jie")
        try await app.test(.router) { client in
            let viewer = try await signIn(client, f.viewer)
            let page = try await send(client, .get, "/kpis/\(kpi)", cookie: viewer.cookie)
            #expect(page.status == .ok)
            #expect(page.body.contains(#"class="event""#) && page.body.contains("Black Friday") && page.body.contains(#"class="baseline""#))
            #expect(page.body.contains(#"class="target""#) && page.body.contains("KPI #\(kpi): orders"))
            #expect(try await send(client, .get, "/kpis/999", cookie: viewer.cookie).status == .notFound)
            let zh = try await send(client, .get, "/kpis/\(kpi)?lang=zh", cookie: viewer.cookie)
            #expect(zh.body.contains("每日趋势") && zh.body.contains("支付订单"))
            let owner = try await send(client, .get, "/people/chen.jie", cookie: viewer.cookie)
            #expect(owner.status == .ok && owner.body.contains("chen.jie — owns") && owner.body.contains("orders"))
            #expect(try await send(client, .get, "/people/nobody", cookie: viewer.cookie).status == .notFound)
            #expect(try await send(client, .get, "/people/chen.jie").status == .seeOther, "pages need a session")
            // The action page: its metric around its window, the title escaped.
            let action = try await f.database.logAction(NewAction(title: "<b>Trust badges</b>", layer: .conversion, metric: "orders", kind: .page,
                                                                  hypothesis: "badges reassure buyers"), override: GateOverride(reason: "test"),
                                                        actor: "chen.jie").action.id
            _ = try await f.database.startAction(id: action, on: try Day(parsing: "2026-11-10"), override: GateOverride(reason: "test"), actor: "chen.jie")
            let actionPage = try await send(client, .get, "/actions/\(action)", cookie: viewer.cookie)
            #expect(actionPage.status == .ok, "\(actionPage.body.prefix(400))")
            #expect(actionPage.body.contains(#"class="window""#) && actionPage.body.contains("badges reassure buyers"), "\(actionPage.body.components(separatedBy: "<main>").last!.prefix(1500))")
            #expect(!actionPage.body.contains("<b>Trust") && actionPage.body.contains("&lt;b&gt;Trust badges&lt;/b&gt;"))
            #expect(try await send(client, .get, "/actions/999", cookie: viewer.cookie).status == .notFound)
            // The funnel explorer, a playbook, the audit log.
            let funnel = try await send(client, .get, "/funnel?period=last-30d&market=US&compare=previous", cookie: viewer.cookie)
            #expect(funnel.status == .ok && funnel.body.contains("<svg") && funnel.body.contains("*/US/*"))
            #expect(try await send(client, .get, "/funnel?market=USA1", cookie: viewer.cookie).status == .unprocessableContent)
            let playbook = try await send(client, .get, "/playbooks/conversion", cookie: viewer.cookie)
            #expect(playbook.status == .ok && playbook.body.contains("<h2>Review checklist</h2>") && playbook.body.contains("☐"))
            #expect(try await send(client, .get, "/playbooks/nope", cookie: viewer.cookie).status == .notFound)
            // Version history: each version listed and linked; an earlier one by ?version=; a bad or missing one refused.
            #expect(playbook.body.contains("<h2>Versions</h2>") && playbook.body.contains("v1 ✓"))
            #expect(try await send(client, .get, "/playbooks/conversion?version=1", cookie: viewer.cookie).status == .ok)
            #expect(try await send(client, .get, "/playbooks/conversion?version=9", cookie: viewer.cookie).status == .notFound)
            #expect(try await send(client, .get, "/playbooks/conversion?version=x", cookie: viewer.cookie).status == .unprocessableContent)
            let conversion = try #require(DefaultPlaybooks.all.first { $0.fileName == "conversion.md" })
            _ = try await f.database.syncPlaybooks([PlaybookSource(fileName: conversion.fileName, content: conversion.markdown + "- [ ] Re-read the SOP\n")],
                                                   actor: "lin.wei")
            let history = try await send(client, .get, "/playbooks/conversion", cookie: viewer.cookie)
            #expect(history.body.contains("v2 ✓") && history.body.contains(#"href="/playbooks/conversion?version=1""#), "\(history.body.suffix(1500))")
            let first = try await send(client, .get, "/playbooks/conversion?version=1", cookie: viewer.cookie)
            #expect(first.status == .ok && !first.body.contains("Re-read the SOP") && history.body.contains("Re-read the SOP"))
            let audit = try await send(client, .get, "/audit?actor=lin.wei", cookie: viewer.cookie)
            #expect(audit.status == .ok && audit.body.contains("<td>kpi:\(kpi)</td>"), "\(audit.body.suffix(800))")
        }
    }

    @Test("pages in the reader's language: Accept-Language or ?lang=")
    func language() async throws {
        let (_, app) = try await APIFixture.make()
        try await app.test(.router) { client in
            let zh = try await send(client, .get, "/sign-in", headers: [.acceptLanguage: "zh-CN,zh;q=0.9"])
            #expect(zh.body.contains("你的 API 令牌") && zh.body.contains(#"lang="zh-CN""#))
            let en = try await send(client, .get, "/sign-in?lang=en", headers: [.acceptLanguage: "zh-CN"])
            #expect(en.body.contains("Your API token"))
        }
    }
}
