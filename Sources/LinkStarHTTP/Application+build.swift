import Foundation
import Hummingbird
import LinkStarWeb
import LinkStarCore
import LinkStarFormats
import LinkStarStore
import Logging

/// Every route the API serves, as `METHOD /path/{param}`, recorded while the router is built
/// (the OpenAPI test compares it with `openapi.yaml`).
public final class RouteTable: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String] = []

    public init() {}

    func add(_ method: String, _ path: String) { lock.withLock { entries.append("\(method) \(path)") } }

    /// `GET /api/v1/layers`, …
    public var all: [String] { lock.withLock { entries.sorted() } }

    /// The methods served on a concrete path (`{param}` matches any one segment), with HEAD wherever GET is.
    func methods(forPath path: String) -> [String] {
        let wanted = path.split(separator: "/", omittingEmptySubsequences: false)
        // The router prefers literal segments over parameters (`/kpis/status` over `/kpis/{id}`): only the most
        // literal patterns that match answer for the path.
        var matches: [(method: String, literals: Int)] = []
        for entry in lock.withLock({ entries }) {
            let parts = entry.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let pattern = parts[1].split(separator: "/", omittingEmptySubsequences: false)
            guard pattern.count == wanted.count else { continue }
            if zip(pattern, wanted).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }) {
                matches.append((String(parts[0]), pattern.filter { !$0.hasPrefix("{") }.count))
            }
        }
        let best = matches.map(\.literals).max() ?? 0
        var methods = Set(matches.filter { $0.literals == best }.map(\.method))
        if methods.contains("GET") { methods.insert("HEAD") }
        let order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
        return methods.sorted { (order.firstIndex(of: $0) ?? 99) < (order.firstIndex(of: $1) ?? 99) }
    }
}

/// HEAD is answered wherever GET is: the GET response's status and headers, no body. It wraps the router's
/// responder, because route lookup happens before router middleware runs.
struct HeadResponder<Inner: HTTPResponder>: HTTPResponder {
    typealias Context = Inner.Context
    let inner: Inner

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .head else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response = try await inner.respond(to: Request(head: head, body: request.body), context: context)
        let length = response.body.contentLength
        response.body = ResponseBody()
        if let length { response.headers[.contentLength] = String(length) }
        return response
    }
}

/// The router, with HEAD answered by its GET routes.
struct HeadAwareRouter<Builder: HTTPResponderBuilder>: HTTPResponderBuilder {
    let router: Builder
    func buildResponder() -> HeadResponder<Builder.Responder> { HeadResponder(inner: router.buildResponder()) }
}

/// Registers routes on a group, recording each in the route table and checking the role.
struct Routes {
    let group: RouterGroup<APIContext>
    let prefix: String
    let table: RouteTable

    typealias Handler = @Sendable (Request, APIContext, Principal) async throws -> Response

    func on(_ method: HTTPRequest.Method, _ path: String, role: PersonRole, _ handler: @escaping Handler) {
        let openAPIPath = prefix + path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
        }.joined(separator: "/")
        table.add(method.rawValue, openAPIPath)
        let responder: @Sendable (Request, APIContext) async throws -> Response = { request, context in
            let principal = try context.require(role)
            return try await handler(request, context, principal)
        }
        switch method {
        case .get: group.get(RouterPath(path), use: responder)
        case .post: group.post(RouterPath(path), use: responder)
        case .put: group.put(RouterPath(path), use: responder)
        case .delete: group.delete(RouterPath(path), use: responder)
        default: group.patch(RouterPath(path), use: responder)
        }
    }

    /// Reads are open to every role.
    func get(_ path: String, role: PersonRole = .viewer, _ handler: @escaping Handler) { on(.get, path, role: role, handler) }
    /// Writes need the role the Core permission table gives their operation (`WriteOperation.requiredRole`).
    func post(_ path: String, _ operation: WriteOperation, _ handler: @escaping Handler) { on(.post, path, role: operation.requiredRole, handler) }
    func put(_ path: String, _ operation: WriteOperation, _ handler: @escaping Handler) { on(.put, path, role: operation.requiredRole, handler) }
    func delete(_ path: String, _ operation: WriteOperation, _ handler: @escaping Handler) { on(.delete, path, role: operation.requiredRole, handler) }
    func patch(_ path: String, _ operation: WriteOperation, _ handler: @escaping Handler) { on(.patch, path, role: operation.requiredRole, handler) }
}

