import Foundation
import LinkStarCore
import LinkStarStore
import Logging
import ServiceLifecycle

/// `serve --notify`: decides and delivers every `interval` seconds inside the server, as `notify run` does from cron.
/// When a cron sender holds the lock, the server's turn only decides (queueing is idempotent either way).
public struct NotifyService: Service {
    let database: WorkspaceDatabase
    let transport: any ChatTransport
    let interval: Double
    let logger: Logger

    public init(database: WorkspaceDatabase, transport: any ChatTransport, interval: Double = 60, logger: Logger) {
        self.database = database
        self.transport = transport
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await tick()
                try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
            }
        }
        if let http = transport as? HTTPChatTransport { try? await http.shutdown() }
    }

    /// One turn: decide, then deliver what is due (waiting at most half the interval for rate limits).
    public func tick() async {
        do {
            let decision = try await database.decideNotifications(actor: "notify")
            let report = try await NotifySender(database: database, transport: transport).deliver(maxWait: interval / 2)
            if !decision.queued.isEmpty || !report.attempts.isEmpty {
                logger.info("notify", metadata: ["queued": "\(decision.queued.count)", "delivered": "\(report.delivered.count)",
                                                 "retrying": "\(report.retrying.count)", "failed": "\(report.failed.count)"])
            }
            for failed in report.failed {
                logger.error("notify failed", metadata: ["message": "\(failed.id)", "channel": "\(failed.channel)", "error": "\(failed.lastError ?? "")"])
            }
        } catch is CancellationError {
            // Shutting down: a message mid-request is sent again by the next sender (recorded as interrupted).
            logger.info("notify turn stopped for shutdown")
        } catch {
            logger.error("notify turn failed", metadata: ["error": "\(error)"])
        }
    }
}
