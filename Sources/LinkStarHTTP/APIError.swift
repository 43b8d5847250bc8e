import Foundation
import Hummingbird
import LinkStarCore
import Logging

/// The one error envelope: `{"error":{"code":"…","message":"…","details":[…]}}`.
public struct APIError: Error, HTTPResponseError {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var details: [LinkStarError.Detail]

    public init(_ status: HTTPResponse.Status, code: String, message: String, details: [LinkStarError.Detail] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    /// The HTTP form of a domain error.
    init(_ error: LinkStarError) {
        switch error.kind {
        case .notFound: self.init(.notFound, code: "not_found", message: error.message, details: error.details)
        case .invalid: self.init(.unprocessableContent, code: "validation_failed", message: error.message, details: error.details)
        case .conflict: self.init(.conflict, code: "conflict", message: error.message, details: error.details)
        case .forbidden: self.init(.forbidden, code: "forbidden", message: error.message, details: error.details)
        }
    }

    struct Envelope: Encodable {
        struct Body: Encodable {
            var code: String
            var message: String
            var details: [LinkStarError.Detail]
        }
        var error: Body
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse.make(Envelope(error: .init(code: code, message: message, details: details)), status: status)
    }
}

/// Maps every error to the envelope; anything unexpected is a 500 without internals.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as LinkStarError {
            return try APIError(error).response(from: request, context: context)
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "not_found" : error.status == .contentTooLarge ? "body_too_large" : "http_\(error.status.code)"
            let message = error.status == .notFound ? "no route \(request.method) \(request.uri.path)" : (error.body ?? error.status.reasonPhrase)
            return try APIError(error.status, code: code, message: message).response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error: \(String(describing: error))")
            return try APIError(.internalServerError, code: "internal_error", message: "something went wrong; the server log has the details")
                .response(from: request, context: context)
        }
    }
}
