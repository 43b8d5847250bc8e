import Foundation
import GRDB
import LinkStarCore
import LinkStarFormats

/// A condition that has just become true, as its chat message tells it.
public struct Alert: Codable, Sendable, Equatable {
    public var kind: AlertKind
    /// The condition (`kpi.off_track:12`; for stale data the first series') and which time it became true.
    public var condition: String
    public var occurrence: Int
    /// The workspace's day (in its time zone) it was decided on.
    public var today: Day
    /// Who should act: the review's, action's or KPI's owner.
    public var owner: String?
    public var review: ReviewDue?
    /// For `review_past_grace`: the grace period, days.
    public var graceDays: Int?
    public var decay: Digest.Decay?
    /// For `stale`: every series that went stale at once.
    public var stale: [StaleSeries]
    public var kpi: KPIStatusView?

    /// The outbox's dedupe key: one message per channel for each occurrence.
    public var dedupeKey: String { "alert:\(condition)#\(occurrence)" }
}

/// A test message for one channel.
public struct ChannelTestNotice: Codable, Sendable, Equatable {
    public var channel: String
    public var requestedBy: String
    public var at: Date
}

/// What one outbox message carries (stored as JSON; what a generic webhook receives).
public struct Notice: Codable, Sendable, Equatable {
    public var topic: NoticeTopic
    public var digest: Digest?
    public var alert: Alert?
    public var test: ChannelTestNotice?

    public init(topic: NoticeTopic, digest: Digest? = nil, alert: Alert? = nil, test: ChannelTestNotice? = nil) {
        self.topic = topic
        self.digest = digest
        self.alert = alert
        self.test = test
    }

    /// The JSON a generic webhook receives (and the outbox stores).
    public func document() throws -> Data { try LinkStarJSON.encoder(pretty: false).encode(self) }
}

/// One message in the outbox, as `notify outbox` shows it.
public struct OutboxMessageView: Codable, Sendable, Equatable {
    public var id: Int64
    public var channel: String
    public var kind: ChannelKind
    public var dedupeKey: String
    public var topic: NoticeTopic
    public var state: OutboxState
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastError: String?
    public var createdAt: Date
    public var finishedAt: Date?
}

/// What one decision made: the daily report due (if any), the alerts that became true, the conditions that cleared,
/// and the messages queued.
public struct NotifyDecision: Codable, Sendable, Equatable {
    public var now: Date
    /// The workspace's day, in its time zone.
    public var today: Day
    /// The day whose daily report is due (nil before `digest_time`, or when it is `off`).
    public var digestDay: Day?
    /// The channels messages go to (none: nothing was decided).
    public var channels: Int
    public var alerts: [Alert]
    public var cleared: [String]
    public var queued: [OutboxMessageView]
}

/// A message claimed for one attempt: everything the sender needs to render, sign and send it.
public struct OutboxClaim: Sendable {
    public var messageId: Int64
    /// Sent as `X-LinkStar-Delivery` to generic webhooks: the same on every attempt, so a receiver can drop repeats.
    public var deliveryId: String
    public var attempt: Int
    public var channel: String
    public var kind: ChannelKind
    public var url: URL
    public var secret: String?
    public var notice: Notice
    /// The stored JSON of `notice`, byte for byte (the generic webhook's body).
    public var document: Data
    public var display: DisplaySettings
    public var identities: [String: ChatIdentity]
    /// The web pages' address (`public_url`), when set.
    public var publicURL: String?
}

/// What the outbox has for the sender now.
public enum OutboxNext: Sendable {
    case claimed(OutboxClaim)
    /// Messages are due but every one's channel is at its rate limit until then.
    case wait(until: Date)
    /// Nothing due; the next retry is at `next` (nil: the outbox is empty).
    case idle(next: Date?)
}

