import Foundation
import LinkStarCore
import LinkStarFormats
import LinkStarNotify
import LinkStarStore

/// A fixed clock that tests move forward (also from the sender's rate-limit waits).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ text: String = "2026-11-15T09:30:00Z") { current = LinkStarJSON.parseTimestamp(text)! }

    var now: Date { lock.withLock { current } }
    func advance(seconds: TimeInterval) { lock.withLock { current += seconds } }
    func set(_ date: Date) { lock.withLock { current = max(current, date) } }
    var function: @Sendable () -> Date { { self.now } }
}

/// A small workspace with one KPI off-track (checkout → order 50 % against 70 %) owned by chen.jie, who has an
/// identity in every chat, and data up to yesterday (Nov 14).
enum NotifyFixture {
    static let owner = "chen.jie"
    static let identity: [ChatIdentity.Field: String] = [.dingtalkMobile: "13800138000", .feishuOpenId: "ou_7d8a6e6df7621556ce0d21922b676706",
                                                          .wecomUser: "chenjie", .slackId: "U024BE7LH"]

    static func workspace(clock: @escaping @Sendable () -> Date) async throws -> WorkspaceDatabase {
        let database = try WorkspaceDatabase.inMemory(clock: clock)
        _ = try await database.seedDefaults(actor: "setup", since: try Day(parsing: "2026-01-01"))
        _ = try await database.addPerson(NewPerson(handle: owner, displayName: "Chen Jie", role: .editor), actor: "setup")
        _ = try await database.setChatIdentity(handle: owner, identity.mapValues { Optional($0) }, actor: "setup")
        var batch: [ObservationInput] = []
        for day in 1...14 {
            let date = "2026-11-\(day < 10 ? "0" : "")\(day)"
            for (metric, value) in [("sessions", 1_000.0), ("add_to_cart", 100), ("checkouts", 60), ("orders", 30)] {
                batch.append(ObservationInput(date: date, channel: "shopify", market: "US", device: "all", metric: metric, value: value))
            }
        }
        _ = try database.importObservations(batch, actor: "setup")
        _ = try await database.setKPI(KPISpec(metric: "checkout_to_order_rate", ownerHandle: owner,
                                              baseline: Baseline(value: 0.75, period: try DayRange(parsing: "2026-10")), target: 0.7), actor: "setup")
        return database
    }

    /// Adds a channel of `kind` pointing at the receiver, signed with the receiver's secret unless told otherwise.
    static func channel(_ database: WorkspaceDatabase, _ kind: String, base: String, secret: String? = VendorReceiver.secret,
                        name: String? = nil) async throws {
        let path = switch kind {
        case "dingtalk": "/dingtalk/robot/send?access_token=tok123"
        case "feishu": "/feishu/open-apis/bot/v2/hook/abc-123"
        case "wecom": "/wecom/cgi-bin/webhook/send?key=k-123"
        case "slack": "/slack/services/T000/B000/XXXX"
        default: "/webhook/in"
        }
        _ = try await database.addChannel(try NewChannel.parse(name: name ?? kind, kind: kind, url: base + path, secret: secret), actor: "setup")
    }
}

/// Sends through a real transport, then dies before the answer is recorded (the vendor has the message).
struct DiesAfterSending: ChatTransport {
    let inner: HTTPChatTransport
    func send(_ request: ChatRequest, timeoutSeconds: Int) async throws -> TransportAnswer {
        _ = try await inner.send(request, timeoutSeconds: timeoutSeconds)
        throw CancellationError()
    }
}
