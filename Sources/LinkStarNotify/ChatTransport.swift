import AsyncHTTPClient
import Foundation
import LinkStarFormats

/// A vendor's answer to one request.
public struct TransportAnswer: Sendable, Equatable {
    public var status: Int
    public var retryAfter: String?
    public var body: Data

    public init(status: Int, retryAfter: String? = nil, body: Data) {
        self.status = status
        self.retryAfter = retryAfter
        self.body = body
    }
}

/// Sends one request and returns the answer; throws when none came (refused, timed out).
public protocol ChatTransport: Sendable {
    func send(_ request: ChatRequest, timeoutSeconds: Int) async throws -> TransportAnswer
}

/// The real transport: async-http-client, no redirects followed (a robot's address does not move, and a redirect
/// must not carry the signature elsewhere), a deadline on every request, answers read up to 64 KiB.
public final class HTTPChatTransport: ChatTransport {
    let client: HTTPClient

    public init() {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        // Each request's own deadline (`timeoutSeconds`) bounds it as a whole; connecting alone may take 10 s.
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func send(_ request: ChatRequest, timeoutSeconds: Int) async throws -> TransportAnswer {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = .POST
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) { outgoing.headers.add(name: name, value: value) }
        outgoing.headers.replaceOrAdd(name: "User-Agent", value: "LinkStar")
        outgoing.body = .bytes(Array(request.body))
        let response = try await client.execute(outgoing, timeout: .seconds(Int64(timeoutSeconds)))
        let body = try await response.body.collect(upTo: 64 * 1024)
        return TransportAnswer(status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"),
                               body: Data(body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? []))
    }

    /// Closes the client's connections; call once, when done.
    public func shutdown() async throws { try await client.shutdown() }
}