/// Authenticates `Authorization: Bearer …` on every `/api/v1` route.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let database: WorkspaceDatabase
    let cache: ResponseCache

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        guard let token = request.headers[.authorization].flatMap(Self.bearerToken) else {
            throw APIError(.unauthorized, code: "unauthorized", message: "send Authorization: Bearer <token> (linkstar token create)")
        }
        // One look per request: the workspace's versions (read only after a commit). Tokens seen since the credential
        // version last moved are not looked up again: a data import leaves it; a revocation, a new token, a person's new
        // role or deactivation moves it (migration 0015).
        let versions = try await database.versions()
        let version = versions.change
        let hash = ContentHash.sha256Hex(token)
        var principal = cache.principal(forHash: hash, credentials: versions.credentials)
        if principal == nil {
            principal = try await database.authenticate(token: token)
            cache.store(principal: principal, forHash: hash, credentials: versions.credentials)
        }
        guard let principal else {
            throw APIError(.unauthorized, code: "unauthorized", message: "unknown or revoked token")
        }
        var context = context
        context.workspaceVersion = version
        context.principal = principal
        context.requestInfo.actor = principal.handle
        return try await next(request, context)
    }

    /// The token of an `Authorization` header `Bearer <token>` (the scheme in any case), without the spaces and
    /// tabs around it; nil for any other scheme. Byte by byte: this runs on every API request.
    static func bearerToken(_ header: String) -> String? {
        let bytes = Array(header.utf8)
        let scheme = Array("bearer ".utf8)
        guard bytes.count >= scheme.count, zip(bytes, scheme).allSatisfy({ byte, expected in
            expected == UInt8(ascii: " ") ? byte == expected : byte | 0x20 == expected
        }) else { return nil }
        func blank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = scheme.count, end = bytes.count
        while start < end, blank(bytes[start]) { start += 1 }
        while end > start, blank(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

/// Lets the refresh of a write request's commits start once its response is written instead of at the commit: on the
/// build machine's virtual CPUs, starting the refresh's task (which wakes another thread) kept the write's response
/// waiting about 60 µs (README, Benchmarks: "Where a write + answer pair's time goes"). Reads pass through; a write
/// that committed nothing, or after which no answer is due, keeps its body as it is.
struct DeferredRefreshMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let cache: ResponseCache

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        if request.method == .get || request.method == .head { return try await next(request, context) }
        let deferred = ResponseCache.DeferredRefresh()
        var response: Response
        do {
            response = try await ResponseCache.DeferredRefresh.$current.withValue(deferred) { try await next(request, context) }
        } catch {
            cache.start(deferred)
            throw error
        }
        guard deferred.noted, cache.refreshDue else {
            cache.start(deferred)
            return response
        }
        let body = response.body
        let cache = self.cache
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            defer { cache.start(deferred) }
            try await body.write(writer)
        }
        return response
    }
}

/// One log line per request, after the response: method, path (never the query string, which could carry a
/// secret; tokens travel in a header that is never logged), status, duration and the acting person.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info("\(request.method.rawValue) \(request.uri.path) \(response.status.code) \(String(format: "%.1f", milliseconds)) ms actor=\(context.requestInfo.actor ?? "-")")
        return response
    }
}

/// The OpenAPI document in this module (`openapi.yaml`).
public enum OpenAPIDocument {
    public static let yaml = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)
}

/// Builds the API application; `linkstar serve` and the tests use the same builder.
public func buildApplication(database: WorkspaceDatabase, configuration: APIConfiguration = APIConfiguration(),
                             routeTable: RouteTable = RouteTable(), logger: Logger = Logger(label: "linkstar.http"))
    -> some ApplicationProtocol {
    buildApplication(database: database, configuration: configuration, routeTable: routeTable, logger: logger, cache: ResponseCache())
}

/// The same application with a given response cache (tests look at how answers were served).
func buildApplication(database: WorkspaceDatabase, configuration: APIConfiguration, routeTable: RouteTable, logger: Logger,
                      cache: ResponseCache) -> some ApplicationProtocol {
    let router = Router(context: APIContext.self)
    router.add(middleware: DeferredRefreshMiddleware(cache: cache))
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: LanguageMiddleware())
    router.add(middleware: ErrorMiddleware(routes: routeTable))
    router.get("/health") { _, _ in try JSONResponse.make(["status": "ok"]) }
    routeTable.add("GET", "/health")
    router.get("/openapi.yaml") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
    }
    routeTable.add("GET", "/openapi.yaml")
    let api = router.group("api/v1").add(middleware: AuthMiddleware(database: database, cache: cache))
    // After each write this process commits (the API's, the web's), the answers readers asked for are computed again
    // (`ResponseCache`), starting at the commit: while the write's response is still being written.
    cache.commits = database.observeCommits { [weak cache] token in cache?.refreshAfterWrite(version: token) }
    let routes = Routes(group: api, prefix: "/api/v1", table: routeTable)
    let controllers = APISupport(database: database, limit: configuration.maxBodySize, cache: cache)
    controllers.register(routes)
    // The team's screen beside the API: HTML pages with cookie sessions (not part of the JSON API's document).
    WebRoutes<APIContext>(database: database, secureCookies: configuration.secureCookies).register(on: router)
    // The idle timeout also bounds how long a client may take to send a request head (slowloris).
    return Application(router: HeadAwareRouter(router: router), server: .http1(configuration: .init(idleTimeout: .seconds(configuration.idleTimeoutSeconds))),
                       configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "linkstar"),
                       logger: logger)
}
