import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore
import Logging

/// The one error envelope: `{"error":{"code":"…","message":"…","details":[…]}}`.
public struct APIError: Error, HTTPResponseError {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: Message
    public var details: [LinkStarError.Detail]

    public init(_ status: HTTPResponse.Status, code: String, message: Message, details: [LinkStarError.Detail] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    /// The HTTP form of a domain error; its hint travels as `hint` (a code documented in openapi.yaml).
    init(_ error: LinkStarError) {
        self.init(kind: error)
        hint = error.hint
    }

    private init(kind error: LinkStarError) {
        switch error.kind {
        case .notFound: self.init(.notFound, code: "not_found", message: error.summary, details: error.details)
        case .invalid: self.init(.unprocessableContent, code: "validation_failed", message: error.summary, details: error.details)
        case .conflict: self.init(.conflict, code: "conflict", message: error.summary, details: error.details)
        case .forbidden: self.init(.forbidden, code: "forbidden", message: error.summary, details: error.details)
        case .busy: self.init(.serviceUnavailable, code: "busy", message: error.summary, details: error.details)
        }
    }

    struct Envelope: Encodable {
        struct Body: Encodable {
            var code: String
            var message: Message
            var details: [LinkStarError.Detail]
            var hint: LinkStarError.Hint?

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(code, forKey: .code)
                try c.encode(message, forKey: .message)
                try c.encode(details, forKey: .details)
                try c.encode(hint, forKey: .hint)
            }

            enum CodingKeys: String, CodingKey { case code, message, details, hint }
        }
        var error: Body
    }

    /// Extra headers: `Retry-After` on 503, `Allow` on 405.
    public var headers: HTTPFields = [:]
    /// The domain's hint code, when it has one.
    public var hint: LinkStarError.Hint?

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse.make(Envelope(error: .init(code: code, message: message, details: details, hint: hint)), status: status)
        if status == .serviceUnavailable && headers[.retryAfter] == nil { response.headers[.retryAfter] = "1" }
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// Maps every error to the envelope; anything unexpected is a 500 without internals.
/// A path the API serves, asked with a method it does not, is 405 with `Allow`.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let routes: RouteTable

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as LinkStarError {
            return try APIError(error).response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.methods(forPath: request.uri.path)
            if !allowed.isEmpty {
                var refusal = APIError(.methodNotAllowed, code: "method_not_allowed",
                                       message: "\(request.method) is not allowed here; use \(allowed.joined(separator: ", "))")
                refusal.headers[.allow] = allowed.joined(separator: ", ")
                return try refusal.response(from: request, context: context)
            }
            return try APIError(.notFound, code: "not_found", message: "no route \(request.method) \(Excerpt.shortened(request.uri.path))")
                .response(from: request, context: context)
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "not_found" : error.status == .contentTooLarge ? "body_too_large" : "http_\(error.status.code)"
            let message = Message(verbatim: Excerpt.shortened(error.body ?? error.status.reasonPhrase, limit: 200))
            return try APIError(error.status, code: code, message: message).response(from: request, context: context)
        } catch {
            if let domain = WorkspaceDatabase.domainError(error) { return try APIError(domain).response(from: request, context: context) }
            // The actor as the authentication found it (shared with this outer middleware through the request's info).
            context.logger.error("unexpected error: \(String(describing: error))", metadata: ["actor": .string(context.requestInfo.actor ?? "-")])
            return try APIError(.internalServerError, code: "internal_error", message: "something went wrong; the server log has the details")
                .response(from: request, context: context)
        }
    }
}
