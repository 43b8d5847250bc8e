import Foundation
import Hummingbird
import LinkStarCore

/// JSON in and out, in the same style as the CLI's `--json` (snake_case, ISO 8601 dates).
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        response(try body(value, language: RequestLanguage.current), status: status)
    }

    /// The JSON text of `value`, its human-readable strings in `language`.
    static func body(_ value: some Encodable, language: Language) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeBytes(try LinkStarJSON.encoder(pretty: false, language: language).encode(value))
        return buffer
    }

    /// A response carrying a JSON body made before (a cached answer's).
    static func response(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }

    /// Decodes a request body, with the size limit (413) and field-level errors (400 malformed, 422 invalid).
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, limit: Int) async throws -> T {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError(.contentTooLarge, code: "body_too_large", message: "the body is larger than \(limit) bytes")
        }
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: limit) } catch {
            throw APIError(.contentTooLarge, code: "body_too_large", message: "the body is larger than \(limit) bytes")
        }
        if buffer.readableBytes == 0 { throw APIError(.badRequest, code: "malformed_body", message: "a JSON body is required") }
        // Syntax first: a truncated or broken document is 400, whatever fields it would have had. Not left to the
        // decoder: it accepts leading zeros and trailing commas (`HardeningTests`).
        guard JSONSyntax.isValid(buffer.readableBytesView) else {
            throw APIError(.badRequest, code: "malformed_body", message: "the body is not valid JSON")
        }
        // A plain document of a type that reads one by hand is decoded without Foundation (`PlainJSONDecodable`).
        if let plain = T.self as? any PlainJSONDecodable.Type,
           let value = buffer.readableBytesView.withContiguousStorageIfAvailable({ plain.decodePlain(text: $0) as? T }) ?? nil {
            return value
        }
        let data = Data(buffer.readableBytesView)
        do {
            // Keys converted from snake_case, unless the type's keys are written as they are sent (no conversion to pay).
            return try LinkStarJSON.decoder(convertingKeys: !(T.self is any JSONWireKeys.Type)).decode(T.self, from: data)
        } catch let error as LinkStarError {
            throw APIError(error)
        } catch let error as DecodingError {
            switch error {
            case .dataCorrupted(let context) where context.codingPath.isEmpty:
                // The syntax is valid (checked above), so the decoder met a value it cannot hold, and it does not say
                // where: a number beyond Double's range or its field's, or an escaped half of a surrogate pair.
                throw APIError(.unprocessableContent, code: "validation_failed",
                               message: "the body holds a value its field cannot take: a number out of range or an unpaired \\u escape",
                               details: [.init(field: "body", message: "a number out of range or an unpaired \\u escape")])
            case .keyNotFound(let key, let context):
                let field = path(context.codingPath + [key])
                throw APIError(.unprocessableContent, code: "validation_failed", message: "\(field) is required",
                               details: [.init(field: field, message: "is required")])
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                let field = path(context.codingPath)
                let message = Message(verbatim: Excerpt.shortened(context.debugDescription, limit: 200))
                throw APIError(.unprocessableContent, code: "validation_failed", message: "\(field): \(message)",
                               details: [.init(field: field, message: message)])
            @unknown default:
                throw APIError(.badRequest, code: "malformed_body", message: "the body could not be read")
            }
        }
    }

    /// `observations[3].value` from a coding path, in snake_case.
    static func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for key in keys {
            if let index = key.intValue { out += "[\(index)]" } else {
                if !out.isEmpty { out += "." }
                out += LinkStarJSON.snakeCase(key.stringValue)
            }
        }
        return out.isEmpty ? "body" : out
    }
}

/// A page of a list: `{"items": […], "next_cursor": "…" | null}`.
struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
    var nextCursor: String?

    private enum CodingKeys: String, CodingKey { case items, nextCursor }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(nextCursor, forKey: .nextCursor)
    }

    /// Pages `all` by `limit` (default 100, at most 1000) and `cursor` (opaque).
    static func of(_ all: [Item], request: Request) throws -> Page {
        var limit = 100
        if let text = request.query("limit") {
            guard text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(String(text)), (1...1000).contains(value) else {
                throw APIError(.badRequest, code: "bad_parameter", message: "limit must be 1 to 1000", details: [.init(field: "limit", message: "1 to 1000")])
            }
            limit = value
        }
        var offset = 0
        if let cursor = request.query("cursor") {
            guard (1...9).contains(cursor.count), cursor.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(cursor) else {
                throw APIError(.badRequest, code: "bad_parameter", message: "cursor is not one this API gave out",
                               details: [.init(field: "cursor", message: "invalid")])
            }
            offset = value
        }
        let slice = Array(all.dropFirst(offset).prefix(limit))
        let next = offset + slice.count < all.count ? String(offset + slice.count) : nil
        return Page(items: slice, nextCursor: next)
    }
}

extension Request {
    /// A query parameter's value, percent-decoded once (by the URI's parser: `%2525` is `%25`, not `%`).
    func query(_ name: String) -> String? { uri.queryParameters[Substring(name)].map { String($0) } }
}
