import Foundation
import Hummingbird
import HummingbirdTesting
import LinkStarCore
import LinkStarHTTP
import Testing
@testable import LinkStarStore

/// The API reads Accept-Language for what a person reads; what a program reads never changes.
@Suite("API: Accept-Language")
struct LanguageAPITests {
    func send(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String, language: String?,
              json: String? = nil) async throws -> (HTTPResponse.Status, HTTPFields, String) {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if let language { headers[.acceptLanguage] = language }
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            (response.status, response.headers, String(buffer: response.body))
        }
    }

    @Test("errors: the message in the request's language, the code, fields and status the same; Content-Language says which")
    func errorsInChinese() async throws {
        let (f, app) = try await APIFixture.make()
        try await app.test(.router) { client in
            let (enStatus, enHeaders, en) = try await send(client, .get, "/api/v1/kpis/999", token: f.viewer, language: nil)
            let (zhStatus, zhHeaders, zh) = try await send(client, .get, "/api/v1/kpis/999", token: f.viewer, language: "zh-CN,zh;q=0.9,en;q=0.8")
            #expect(enStatus == .notFound && zhStatus == .notFound)
            #expect(en.contains(#""message":"no KPI with id 999""#), "\(en)")
            #expect(zh.contains(#""message":"没有编号为 999 的 KPI""#), "\(zh)")
            #expect(en.contains(#""code":"not_found""#) && zh.contains(#""code":"not_found""#))
            #expect(enHeaders[.contentLanguage] == "en" && zhHeaders[.contentLanguage] == "zh")
            #expect(zhHeaders[.vary] == "Accept-Language")

            // A field-level error keeps its field name; only the words change.
            let body = #"{"metric":"sessions","segment":"amazon/USA1/mobile"}"#
            let (status, _, invalid) = try await send(client, .put, "/api/v1/kpis", token: f.admin, language: "zh", json: body)
            #expect(status == .unprocessableContent)
            let object = try JSONSerialization.jsonObject(with: Data(invalid.utf8)) as? [String: Any]
            let error = object?["error"] as? [String: Any]
            let detail = (error?["details"] as? [[String: Any]])?.first
            #expect(detail?["field"] as? String == "segment", "\(invalid)")
            #expect((detail?["message"] as? String)?.hasPrefix("站点 'USA1' 必须是") == true, "\(invalid)")

            // Unauthenticated requests are answered in the language too.
            let unauthorized = try await client.execute(uri: "/api/v1/kpis", method: .get, headers: [.acceptLanguage: "zh"]) { String(buffer: $0.body) }
            #expect(unauthorized.contains("请发送 Authorization"), "\(unauthorized)")
        }
    }

    @Test("reads: the same JSON in every language except human-readable notes; cached answers are kept per language")
    func readsPerLanguage() async throws {
        let (f, app) = try await APIFixture.make()
        try await app.test(.router) { client in
            let (_, _, en) = try await send(client, .get, "/api/v1/funnel?from=2026-11-01&to=2026-11-07", token: f.viewer, language: "en")
            let (_, _, zh) = try await send(client, .get, "/api/v1/funnel?from=2026-11-01&to=2026-11-07", token: f.viewer, language: "zh")
            let (_, _, again) = try await send(client, .get, "/api/v1/funnel?from=2026-11-01&to=2026-11-07", token: f.viewer, language: "en")
            #expect(en == again, "the cached English answer is not the Chinese one")
            let enObject = try #require(try JSONSerialization.jsonObject(with: Data(en.utf8)) as? [String: Any])
            let zhObject = try #require(try JSONSerialization.jsonObject(with: Data(zh.utf8)) as? [String: Any])
            #expect(Set(enObject.keys) == Set(zhObject.keys))
            #expect((enObject["notes"] as? [String])?.first == "no observations in 2026-11-01..2026-11-07 for */*/*")
            #expect((zhObject["notes"] as? [String])?.first == "2026-11-01..2026-11-07 期间 */*/* 没有数据")
        }
    }

    @Test("the review pack as Markdown in the request's language")
    func packMarkdown() async throws {
        let (f, app) = try await APIFixture.make()
        let review = try await f.database.startReview(.layer(.conversion), today: try Day(parsing: "2026-11-25"), actor: "chen.jie")
        try await app.test(.router) { client in
            let (status, headers, zh) = try await send(client, .get, "/api/v1/reviews/\(review.id)/pack", token: f.viewer, language: "zh")
            #expect(status == .ok)
            #expect(headers[.contentType] == "text/markdown; charset=utf-8")
            #expect(zh.hasPrefix("# 复盘 转化层"), "\(zh.prefix(100))")
            #expect(zh.contains("## 清单") && zh.contains("- [ ] 1. Compare cart_to_checkout_rate"), "the playbook's own words stay as written")
            let (_, _, en) = try await send(client, .get, "/api/v1/reviews/\(review.id)/pack", token: f.viewer, language: nil)
            #expect(en.hasPrefix("# 复盘 conversion") && en.contains("## Checklist"))
            let (missing, _, _) = try await send(client, .get, "/api/v1/reviews/999/pack", token: f.viewer, language: "zh")
            #expect(missing == .notFound)
        }
    }
}
