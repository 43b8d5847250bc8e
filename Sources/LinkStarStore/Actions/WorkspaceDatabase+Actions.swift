import Foundation
import GRDB
import LinkStarCore

extension WorkspaceDatabase {
    // MARK: - Logging and listing

    /// Logs a proposed action. Warns (does not refuse) when a running action targets the same KPI in an overlapping segment.
    /// Refused while the layer's review is overdue past the grace period, unless overridden with a reason (audited).
    public func logAction(_ input: NewAction, today: Day? = nil, override: GateOverride? = nil, actor: String,
                          gated: Bool = true) async throws -> ActionResult {
        let today = self.today(today)
        let title = input.title.trimmingCharacters(in: .whitespaces)
        let hypothesis = input.hypothesis.trimmingCharacters(in: .whitespaces)
        if title.isEmpty { throw LinkStarError.invalidField("title", "an action needs a title") }
        if hypothesis.isEmpty { throw LinkStarError.invalidField("hypothesis", "an action needs a hypothesis: what should change, and why") }
        try InputLimits.checkLength(title, field: "title", max: InputLimits.maxShortText)
        try InputLimits.checkLength(hypothesis, field: "hypothesis", max: InputLimits.maxText)
        try InputLimits.checkLength(input.expected ?? "", field: "expected", max: InputLimits.maxText)
        try InputLimits.checkLength(override?.reason ?? "", field: "reason", max: InputLimits.maxText)
        guard ActionRules.isValidAlpha(input.alpha) else { throw LinkStarError.invalidField("alpha", "must be between 0 and 0.5") }
        guard ActionRules.rampUpRange.contains(input.rampUpDays) else { throw LinkStarError.invalidField("ramp_up_days", "must be 0 to 60 days") }
        if let control = input.controlSegment {
            if control.overlaps(input.segment) {
                throw LinkStarError.invalidField("control-segment", "\(control) overlaps the action's segment \(input.segment): a control must be untouched by the change")
            }
        }
        if let split = input.plannedSplit {
            guard split.count >= 2, split.values.allSatisfy({ $0 > 0 }) else {
                throw LinkStarError.invalidField("split", "a planned split needs two or more variants with positive shares")
            }
        }
        return try await writer.write { db in
            let metric = try self.metricRecord(input.metric, field: "kpi", db)
            _ = try self.layerRecord(input.layer, db)
            if gated { try self.gate(input.layer, today: today, override: override, actor: actor, what: "action log", db) }
            let owner = try input.ownerHandle.map { try self.personRecord($0, field: "owner", db) }
            let layerOwner = try self.layerRecord(input.layer, db).ownerId
            let now = self.nowText()
            var record = ActionRecord(
                title: title, layerKey: input.layer.rawValue, metricId: metric.id!, channel: input.segment.channel,
                market: input.segment.market, device: input.segment.device, kind: input.kind.rawValue, hypothesis: hypothesis,
                expected: input.expected, ownerId: owner?.id ?? layerOwner,
                iceImpact: input.ice?.impact, iceConfidence: input.ice?.confidence, iceEase: input.ice?.ease,
                status: ActionStatus.proposed.rawValue, startedOn: nil, stoppedOn: nil, rampUpDays: input.rampUpDays,
                beforeFrom: input.beforeWindow?.from.ordinal, beforeTo: input.beforeWindow?.to.ordinal,
                controlChannel: input.controlSegment?.channel, controlMarket: input.controlSegment?.market,
                controlDevice: input.controlSegment?.device,
                plannedSplitJson: try input.plannedSplit.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) },
                alpha: input.alpha, verdict: nil, decision: nil, decisionReason: nil, replicatedFrom: nil, reviewId: input.reviewId,
                createdBy: actor, createdAt: now, updatedAt: now)
            try record.insert(db)
            let view = try self.actionView(record, db)
            try self.audit(db, actor: actor, action: "action.log", entity: "action", entityId: String(record.id!),
                           before: ActionView?.none, after: view)
            return ActionResult(action: view, warnings: try self.collisions(record, db))
        }
    }

    /// Actions, proposed ones ranked by ICE, then the rest newest first.
    public func actions(status: ActionStatus? = nil, layer: LayerKey? = nil, owner: String? = nil) async throws -> [ActionView] {
        try await writer.read { db in
            var request = ActionRecord.all()
            if let status { request = request.filter(ActionRecord.Columns.status == status.rawValue) }
            if let layer { request = request.filter(ActionRecord.Columns.layerKey == layer.rawValue) }
            if let owner { request = request.filter(ActionRecord.Columns.ownerId == (try self.personRecord(owner, field: "owner", db).id)) }
            let views = try request.fetchAll(db).map { try self.actionView($0, db) }
            let order = ActionStatus.allCases
            return views.sorted { a, b in
                if a.status != b.status { return order.firstIndex(of: a.status)! < order.firstIndex(of: b.status)! }
                if a.status == .proposed, (a.iceScore ?? 0) != (b.iceScore ?? 0) { return (a.iceScore ?? 0) > (b.iceScore ?? 0) }
                return a.id > b.id
            }
        }
    }

    /// One action with its variants, evaluations, follow-ups, replications and audit history.
    public func action(id: Int64) async throws -> ActionDetail {
        try await writer.read { db in
            let record = try self.actionRecord(id, db)
            let decoder = LinkStarJSON.decoder()
            let evaluations = try ActionEvaluationRecord.filter(Column("action_id") == id).order(Column("id")).fetchAll(db)
                .map { try decoder.decode(ActionEvaluation.self, from: Data($0.resultJson.utf8)) }
            let evaluationsById = Dictionary(uniqueKeysWithValues: try ActionEvaluationRecord.filter(Column("action_id") == id).fetchAll(db).map { ($0.id!, $0) })
            let followups = try ActionFollowupRecord.filter(Column("action_id") == id).order(Column("offset_days")).fetchAll(db).map { f in
                let evaluation = f.evaluationId.flatMap { evaluationsById[$0] }
                return FollowupView(offsetDays: f.offsetDays, dueOn: Day(ordinal: f.dueOn), done: evaluation != nil,
                                    decayed: evaluation?.decayed, verdict: evaluation.flatMap { Verdict(rawValue: $0.verdict) })
            }
            let history = try AuditEntryRecord.all().matching(entity: "action", entityId: String(id), actor: nil).fetchAll(db).reversed()
                .map { r in
                    AuditEntryView(id: r.id!, at: Self.date(r.at), actor: r.actor, action: r.action, entity: r.entity, entityId: r.entityId,
                                   before: r.beforeJson.flatMap { try? decoder.decode(JSONValue.self, from: Data($0.utf8)) },
                                   after: r.afterJson.flatMap { try? decoder.decode(JSONValue.self, from: Data($0.utf8)) }, reason: r.reason)
                }
            return ActionDetail(action: try self.actionView(record, db), variants: try self.variants(id, db), evaluations: evaluations,
                                followups: followups,
                                replications: try Int64.fetchAll(db, sql: "SELECT id FROM action WHERE replicated_from = ? ORDER BY id", arguments: [id]),
                                history: Array(history))
        }
    }

    // MARK: - Lifecycle

    /// proposed → running. Warns when another running action targets the same KPI in an overlapping segment.
    /// Refused while the layer's review is overdue past the grace period, unless overridden with a reason (audited).
    public func startAction(id: Int64, on day: Day, today: Day? = nil, override: GateOverride? = nil, actor: String) async throws -> ActionResult {
        let today = self.today(today)
        return try await transition(id: id, to: .running, from: [.proposed], actor: actor, verb: "start", gate: (today, override)) { record in
            record.startedOn = day.ordinal
        }
    }

    /// running → measuring.
    public func stopAction(id: Int64, on day: Day, actor: String) async throws -> ActionResult {
        try await transition(id: id, to: .measuring, from: [.running], actor: actor, verb: "stop") { record in
            guard let started = record.startedOn, day.ordinal >= started else {
                throw LinkStarError.invalidField("date", "the stop day \(day) is before the start day \(record.startedOn.map { Day(ordinal: $0).description } ?? "-")")
            }
            record.stoppedOn = day.ordinal
        }
    }

    /// Concludes an action: replicate (won only), roll back, or archive; a won action gets follow-up checkpoints.
    /// `checkpoints` nil: `ActionRules.defaultCheckpoints`.
    public func concludeAction(id: Int64, decision: ActionDecision, reason: String, checkpoints: [Int]? = nil,
                               actor: String) async throws -> ActionResult {
        if decision == .replicate {
            // An action is replicated when its copy exists, not on a promise: the copy needs a segment.
            throw LinkStarError(.conflict, "#\(id) is replicated by creating its copy: run action replicate \(id) --segment c/m/d (POST /actions/\(id)/replicate)",
                                details: [.init(field: "decision", message: "use replicate with a segment")])
        }
        let checkpoints = checkpoints ?? ActionRules.defaultCheckpoints
        let reason = reason.trimmingCharacters(in: .whitespaces)
        if reason.isEmpty { throw LinkStarError.invalidField("reason", "a conclusion needs a reason") }
        try InputLimits.checkLength(reason, field: "reason", max: InputLimits.maxText)
        try ActionRules.validateCheckpoints(checkpoints)
        return try await transition(id: id, to: decision.status, from: decision.allowedFrom, actor: actor,
                                    verb: "conclude (\(decision.rawValue))") { record in
            if decision == .replicate && record.verdict != Verdict.won.rawValue {
                throw LinkStarError(.conflict, "only a won action is replicated; #\(id) is \(record.verdict ?? "not evaluated")",
                                    details: [.init(field: "decision", message: "needs verdict won")])
            }
            record.decision = decision.rawValue
            record.decisionReason = reason
        } after: { record, db in
            guard decision != .rollBack else { return }
            try Self.createFollowups(record, checkpoints: checkpoints, db)
        }
    }

    /// Cancels an action before it is evaluated (a mistake, or overtaken by events); audited with the reason.
    public func cancelAction(id: Int64, reason: String, actor: String) async throws -> ActionResult {
        let reason = reason.trimmingCharacters(in: .whitespaces)
        if reason.isEmpty { throw LinkStarError.invalidField("reason", "cancelling needs a reason") }
        try InputLimits.checkLength(reason, field: "reason", max: InputLimits.maxText)
        return try await transition(id: id, to: .cancelled, from: ActionStatus.cancellable, actor: actor, verb: "cancel") { record in
            record.cancelReason = reason
        }
    }

    /// Changes the plan of a proposed action (title, hypothesis, expected effect, ICE, owner), audited with before and after.
    public func editAction(id: Int64, _ changes: ActionChanges, actor: String) async throws -> ActionResult {
        try await writer.write { db in
            var record = try self.actionRecord(id, db)
            guard ActionStatus.editable.contains(record.statusValue) else {
                throw LinkStarError(.conflict, "cannot edit #\(id): it is \(record.status); only a proposed action's plan can change (cancel it and log a new one)",
                                    details: [.init(field: "status", message: "is \(record.status)")])
            }
            let before = try self.actionView(record, db)
            if let title = changes.title { record.title = title.trimmingCharacters(in: .whitespaces) }
            if let hypothesis = changes.hypothesis { record.hypothesis = hypothesis.trimmingCharacters(in: .whitespaces) }
            if let expected = changes.expected {
                let text = expected.trimmingCharacters(in: .whitespaces)
                record.expected = text.isEmpty ? nil : text
            }
            if let ice = changes.ice {
                record.iceImpact = ice.impact
                record.iceConfidence = ice.confidence
                record.iceEase = ice.ease
            }
            if let owner = changes.ownerHandle { record.ownerId = try self.personRecord(owner, field: "owner", db).id }
            let after = try self.actionView(record, db)
            if after == before { return ActionResult(action: after, warnings: []) }
            record.updatedAt = self.nowText()
            try record.update(db)
            let view = try self.actionView(record, db)
            try self.audit(db, actor: actor, action: "action.edit", entity: "action", entityId: String(id), before: before, after: view)
            return ActionResult(action: view, warnings: [])
        }
    }

    /// Follow-up checkpoints for a won action, counted from its stop day.
    static func createFollowups(_ record: ActionRecord, checkpoints: [Int], _ db: Database) throws {
        guard record.verdict == Verdict.won.rawValue, let stopped = record.stoppedOn, let id = record.id else { return }
        for offset in Set(checkpoints).sorted() {
            try ActionFollowupRecord(actionId: id, offsetDays: offset, dueOn: stopped + offset, evaluationId: nil).insert(db, onConflict: .ignore)
        }
    }

    /// Creates a linked, proposed action for another segment, carrying the hypothesis and the evidence link.
    public func replicateAction(id: Int64, segment: Segment, actor: String) async throws -> ActionResult {
        try await writer.write { db in
            var original = try self.actionRecord(id, db)
            guard original.verdict == Verdict.won.rawValue, [.evaluated, .replicated].contains(original.statusValue) else {
                throw LinkStarError(.conflict, "only an evaluated, won action is replicated; #\(id) is \(original.status) (\(original.verdict ?? "no verdict"))",
                                    details: [.init(field: "id", message: "not a won action")])
            }
            if segment == original.segment {
                throw LinkStarError.invalidField("segment", "#\(id) already ran in \(segment): replicate to another market or channel")
            }
            let now = self.nowText()
            var copy = original
            copy.id = nil
            copy.title = "\(original.title) → \(segment)"
            copy.channel = segment.channel
            copy.market = segment.market
            copy.device = segment.device
            copy.status = ActionStatus.proposed.rawValue
            copy.startedOn = nil
            copy.stoppedOn = nil
            copy.beforeFrom = nil
            copy.beforeTo = nil
            copy.controlChannel = nil
            copy.controlMarket = nil
            copy.controlDevice = nil
            copy.verdict = nil
            copy.decision = nil
            copy.decisionReason = nil
            copy.replicatedFrom = id
            copy.reviewId = nil
            copy.expected = original.expected.map { "\($0) (won in #\(id))" } ?? "won in #\(id)"
            copy.createdBy = actor
            copy.createdAt = now
            copy.updatedAt = now
            try copy.insert(db)
            let view = try self.actionView(copy, db)
            try self.audit(db, actor: actor, action: "action.replicate", entity: "action", entityId: String(copy.id!),
                           before: ActionView?.none, after: view)
            if original.statusValue == .evaluated {
                let before = try self.actionView(original, db)
                original.status = ActionStatus.replicated.rawValue
                original.decision = ActionDecision.replicate.rawValue
                original.decisionReason = original.decisionReason ?? "replicated to \(segment) as #\(copy.id!)"
                original.updatedAt = now
                try original.update(db)
                try Self.createFollowups(original, checkpoints: ActionRules.defaultCheckpoints, db)
                try self.audit(db, actor: actor, action: "action.conclude", entity: "action", entityId: String(id),
                               before: StatusSnapshot(before), after: StatusSnapshot(try self.actionView(original, db)))
            }
            return ActionResult(action: view, warnings: [])
        }
    }

    /// Records (or replaces) one variant's exposures and conversions.
    public func recordVariant(id: Int64, variant: String, exposures: Int, conversions: Int, actor: String) async throws -> ActionDetail {
        let name = variant.trimmingCharacters(in: .whitespaces).lowercased()
        if name.isEmpty { throw LinkStarError.invalidField("variant", "a variant needs a name (control, treatment, …)") }
        try InputLimits.checkLength(name, field: "variant", max: 40)
        guard exposures > 0, Double(exposures) <= InputLimits.maxCount else {
            throw LinkStarError.invalidField("exposures", "must be 1 to 10^12")
        }
        guard conversions >= 0, conversions <= exposures else {
            throw LinkStarError.invalidField("conversions", "must be between 0 and the \(exposures) exposures")
        }
        try await writer.write { db in
            let record = try self.actionRecord(id, db)
            guard [.running, .measuring, .evaluated].contains(record.statusValue) else {
                throw LinkStarError(.conflict, "#\(id) is \(record.status): variant counts are recorded while it runs or is measured",
                                    details: [.init(field: "id", message: "allowed: \(record.statusValue.allowedSteps.joined(separator: ", "))")])
            }
            let old = try ActionVariantRecord.fetchOne(db, key: ["action_id": id, "variant": name])
            let new = ActionVariantRecord(actionId: id, variant: name, exposures: exposures, conversions: conversions,
                                          recordedBy: actor, recordedAt: self.nowText())
            try new.save(db)
            try self.audit(db, actor: actor, action: "action.record", entity: "action", entityId: String(id),
                           before: old.map { ["variant": $0.variant, "exposures": String($0.exposures), "conversions": String($0.conversions)] },
                           after: ["variant": name, "exposures": String(exposures), "conversions": String(conversions)])
        }
        return try await action(id: id)
    }

    // MARK: - Events

    /// Logs an event that can move the numbers without any action.
    public func addEvent(_ input: NewEvent, actor: String) async throws -> EventView {
        let title = input.title.trimmingCharacters(in: .whitespaces)
        if title.isEmpty { throw LinkStarError.invalidField("title", "an event needs a title") }
        try InputLimits.checkLength(title, field: "title", max: InputLimits.maxShortText)
        return try await writer.write { db in
            var record = EventRecord(kind: input.kind.rawValue, title: title, fromDay: input.period.from.ordinal, toDay: input.period.to.ordinal,
                                     channel: input.segment.channel, market: input.segment.market, device: input.segment.device,
                                     createdBy: actor, createdAt: self.nowText())
            try record.insert(db)
            let view = Self.eventView(record)
            try self.audit(db, actor: actor, action: "event.add", entity: "event", entityId: String(record.id!), before: EventView?.none, after: view)
            return view
        }
    }

    /// Changes the given fields of an event, audited with before and after.
    public func editEvent(id: Int64, _ changes: EventChanges, actor: String) async throws -> EventView {
        let title = changes.title?.trimmingCharacters(in: .whitespaces)
        if let title {
            if title.isEmpty { throw LinkStarError.invalidField("title", "an event needs a title") }
            try InputLimits.checkLength(title, field: "title", max: InputLimits.maxShortText)
        }
        return try await writer.write { db in
            var record = try self.eventRecord(id, db)
            let before = Self.eventView(record)
            if let kind = changes.kind { record.kind = kind.rawValue }
            if let title { record.title = title }
            if let from = changes.from { record.fromDay = from.ordinal }
            if let to = changes.to { record.toDay = to.ordinal }
            if let segment = changes.segment {
                record.channel = segment.channel
                record.market = segment.market
                record.device = segment.device
            }
            _ = try DayRange(from: Day(ordinal: record.fromDay), to: Day(ordinal: record.toDay), field: "to")
            let after = Self.eventView(record)
            if after == before { return after }
            try record.update(db)
            try self.audit(db, actor: actor, action: "event.edit", entity: "event", entityId: String(id), before: before, after: after)
            return after
        }
    }

    /// Deletes an event softly: it no longer shows or confounds evaluations; the row and its audit history stay.
    public func deleteEvent(id: Int64, reason: String?, actor: String) async throws -> EventView {
        let reason = reason?.trimmingCharacters(in: .whitespaces)
        if let reason, reason.isEmpty { throw LinkStarError.invalidField("reason", "the reason is blank: give one, or leave it out") }
        try InputLimits.checkLength(reason ?? "", field: "reason", max: InputLimits.maxText)
        return try await writer.write { db in
            var record = try self.eventRecord(id, db)
            let before = Self.eventView(record)
            record.deletedAt = self.nowText()
            record.deletedBy = actor
            record.deleteReason = reason
            try record.update(db)
            try self.audit(db, actor: actor, action: "event.delete", entity: "event", entityId: String(id), before: before,
                           after: EventView?.none, reason: record.deleteReason)
            return before
        }
    }

    func eventRecord(_ id: Int64, _ db: Database) throws -> EventRecord {
        guard let record = try EventRecord.filter(Column("id") == id && Column("deleted_at") == nil).fetchOne(db) else {
            throw LinkStarError(.notFound, "no event #\(id)", details: [.init(field: "id", message: "no event #\(id)")])
        }
        return record
    }

    /// Events, optionally only those overlapping a period (deleted ones never).
    public func events(overlapping period: DayRange? = nil) async throws -> [EventView] {
        try await writer.read { db in
            var request = EventRecord.filter(Column("deleted_at") == nil).order(Column("from_day"), Column("id"))
            if let period { request = request.filter(Column("from_day") <= period.to.ordinal && Column("to_day") >= period.from.ordinal) }
            return try request.fetchAll(db).map(Self.eventView)
        }
    }

    static func eventView(_ r: EventRecord) -> EventView {
        EventView(id: r.id!, kind: EventKind(rawValue: r.kind) ?? .other, title: r.title, from: Day(ordinal: r.fromDay), to: Day(ordinal: r.toDay),
                  segment: r.segment, createdBy: r.createdBy, createdAt: Self.date(r.createdAt))
    }

    // MARK: - Helpers

    func actionRecord(_ id: Int64, _ db: Database) throws -> ActionRecord {
        guard let record = try ActionRecord.fetchOne(db, key: id) else {
            throw LinkStarError(.notFound, "no action #\(id)", details: [.init(field: "id", message: "no action #\(id)")], hint: .listActions)
        }
        return record
    }

    func variants(_ id: Int64, _ db: Database) throws -> [VariantView] {
        try ActionVariantRecord.filter(Column("action_id") == id).order(Column("variant")).fetchAll(db).map {
            VariantView(variant: $0.variant, exposures: $0.exposures, conversions: $0.conversions,
                        rate: Double($0.conversions) / Double($0.exposures), recordedBy: $0.recordedBy, recordedAt: Self.date($0.recordedAt))
        }
    }

    /// Running actions on the same metric whose segment overlaps this one.
    func collisions(_ record: ActionRecord, _ db: Database) throws -> [Message] {
        try ActionRecord.all().running().filter(ActionRecord.Columns.metricId == record.metricId).fetchAll(db)
            .filter { $0.id != record.id && $0.segment.overlaps(record.segment) }
            .map { "collision: #\($0.id!) \"\($0.title)\" is already running on the same KPI in \($0.segment); their effects cannot be told apart" as Message }
    }

    func actionView(_ r: ActionRecord, _ db: Database) throws -> ActionView {
        let metric = try MetricRecord.fetchOne(db, key: r.metricId)!
        let owner = try r.ownerId.flatMap { try PersonRecord.fetchOne(db, key: $0)?.handle }
        var ice: ICEScore?
        if let i = r.iceImpact, let c = r.iceConfidence, let e = r.iceEase { ice = ICEScore(impact: i, confidence: c, ease: e) }
        let split = r.plannedSplitJson.flatMap { try? JSONDecoder().decode([String: Double].self, from: Data($0.utf8)) }
        var before: DayRange?
        if let from = r.beforeFrom, let to = r.beforeTo { before = try? DayRange(from: Day(ordinal: from), to: Day(ordinal: to)) }
        return ActionView(
            id: r.id!, title: r.title, layer: LayerKey(rawValue: r.layerKey) ?? .traffic, metric: metric.key, segment: r.segment,
            kind: ActionKind(rawValue: r.kind) ?? .other, hypothesis: r.hypothesis, expected: r.expected, owner: owner, ice: ice,
            iceScore: ice?.score, status: r.statusValue, startedOn: r.startedOn.map(Day.init(ordinal:)),
            stoppedOn: r.stoppedOn.map(Day.init(ordinal:)), rampUpDays: r.rampUpDays, beforeWindow: before,
            controlSegment: r.controlSegment, plannedSplit: split, alpha: r.alpha, verdict: r.verdict.flatMap(Verdict.init(rawValue:)),
            decision: r.decision.flatMap(ActionDecision.init(rawValue:)), decisionReason: r.decisionReason, cancelReason: r.cancelReason,
            replicatedFrom: r.replicatedFrom, reviewId: r.reviewId, createdBy: r.createdBy, createdAt: Self.date(r.createdAt), updatedAt: Self.date(r.updatedAt))
    }

    /// Moves an action between statuses in one transaction, refusing invalid transitions with the allowed ones listed.
    func transition(id: Int64, to status: ActionStatus, from allowed: [ActionStatus], actor: String, verb: Message,
                    gate: (Day, GateOverride?)? = nil,
                    change: @escaping @Sendable (inout ActionRecord) throws -> Void,
                    after: (@Sendable (ActionRecord, Database) throws -> Void)? = nil) async throws -> ActionResult {
        try await writer.write { db in
            var record = try self.actionRecord(id, db)
            let current = record.statusValue
            guard allowed.contains(current) else {
                let steps = current.allowedSteps
                let state: Message = "cannot \(verb) #\(id): it is \(current)"
                throw LinkStarError(.conflict, steps.isEmpty ? "\(state); it has ended" : "\(state); allowed: \(steps.joined(separator: "; "))",
                                    details: [.init(field: "status", message: "is \(current)")])
            }
            if let (today, override) = gate, let layer = LayerKey(rawValue: record.layerKey) {
                try self.gate(layer, today: today, override: override, actor: actor, what: "action start", db)
            }
            let before = try self.actionView(record, db)
            try change(&record)
            record.status = status.rawValue
            record.updatedAt = self.nowText()
            try record.update(db)
            try after?(record, db)
            let view = try self.actionView(record, db)
            try self.audit(db, actor: actor, action: "action.\(verb.template.split(separator: " ")[0])", entity: "action", entityId: String(id),
                           before: StatusSnapshot(before), after: StatusSnapshot(view))
            return ActionResult(action: view, warnings: status == .running ? try self.collisions(record, db) : [])
        }
    }
}

/// Audit snapshot of an action's lifecycle fields.
struct StatusSnapshot: Codable {
    var status: ActionStatus
    var startedOn: Day?
    var stoppedOn: Day?
    var verdict: Verdict?
    var decision: ActionDecision?
    var decisionReason: String?
    var cancelReason: String?

    init(_ v: ActionView) {
        status = v.status
        startedOn = v.startedOn
        stoppedOn = v.stoppedOn
        verdict = v.verdict
        decision = v.decision
        decisionReason = v.decisionReason
        cancelReason = v.cancelReason
    }
}
