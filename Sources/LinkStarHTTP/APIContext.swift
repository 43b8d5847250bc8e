import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// The request context: the authenticated principal, set by `AuthMiddleware`.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who the bearer token stands for (nil on public routes).
    public var principal: Principal?
    /// The workspace's change token when the request was authenticated.
    public var workspaceVersion: Int64
    /// Shared with the access log, which runs outside the authentication and reads who acted once the response is made.
    let requestInfo = RequestInfo()

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.principal = nil
        self.workspaceVersion = -1
    }

    /// The principal, or 401.
    func authenticated() throws -> Principal {
        guard let principal else { throw APIError(.unauthorized, code: "unauthorized", message: "send Authorization: Bearer <token>") }
        return principal
    }

    /// The principal when its role allows `role`, else 403.
    func require(_ role: PersonRole) throws -> Principal {
        let principal = try authenticated()
        guard principal.allows(role) else {
            throw APIError(.forbidden, code: "forbidden", message: "this needs the \(role) role; the token has \(principal.role)")
        }
        return principal
    }
}

/// Settings of the API server.
public struct APIConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Largest request body accepted (413 beyond).
    public var maxBodySize: Int
    /// A connection with no request in progress for this long is closed; it also bounds the time to send a request head.
    public var idleTimeoutSeconds: Int64
    /// Mark the web session cookie Secure (set when a TLS proxy serves the pages; also read from X-Forwarded-Proto).
    public var secureCookies: Bool

    public init(host: String = "127.0.0.1", port: Int = 8080, maxBodySize: Int = 10 * 1024 * 1024,
                idleTimeoutSeconds: Int64 = 30, secureCookies: Bool = false) {
        self.secureCookies = secureCookies
        self.host = host
        self.port = port
        self.maxBodySize = maxBodySize
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }
}

/// What the access log learns from inner middleware (a reference: contexts are copied on the way in).
final class RequestInfo: @unchecked Sendable {
    private let lock = NSLock()
    private var storedActor: String?
    var actor: String? {
        get { lock.withLock { storedActor } }
        set { lock.withLock { storedActor = newValue } }
    }
}

/// The language of the request being served (`Accept-Language`), for human-readable strings in responses.
public enum RequestLanguage {
    @TaskLocal public static var current: Language = .en
}

/// Reads `Accept-Language` for everything the request renders; says so in `Content-Language` and `Vary`.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let language = Language.fromAcceptLanguage(request.headers[.acceptLanguage])
        var response = try await RequestLanguage.$current.withValue(language) { try await next(request, context) }
        response.headers[.contentLanguage] = language.rawValue
        response.headers[.vary] = "Accept-Language"
        return response
    }
}
