import Foundation
import Hummingbird
import HummingbirdTesting
import LinkStarCore
import LinkStarHTTP
import GRDB
import Testing
@testable import LinkStarStore

/// Issue 9: every finding of the reliability probe, sent over HTTP to one running server, which must survive them all.
@Suite("API hardening")
struct APIHardeningTests {
    /// Sends a request and returns status, headers and the raw body.
    func raw(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String?,
             body: String? = nil) async throws -> (HTTPResponse.Status, HTTPFields, String) {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            (response.status, response.headers, String(buffer: response.body))
        }
    }

    func field(_ body: String) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        let details = (object?["error"] as? [String: Any])?["details"] as? [[String: Any]]
        return details?.first?["field"] as? String
    }

    @Test("the probe's requests get documented errors, write nothing, and the server stays up")
    func probeRepros() async throws {
        let (f, app) = try await APIFixture.make()
        let before = try await Fixture.dump(f.database)
        try await app.test(.live) { client in
            // Days outside the supported range: 400 naming `today`, never a crash.
            for uri in ["/api/v1/check?today=9999-12-31", "/api/v1/check?today=1900-01-01", "/api/v1/reviews/due?today=1900-01-05",
                        "/api/v1/funnel?today=2100-01-01", "/api/v1/kpis/status?from=1999-12-01&to=2000-01-02",
                        "/api/v1/funnel?period=2100-W01"] {
                let (status, _, body) = try await raw(client, .get, uri, token: f.viewer)
                #expect(status == .badRequest, "\(uri): \(body)")
            }
            let (reviewStatus, _, reviewBody) = try await raw(client, .post, "/api/v1/reviews?today=1900-01-03", token: f.admin,
                                                              body: #"{"scope": "traffic"}"#)
            #expect(reviewStatus == .badRequest, "\(reviewBody)")
            #expect(field(reviewBody) == "today")

            // A value no unit allows: 422 naming the element and field; nothing stored.
            let huge = #"{"observations": [{"date": "2026-11-01", "channel": "amazon", "market": "US", "device": "mobile", "metric": "sessions", "value": 1e308}]}"#
            let (hugeStatus, _, hugeBody) = try await raw(client, .post, "/api/v1/observations", token: f.editor, body: huge)
            #expect(hugeStatus == .unprocessableContent, "\(hugeBody)")
            #expect(field(hugeBody) == "observations[0].value")
            // A number beyond Double's range is JSON's syntax (RFC 8259), but no value: refused when the field is read.
            let beyond = huge.replacingOccurrences(of: "1e308", with: "1e400")
            let (beyondStatus, _, beyondBody) = try await raw(client, .post, "/api/v1/observations", token: f.editor, body: beyond)
            #expect(beyondStatus == .unprocessableContent, "\(beyondBody)")
            #expect(field(beyondBody) == "body")
            #expect(beyondBody.contains("out of range"), "\(beyondBody)")
            // So is an escaped half of a surrogate pair in a field that is read; in one that is not, it is ignored.
            // (The second lacks `from`: its ignored number let it reach the field check.)
            for (body, named) in [(#"{"kind": "promo", "title": "a\uD800b", "from": "2026-11-01"}"#, "body"),
                                  (#"{"kind": "promo", "title": "ok", "ignored": 1e999}"#, "from")] {
                let (got, _, text) = try await raw(client, .post, "/api/v1/events", token: f.editor, body: body)
                #expect(got == .unprocessableContent, "\(body): \(text)")
                #expect(field(text) == named, "\(body): \(text)")
            }

            // Malformed JSON is 400, whatever fields it would have had, wherever the syntax breaks: even after fields
            // that are present and of the right type, or fields that are missing or wrong before the break.
            let observation = #"{"date": "2026-11-01", "channel": "amazon", "market": "US", "device": "mobile", "metric": "sessions", "value": 1"#
            // (Trailing commas and leading zeros are among them: Foundation's decoder accepts both, the syntax check
            // before decoding, `JSONSyntax`, refuses them.)
            for broken in [#"{"kind": "promo", "tit"#, "{", "[1,", "nul", #"{"kind": "promo"} x"#, #"{"kind": "promo",}"#,
                           #"{"observations": [\#(observation)},]}"#,
                           #"{"observations": [\#(observation)}, {"date": tru}]}"#,
                           #"{"observations": [\#(observation)}]"#, #"{"observations": "unterminated}"#, #"{"observations": [\#(observation)}]}}"#,
                           #"{"observations": [{"value": 01}]}"#, String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)] {
                for path in ["/api/v1/events", "/api/v1/observations"] {
                    let (status, _, body) = try await raw(client, .post, path, token: f.editor, body: broken)
                    #expect(status == .badRequest, "\(path) \(broken.prefix(80)): \(body)")
                    #expect(body.contains("malformed_body"), "\(path) \(broken.prefix(80)): \(body)")
                }
            }
            // Bytes that are not UTF-8, inside a string or outside one: 400 too.
            for bytes: [UInt8] in [Array(#"{"kind": "promo", "title": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8), [0xFF, 0xFE, 0x7B, 0x7D]] {
                let status = try await client.execute(uri: "/api/v1/events", method: .post,
                                                      headers: [.authorization: "Bearer \(f.editor)", .contentType: "application/json"],
                                                      body: ByteBuffer(bytes: bytes)) { $0.status }
                #expect(status == .badRequest, "\(bytes)")
            }

            // Unknown enum values are 422 with the field, not 404.
            let (roleStatus, _, roleBody) = try await raw(client, .post, "/api/v1/people", token: f.admin,
                                                          body: #"{"handle": "wang.fang", "display_name": "W", "role": "superuser"}"#)
            #expect(roleStatus == .unprocessableContent, "\(roleBody)")
            #expect(field(roleBody) == "role")
            let (kindStatus, _, kindBody) = try await raw(client, .post, "/api/v1/events", token: f.editor,
                                                          body: #"{"kind": "sale", "title": "x", "from": "2026-11-11"}"#)
            #expect(kindStatus == .unprocessableContent, "\(kindBody)")
            #expect(field(kindBody) == "kind")

            // HEAD works wherever GET does; undeclared methods are 405 with Allow.
            let (headStatus, headHeaders, headBody) = try await raw(client, .head, "/health", token: nil)
            #expect(headStatus == .ok)
            #expect(headBody.isEmpty)
            #expect(headHeaders[.contentLength] != nil)
            #expect(try await raw(client, .head, "/api/v1/layers", token: f.viewer).0 == .ok)
            let (traceStatus, traceHeaders, _) = try await raw(client, .init("TRACE")!, "/health", token: nil)
            #expect(traceStatus == .methodNotAllowed)
            #expect(traceHeaders[.allow] == "GET, HEAD")
            let (deleteStatus, deleteHeaders, _) = try await raw(client, .delete, "/api/v1/layers/traffic", token: f.admin)
            #expect(deleteStatus == .methodNotAllowed)
            #expect(deleteHeaders[.allow] == "GET, HEAD")
            #expect(try await raw(client, .get, "/api/v1/nothing-here", token: f.viewer).0 == .notFound)

            // Percent-encoded Chinese layer names decode.
            let (layerStatus, _, layerBody) = try await raw(client, .get, "/api/v1/layers/%E8%BD%AC%E5%8C%96%E5%B1%82", token: f.viewer)
            #expect(layerStatus == .ok, "\(layerBody)")
            #expect(layerBody.contains("\"conversion\""))

            // Errors quote a short excerpt, not the whole input.
            let long = String(repeating: "x", count: 64 * 1024)
            let (longStatus, _, longBody) = try await raw(client, .get, "/api/v1/layers/\(long)", token: f.viewer)
            #expect(longStatus == .notFound)
            #expect(longBody.utf8.count < 2048)
            let (queryStatus, _, queryBody) = try await raw(client, .get, "/api/v1/funnel?period=\(long)", token: f.viewer)
            #expect(queryStatus == .badRequest)
            #expect(queryBody.utf8.count < 2048)

            // The server survived all of it.
            #expect(try await raw(client, .get, "/health", token: nil).0 == .ok)
        }
        #expect(try await Fixture.dump(f.database) == before)
    }

    @Test("a write while another process holds the lock past the busy timeout is 503 with Retry-After, and writes nothing")
    func busy() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("busy-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try WorkspaceDatabase.openFile(at: path, access: .pool)
        _ = try await database.seedDefaults(actor: "setup")
        _ = try await database.addPerson(NewPerson(handle: "lin.wei", displayName: "L", role: .admin), actor: "setup")
        let token = try await database.createToken(person: "lin.wei", role: .admin, actor: "setup").token
        // Another connection, as another process would, holds the write lock.
        let other = try DatabaseQueue(path: path)
        let app = buildApplication(database: database)
        try await app.test(.router) { client in
            let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), released = DispatchSemaphore(value: 0)
            Thread {
                _ = try? other.inTransaction(.immediate) { _ in
                    locked.signal()
                    _ = release.wait(timeout: .now() + 60)
                    return .rollback
                }
                released.signal()
            }.start()
            locked.wait()
            let (status, headers, body) = try await raw(client, .post, "/api/v1/events", token: token,
                                                        body: #"{"kind": "promo", "title": "11.11", "from": "2026-11-11"}"#)
            release.signal()
            released.wait()
            #expect(status == .serviceUnavailable, "\(body)")
            #expect(headers[.retryAfter] != nil)
            #expect(body.contains("\"busy\""))
        }
        #expect(try await database.events().isEmpty)
    }

    @Test("an idle connection (or one that never finishes its request head) is closed after the idle timeout")
    func idleTimeout() async throws {
        let database = try WorkspaceDatabase.inMemory()
        let app = buildApplication(database: database, configuration: APIConfiguration(port: 0, idleTimeoutSeconds: 1))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            for partial in ["", "GET /health HTTP/1.1\r\nHost: x\r\n"] {
                let socket = try TCPSocket(port: port)
                defer { socket.close() }
                if !partial.isEmpty { socket.send(partial) }
                let start = Date()
                // recv returns 0 when the server closes the connection.
                let closed = socket.waitForClose(timeout: 5)
                #expect(closed, "connection with \(partial.debugDescription) stayed open")
                #expect(Date().timeIntervalSince(start) < 4)
            }
        }
    }
}

/// A minimal blocking TCP client for the timeout test.
final class TCPSocket {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    func send(_ text: String) { _ = text.withCString { Glibc.send(fd, $0, strlen($0), 0) } }

    /// True when the peer closes within `timeout` seconds.
    func waitForClose(timeout: Int) -> Bool {
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }

    func close() { Glibc.close(fd) }
}