struct OutboxRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "outbox_message"
    var id: Int64?
    var channelId: Int64
    var dedupeKey: String
    var topic: String
    var payload: String
    var state: String
    var attempts: Int
    var nextAttemptAt: String
    var lastError: String?
    var createdAt: String
    var finishedAt: String?

    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension WorkspaceDatabase {
    static let outboxActor = "notify"

    /// What would be decided at `now`: the daily report's day, the alerts that became true, the conditions that
    /// cleared. Reads only; `decideNotifications` writes it.
    struct NotifyPlan {
        var today: Day
        var digestDay: Day?
        var alerts: [Alert]
        /// (condition, occurrence) of every condition that became true.
        var raised: [(key: String, occurrence: Int)]
        var cleared: [String]
    }

    func notifyPlan(_ db: Database, now: Date) throws -> NotifyPlan {
        let zone = try timeZone(db)
        let time = try DigestTime.parse(try setting(WorkspaceSetting.digestTime.rawValue, db) ?? WorkspaceSetting.digestTime.defaultValue)
        let today = NotifySchedule.localDay(now, zone: zone)
        let grace = try graceDays(db)

        // Every condition true now, in a stable order.
        var current: [(key: String, alert: Alert)] = []
        func alert(_ kind: AlertKind, _ key: String, owner: String?) -> Alert {
            Alert(kind: kind, condition: key, occurrence: 0, today: today, owner: owner, review: nil, graceDays: nil, decay: nil, stale: [], kpi: nil)
        }
        for due in try Self.allScopes.map({ try self.reviewDue($0, today: today, db) })
        where due.status == .overdue || (due.status == .open && due.daysOverdue > 0) {
            let period = due.duePeriod ?? "-"
            var overdue = alert(.reviewOverdue, "review.overdue:\(due.scope):\(period)", owner: due.owner)
            overdue.review = due
            current.append((overdue.condition, overdue))
            if due.daysOverdue > grace {
                var past = alert(.reviewPastGrace, "review.grace:\(due.scope):\(period)", owner: due.owner)
                past.review = due
                past.graceDays = grace
                current.append((past.condition, past))
            }
        }
        for decay in try decays(db, from: today.adding(days: -7), to: today) {
            var item = alert(.decay, "decay:\(decay.evaluationId)", owner: decay.owner)
            item.decay = decay
            current.append((item.condition, item))
        }
        for series in try staleSeries(db, today: today, lag: staleAfterDays(db)) {
            var item = alert(.stale, "stale:\(series.metric):\(series.segment)", owner: nil)
            item.stale = [series]
            current.append((item.condition, item))
        }
        for kpi in try kpiStatuses(db, period: Self.digestWeek(today: today)) where kpi.status == .offTrack {
            var item = alert(.kpiOffTrack, "kpi.off_track:\(kpi.id)", owner: kpi.owner)
            item.kpi = kpi
            current.append((item.condition, item))
        }

        var known: [String: (occurrence: Int, active: Bool)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, occurrence, active FROM notify_condition") {
            known[row["key"]] = (row["occurrence"], row["active"] == 1)
        }
        var raised: [(key: String, occurrence: Int)] = []
        var alerts: [Alert] = []
        var staleBundle: Alert?
        for (key, var item) in current where known[key]?.active != true {
            item.occurrence = (known[key]?.occurrence ?? 0) + 1
            raised.append((key, item.occurrence))
            if item.kind == .stale {
                // Series that go stale together (a source that stopped) are one message, named by the first.
                if staleBundle == nil { staleBundle = item } else { staleBundle!.stale += item.stale }
            } else {
                alerts.append(item)
            }
        }
        if let staleBundle { alerts.append(staleBundle) }
        let currentKeys = Set(current.map(\.key))
        let cleared = known.filter { $0.value.active && !currentKeys.contains($0.key) }.map(\.key).sorted()
        return NotifyPlan(today: today, digestDay: NotifySchedule.digestDay(now, zone: zone, time: time), alerts: alerts, raised: raised,
                          cleared: cleared)
    }

    /// The alerts a decision now would raise, without deciding (for `notify preview alerts`).
    public func pendingAlerts() async throws -> [Alert] {
        let now = clock()
        return try await writer.read { db in try self.notifyPlan(db, now: now).alerts }
    }

    /// Decides what to send now and queues it in the outbox, in one transaction: the daily report once its time has
    /// come (once per day and channel), and one message per alert that became true (once per occurrence and channel).
    /// Deciding again queues nothing twice.
    public func decideNotifications(actor: String) async throws -> NotifyDecision {
        let now = clock()
        return try await writer.write { db in
            let channels = try ChannelRecord.filter(ChannelRecord.Columns.removedAt == nil).order(Column("id")).fetchAll(db)
            let plan = try self.notifyPlan(db, now: now)
            // With no channel nothing is decided: the first channel added hears about every condition true then.
            guard !channels.isEmpty else {
                return NotifyDecision(now: now, today: plan.today, digestDay: plan.digestDay, channels: 0, alerts: [], cleared: [], queued: [])
            }
            let stamp = LinkStarJSON.timestamp(now)
            for (key, occurrence) in plan.raised {
                try db.execute(sql: """
                    INSERT INTO notify_condition (key, occurrence, active, since, cleared_at) VALUES (?, ?, 1, ?, NULL)
                    ON CONFLICT (key) DO UPDATE SET occurrence = excluded.occurrence, active = 1, since = excluded.since, cleared_at = NULL
                    """, arguments: [key, occurrence, stamp])
            }
            for key in plan.cleared {
                try db.execute(sql: "UPDATE notify_condition SET active = 0, cleared_at = ? WHERE key = ?", arguments: [stamp, key])
            }
            var queued: [OutboxMessageView] = []
            func enqueue(_ channel: ChannelRecord, key: String, notice: Notice) throws {
                let payload = String(decoding: try notice.document(), as: UTF8.self)
                var record = OutboxRecord(id: nil, channelId: channel.id!, dedupeKey: key, topic: notice.topic.rawValue, payload: payload,
                                          state: OutboxState.pending.rawValue, attempts: 0, nextAttemptAt: stamp, lastError: nil,
                                          createdAt: stamp, finishedAt: nil)
                try record.insert(db, onConflict: .ignore)
                if db.changesCount > 0, record.id != nil { queued.append(try self.outboxView(record, db)) }
            }
            if let day = plan.digestDay {
                let key = "digest:\(day)"
                let lacking = try channels.filter {
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox_message WHERE channel_id = ? AND dedupe_key = ?", arguments: [$0.id!, key]) == 0
                }
                if !lacking.isEmpty {
                    let digest = try self.digest(db, today: day)
                    for channel in lacking { try enqueue(channel, key: key, notice: Notice(topic: .digest, digest: digest)) }
                }
            }
            for alert in plan.alerts {
                for channel in channels { try enqueue(channel, key: alert.dedupeKey, notice: Notice(topic: .alert, alert: alert)) }
            }
            if !queued.isEmpty || !plan.raised.isEmpty || !plan.cleared.isEmpty {
                struct Entry: Encodable {
                    var queued: [String]
                    var raised: [String]
                    var cleared: [String]
                }
                try self.audit(db, actor: actor, action: "notify.decide", entity: "outbox", entityId: stamp, before: Entry?.none,
                               after: Entry(queued: queued.map { "\($0.channel) \($0.dedupeKey)" }, raised: plan.raised.map { "\($0.key)#\($0.occurrence)" },
                                            cleared: plan.cleared))
            }
            return NotifyDecision(now: now, today: plan.today, digestDay: plan.digestDay, channels: channels.count, alerts: plan.alerts,
                                  cleared: plan.cleared, queued: queued)
        }
    }

    /// Queues a test message for one channel (`notify channel test`).
    public func queueChannelTest(name: String, actor: String) async throws -> OutboxMessageView {
        let now = clock()
        return try await writer.write { db in
            let channel = try self.channelRecord(named: name, db)
            let stamp = LinkStarJSON.timestamp(now)
            let notice = Notice(topic: .test, test: ChannelTestNotice(channel: channel.name, requestedBy: actor, at: now))
            var record = OutboxRecord(id: nil, channelId: channel.id!, dedupeKey: "test:\(Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))",
                                      topic: NoticeTopic.test.rawValue,
                                      payload: String(decoding: try notice.document(), as: UTF8.self),
                                      state: OutboxState.pending.rawValue, attempts: 0, nextAttemptAt: stamp, lastError: nil, createdAt: stamp, finishedAt: nil)
            try record.insert(db)
            let view = try self.outboxView(record, db)
            try self.audit(db, actor: actor, action: "notify.test", entity: "outbox", entityId: String(view.id), before: OutboxMessageView?.none, after: view)
            return view
        }
    }

    func outboxView(_ r: OutboxRecord, _ db: Database) throws -> OutboxMessageView {
        let channel = try ChannelRecord.fetchOne(db, key: r.channelId)
        return OutboxMessageView(id: r.id!, channel: channel?.name ?? "-", kind: channel.flatMap { ChannelKind(rawValue: $0.kind) } ?? .webhook,
                                 dedupeKey: r.dedupeKey, topic: NoticeTopic(rawValue: r.topic) ?? .alert,
                                 state: OutboxState(rawValue: r.state) ?? .pending, attempts: r.attempts,
                                 nextAttemptAt: r.state == OutboxState.pending.rawValue ? LinkStarJSON.parseTimestamp(r.nextAttemptAt) : nil,
                                 lastError: r.lastError, createdAt: LinkStarJSON.parseTimestamp(r.createdAt) ?? Date(timeIntervalSince1970: 0),
                                 finishedAt: r.finishedAt.flatMap(LinkStarJSON.parseTimestamp))
    }

    /// The outbox, newest first: every message or those in one state.
    public func outbox(state: OutboxState? = nil, limit: Int = 50) async throws -> [OutboxMessageView] {
        try await writer.read { db in
            var request = OutboxRecord.order(Column("id").desc).limit(max(1, min(limit, 10_000)))
            if let state { request = request.filter(Column("state") == state.rawValue) }
            return try request.fetchAll(db).map { try self.outboxView($0, db) }
        }
    }

    /// One outbox message by id.
    public func outboxMessage(id: Int64) async throws -> OutboxMessageView {
        try await writer.read { db in
            guard let record = try OutboxRecord.fetchOne(db, key: id) else {
                throw LinkStarError(.notFound, "no outbox message #\(id)", details: [.init(field: "id", message: "no outbox message #\(id)")])
            }
            return try self.outboxView(record, db)
        }
    }

    /// After a sender died mid-request (only one sender runs at a time, see `NotifySenderLock`): its attempts are
    /// marked interrupted and their messages are due again at once, to be sent with the same delivery id.
    public func recoverInterruptedDeliveries() async throws -> Int {
        let stamp = nowText()
        return try await writer.write { db in
            try db.execute(sql: "UPDATE outbox_attempt SET outcome = 'interrupted', finished_at = ?, detail = 'the sender stopped before the answer' WHERE outcome = 'sending'",
                           arguments: [stamp])
            try db.execute(sql: "UPDATE outbox_message SET state = 'pending', next_attempt_at = ? WHERE state = 'sending'", arguments: [stamp])
            return db.changesCount
        }
    }

    /// Claims the next message due whose channel is under its rate limit: one attempt is recorded as `sending`
    /// before any request goes out. `only` limits the choice to some messages (a channel test).
    public func claimNextMessage(only: Set<Int64>? = nil) async throws -> OutboxNext {
        let now = clock()
        let stamp = LinkStarJSON.timestamp(now)
        let nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        return try await writer.write { db in
            // Messages for removed channels will never go.
            try db.execute(sql: """
                UPDATE outbox_message SET state = 'failed', last_error = 'the channel was removed', finished_at = ?
                WHERE state = 'pending' AND channel_id IN (SELECT id FROM notify_channel WHERE removed_at IS NOT NULL)
                """, arguments: [stamp])
            let due = try OutboxRecord.fetchAll(db, sql: """
                SELECT * FROM outbox_message WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 500
                """, arguments: [stamp]).filter { only?.contains($0.id!) ?? true }
            guard !due.isEmpty else {
                let pending = try OutboxRecord.fetchAll(db, sql: "SELECT * FROM outbox_message WHERE state = 'pending' ORDER BY next_attempt_at")
                    .filter { only?.contains($0.id!) ?? true }
                return .idle(next: pending.first.flatMap { LinkStarJSON.parseTimestamp($0.nextAttemptAt) })
            }
            var slots: [Int64: Date] = [:]
            var chosen: (OutboxRecord, ChannelRecord)?
            for message in due {
                guard let channel = try ChannelRecord.fetchOne(db, key: message.channelId), let kind = ChannelKind(rawValue: channel.kind) else { continue }
                if slots[channel.id!] == nil {
                    let limit = kind.rateLimit
                    let starts = try Int64.fetchAll(db, sql: "SELECT started_ms FROM outbox_attempt WHERE channel_id = ? AND started_ms > ?",
                                                    arguments: [channel.id!, nowMs - Int64(limit.seconds) * 1000])
                    slots[channel.id!] = NotifySchedule.nextSlot(recentStarts: starts.map { Date(timeIntervalSince1970: Double($0) / 1000) },
                                                                 limit: limit, now: now)
                }
                if slots[channel.id!]! <= now { chosen = (message, channel); break }
            }
            guard let (picked, channel) = chosen else { return .wait(until: slots.values.min() ?? now) }
            var message = picked
            let key = try self.notifyKey(create: false)
            message.attempts += 1
            message.state = OutboxState.sending.rawValue
            try message.update(db)
            try db.execute(sql: """
                INSERT INTO outbox_attempt (message_id, channel_id, number, started_at, started_ms, outcome) VALUES (?, ?, ?, ?, ?, 'sending')
                """, arguments: [message.id!, channel.id!, message.attempts, stamp, nowMs])
            let document = Data(message.payload.utf8)
            let notice = try LinkStarJSON.decoder().decode(Notice.self, from: document)
            guard let url = URL(string: try SecretBox.open(channel.urlSealed, key: key)) else {
                throw LinkStarError(.invalid, "the channel \(channel.name) has a damaged address: remove it and add it again")
            }
            return .claimed(OutboxClaim(messageId: message.id!, deliveryId: "\(message.id!)", attempt: message.attempts, channel: channel.name,
                                        kind: ChannelKind(rawValue: channel.kind) ?? .webhook, url: url,
                                        secret: try channel.secretSealed.map { try SecretBox.open($0, key: key) },
                                        notice: notice, document: document, display: try self.displaySettings(db),
                                        identities: try self.chatIdentities(db), publicURL: try self.publicURL(db)))
        }
    }

    /// Records what an attempt came to: delivered; failed for good; or due again after the backoff (failed once
    /// `DeliveryPolicy.maxAttempts` attempts have been made). Final states are audited.
    public func recordAttempt(_ claim: OutboxClaim, result: DeliveryResult, httpStatus: Int?) async throws -> OutboxMessageView {
        let now = clock()
        let stamp = LinkStarJSON.timestamp(now)
        return try await writer.write { db in
            guard var message = try OutboxRecord.fetchOne(db, key: claim.messageId) else {
                throw LinkStarError(.notFound, "no outbox message #\(claim.messageId)")
            }
            let outcome: String
            let detail: String?
            switch result {
            case .delivered:
                (outcome, detail) = ("delivered", nil)
                message.state = OutboxState.delivered.rawValue
                message.finishedAt = stamp
                message.lastError = nil
            case .failed(let reason):
                (outcome, detail) = ("failed", reason)
                message.state = OutboxState.failed.rawValue
                message.finishedAt = stamp
                message.lastError = reason
            case .retry(let reason, let after):
                (outcome, detail) = ("retry", reason)
                if message.attempts >= DeliveryPolicy.maxAttempts {
                    message.state = OutboxState.failed.rawValue
                    message.finishedAt = stamp
                    message.lastError = "gave up after \(message.attempts) attempts: \(reason)"
                } else {
                    message.state = OutboxState.pending.rawValue
                    message.lastError = reason
                    let delay = DeliveryPolicy.delay(afterAttempt: message.attempts, retryAfter: after)
                    message.nextAttemptAt = LinkStarJSON.timestamp(now.addingTimeInterval(TimeInterval(delay)))
                }
            }
            try message.update(db)
            try db.execute(sql: """
                UPDATE outbox_attempt SET outcome = ?, finished_at = ?, http_status = ?, detail = ? WHERE message_id = ? AND number = ?
                """, arguments: [outcome, stamp, httpStatus, detail.map { String($0.prefix(500)) }, message.id!, claim.attempt])
            let view = try self.outboxView(message, db)
            if view.state == .delivered || view.state == .failed {
                try self.audit(db, actor: Self.outboxActor, action: view.state == .delivered ? "notify.delivered" : "notify.failed", entity: "outbox",
                               entityId: String(view.id), before: OutboxMessageView?.none, after: view)
            }
            return view
        }
    }

    /// Every attempt of one message, oldest first.
    public func outboxAttempts(messageId: Int64) async throws -> [OutboxAttemptView] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox_attempt WHERE message_id = ? ORDER BY number", arguments: [messageId]).map { row in
                OutboxAttemptView(number: row["number"], startedAt: LinkStarJSON.parseTimestamp(row["started_at"]) ?? Date(timeIntervalSince1970: 0),
                                  finishedAt: (row["finished_at"] as String?).flatMap(LinkStarJSON.parseTimestamp), httpStatus: row["http_status"],
                                  outcome: row["outcome"], detail: row["detail"])
            }
        }
    }
}

/// One delivery attempt.
public struct OutboxAttemptView: Codable, Sendable, Equatable {
    public var number: Int
    public var startedAt: Date
    public var finishedAt: Date?
    public var httpStatus: Int?
    /// `sending`, `delivered`, `retry`, `failed` or `interrupted`.
    public var outcome: String
    public var detail: String?
}

/// Only one sender delivers at a time, so a message found `sending` belongs to a sender that died: an exclusive
/// `flock` on `<database>.notify.lock`, released by the system when its process ends however it ends.
public final class NotifySenderLock: @unchecked Sendable {
    private let descriptor: Int32

    init(descriptor: Int32) { self.descriptor = descriptor }
    deinit { if descriptor >= 0 { flock(descriptor, LOCK_UN); close(descriptor) } }
}

extension WorkspaceDatabase {
    /// Takes the sender lock, or nil when another sender holds it. A database in memory has no other sender.
    public func notifySenderLock() throws -> NotifySenderLock? {
        let path = writer.path
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file::memory:") else { return NotifySenderLock(descriptor: -1) }
        let descriptor = open(path + ".notify.lock", O_RDWR | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw LinkStarError(.invalid, "cannot open \(path).notify.lock") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return NotifySenderLock(descriptor: descriptor)
    }
}
