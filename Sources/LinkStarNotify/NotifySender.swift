import Foundation
import LinkStarCore
import LinkStarFormats
import LinkStarStore
import LinkStarText

/// What one delivery run did.
public struct DeliveryReport: Codable, Sendable, Equatable {
    /// Each attempt made, in order, with the message's state after it.
    public var attempts: [OutboxMessageView]
    /// Messages found mid-request from a sender that stopped, sent again.
    public var recovered: Int
    /// When the next retry is due (nil: nothing waiting).
    public var nextRetryAt: Date?
    /// False when another sender held the lock and this run sent nothing.
    public var ran: Bool

    /// Messages delivered in this run.
    public var delivered: [OutboxMessageView] { latest.filter { $0.state == .delivered } }
    /// Messages given up on in this run.
    public var failed: [OutboxMessageView] { latest.filter { $0.state == .failed } }
    /// Messages waiting for another attempt.
    public var retrying: [OutboxMessageView] { latest.filter { $0.state == .pending } }

    /// The last state of each message attempted.
    var latest: [OutboxMessageView] {
        var seen: Set<Int64> = []
        return attempts.reversed().filter { seen.insert($0.id).inserted }.reversed()
    }
}

/// Delivers the outbox: claims each message due (one attempt recorded before the request), renders it in the
/// workspace's language, signs it as its vendor documents, sends it with a timeout, and records the answer.
/// Only one sender runs at a time (`NotifySenderLock`); it first re-sends what a stopped sender left mid-request.
public struct NotifySender: Sendable {
    let database: WorkspaceDatabase
    let transport: any ChatTransport
    let timeoutSeconds: Int
    let sleep: @Sendable (Double) async throws -> Void

    /// `sleep` waits out rate limits (tests pass one that moves their clock); `timeoutSeconds` bounds every request.
    public init(database: WorkspaceDatabase, transport: any ChatTransport, timeoutSeconds: Int = DeliveryPolicy.requestTimeout,
                sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(nanoseconds: UInt64(max($0, 0) * 1e9)) }) {
        self.database = database
        self.transport = transport
        self.timeoutSeconds = timeoutSeconds
        self.sleep = sleep
    }

    /// Sends every message due, waiting at most `maxWait` seconds in all for the vendors' rate limits; messages to
    /// retry later stay in the outbox with their next attempt time. `only` limits the run to some messages.
    public func deliver(only: Set<Int64>? = nil, maxWait: Double = 60) async throws -> DeliveryReport {
        guard let lock = try database.notifySenderLock() else { return DeliveryReport(attempts: [], recovered: 0, nextRetryAt: nil, ran: false) }
        defer { withExtendedLifetime(lock) {} }
        do {
            var report = DeliveryReport(attempts: [], recovered: try await database.recoverInterruptedDeliveries(), nextRetryAt: nil, ran: true)
            var waited = 0.0
            while true {
                try Task.checkCancellation()
                switch try await database.claimNextMessage(only: only) {
                case .idle(let next):
                    report.nextRetryAt = next
                    return report
                case .wait(let until):
                    let wait = max(until.timeIntervalSince(database.now()), 0.001)
                    if waited + wait > maxWait {
                        report.nextRetryAt = until
                        return report
                    }
                    waited += wait
                    try await sleep(wait)
                case .claimed(let claim):
                    report.attempts.append(try await attempt(claim))
                }
            }
        }
    }

    /// One attempt: render, sign, send, classify, record.
    func attempt(_ claim: OutboxClaim) async throws -> OutboxMessageView {
        let reader = Reader(language: claim.display.language ?? .en, timeZone: claim.display.timeZone)
        let message = NoticeText.message(claim.notice, reader, identities: claim.identities, publicURL: claim.publicURL)
        let request: ChatRequest
        do {
            request = try ChatRequest.build(claim.kind, url: claim.url, secret: claim.secret, message: message, document: claim.document,
                                            deliveryId: claim.deliveryId, now: database.now())
        } catch {
            return try await database.recordAttempt(claim, result: .failed(reason: "cannot build the request: \(error)"), httpStatus: nil)
        }
        let result: DeliveryResult
        var status: Int?
        do {
            let answer = try await transport.send(request, timeoutSeconds: timeoutSeconds)
            status = answer.status
            result = DeliveryPolicy.classify(claim.kind, status: answer.status, body: answer.body, retryAfter: answer.retryAfter)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            result = .retry(reason: "no answer: \(String(describing: error).prefix(200))", after: nil)
        }
        return try await database.recordAttempt(claim, result: result, httpStatus: status)
    }
}
