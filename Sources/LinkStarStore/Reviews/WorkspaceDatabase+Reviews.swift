import Foundation
import GRDB
import LinkStarCore

extension WorkspaceDatabase {
    static let funnelOwnerKey = "funnel_review_owner"
    static let funnelCadenceKey = "funnel_review_cadence"
    static let funnelDayKey = "funnel_review_day"
    static let graceDaysKey = "review_grace_days"

    // MARK: - Configuration

    /// Sets who owns the whole-funnel review, its cadence and day, and the gating grace period.
    public func configureReviews(funnelOwner: String?, funnelCadence: ReviewCadence?, funnelDay: String?, graceDays: Int?,
                                 actor: String) async throws {
        if let graceDays, !ReviewRules.graceDaysRange.contains(graceDays) { throw LinkStarError.invalidField("grace", "must be 0 to 90 days") }
        try await writer.write { db in
            if let funnelOwner {
                _ = try self.writeSetting(Self.funnelOwnerKey, try self.personRecord(funnelOwner, field: "funnel-owner", db).handle, actor: actor, db)
            }
            if let funnelCadence { _ = try self.writeSetting(Self.funnelCadenceKey, funnelCadence.rawValue, actor: actor, db) }
            if let funnelDay { _ = try self.writeSetting(Self.funnelDayKey, funnelDay.lowercased(), actor: actor, db) }
            if let graceDays { _ = try self.writeSetting(Self.graceDaysKey, String(graceDays), actor: actor, db) }
        }
    }

    func schedule(_ scope: ReviewScope, _ db: Database) throws -> ReviewSchedule? {
        switch scope {
        case .funnel:
            let cadence = try setting(Self.funnelCadenceKey, db).flatMap(ReviewCadence.init(rawValue:)) ?? .monthly
            return ReviewSchedule(cadence: cadence, day: try setting(Self.funnelDayKey, db))
        case .layer(let key):
            guard let versionId = try layerRecord(key, db).playbookVersionId,
                  let version = try PlaybookVersionRecord.fetchOne(db, key: versionId) else { return nil }
            return ReviewSchedule(cadence: ReviewCadence(rawValue: version.cadence) ?? .weekly, day: version.reviewDay)
        }
    }

    func reviewOwner(_ scope: ReviewScope, _ db: Database) throws -> String? {
        switch scope {
        case .funnel: return try setting(Self.funnelOwnerKey, db)
        case .layer(let key): return try layerRecord(key, db).ownerId.flatMap { try PersonRecord.fetchOne(db, key: $0)?.handle }
        }
    }

    func graceDays(_ db: Database) throws -> Int { try setting(Self.graceDaysKey, db).flatMap(Int.init) ?? ReviewRules.defaultGraceDays }

    static var allScopes: [ReviewScope] { LayerKey.allCases.map { .layer($0) } + [.funnel] }

    // MARK: - Due

    /// Each layer's (and the funnel's) last review, the period due now, days overdue, owner.
    public func reviewsDue(today: Day) async throws -> [ReviewDue] {
        try await writer.read { db in try Self.allScopes.map { try self.reviewDue($0, today: today, db) } }
    }

    func reviewDue(_ scope: ReviewScope, today: Day, _ db: Database) throws -> ReviewDue {
        let owner = try reviewOwner(scope, db)
        let last = try ReviewRecord.filter(Column("scope") == scope.description && Column("status") == ReviewState.closed.rawValue)
            .order(Column("period_from").desc).fetchOne(db)
        guard let schedule = try schedule(scope, db) else {
            return ReviewDue(scope: scope, owner: owner, cadence: nil, lastReviewId: last?.id, lastPeriod: last?.periodLabel,
                             lastClosedAt: last?.closedAt.map(Self.date), duePeriod: nil, dueOn: nil, status: .unscheduled,
                             daysOverdue: 0, openReviewId: nil, nextDueOn: nil)
        }
        let period = schedule.duePeriod(today: today)
        let existing = try ReviewRecord.filter(Column("scope") == scope.description && Column("period_from") == period.range.from.ordinal).fetchOne(db)
        let state = existing.flatMap { ReviewState(rawValue: $0.status) }
        let start = try workspaceStart(db)
        let (status, overdue) = ReviewRules.dueStatus(existing: state, period: period.range, dueOn: period.dueOn, today: today, start: start)
        if status == .upcoming {
            // The first period that begins on or after the start is the first one due.
            var first = start.map { schedule.period(containing: $0) } ?? schedule.next(period)
            if let start, first.range.from < start { first = schedule.next(first) }
            return ReviewDue(scope: scope, owner: owner, cadence: schedule.cadence, lastReviewId: last?.id, lastPeriod: last?.periodLabel,
                             lastClosedAt: last?.closedAt.map(Self.date), duePeriod: nil, dueOn: nil, status: .upcoming,
                             daysOverdue: 0, openReviewId: nil, nextDueOn: first.dueOn)
        }
        return ReviewDue(scope: scope, owner: owner, cadence: schedule.cadence, lastReviewId: last?.id, lastPeriod: last?.periodLabel,
                         lastClosedAt: last?.closedAt.map(Self.date), duePeriod: period.label, dueOn: period.dueOn, status: status,
                         daysOverdue: overdue, openReviewId: state == .open ? existing?.id : nil,
                         nextDueOn: status == .done ? schedule.next(period).dueOn : period.dueOn)
    }

    /// Refuses changing a layer whose review is overdue past the grace period, unless overridden (audited).
    func gate(_ layer: LayerKey, today: Day, override: GateOverride?, actor: String, what: String, _ db: Database) throws {
        let due = try reviewDue(.layer(layer), today: today, db)
        let grace = try graceDays(db)
        guard ReviewRules.isGated(status: due.status, daysOverdue: due.daysOverdue, graceDays: grace) else { return }
        let overdue: Message = "the \(layer) review for \(due.duePeriod ?? "?") was due \(due.dueOn.map { "\($0)" } ?? "?") and is \(due.daysOverdue) days overdue"
        let message: Message = due.openReviewId.map { "\(overdue) (review #\($0) is open): review before you change more" }
            ?? "\(overdue): review before you change more"
        guard let override else {
            throw LinkStarError(.forbidden, "\(what) refused: \(message)", details: [.init(field: "layer", message: message)],
                                hint: .overrideWithReason)
        }
        let reason = override.reason.trimmingCharacters(in: .whitespaces)
        if reason.isEmpty { throw LinkStarError.invalidField("reason", "an override needs a reason (it is audited)") }
        try audit(db, actor: actor, action: "gate.override", entity: "layer", entityId: layer.rawValue, before: ["overdue": message],
                  after: ["allowed": what], reason: reason)
    }

    // MARK: - Working a review

    /// Starts the review of a scope for a period (default: the period due now); its checklist is the playbook's
    /// checklist at its current version plus items for off-track KPIs, actions to evaluate, follow-ups due,
    /// stale data and unowned KPIs.
    public func startReview(_ scope: ReviewScope, period label: String? = nil, today: Day, actor: String) async throws -> ReviewView {
        let staleReport = try await dataCheck(today: today)
        return try await writer.write { db in
            guard let schedule = try self.schedule(scope, db) else {
                throw LinkStarError(.invalid, "the \(scope) layer has no playbook, so no review cadence", hint: .syncPlaybooks)
            }
            let period = try label.map { try schedule.period(named: $0) } ?? schedule.duePeriod(today: today)
            if let existing = try ReviewRecord.filter(Column("scope") == scope.description && Column("period_from") == period.range.from.ordinal).fetchOne(db) {
                throw LinkStarError(.conflict, "the \(scope) review for \(period.label) already exists: #\(existing.id!) (\(existing.status))",
                                    details: [.init(field: "period", message: "already started")])
            }
            var playbookVersionId: Int64?
            var items: [(source: String, text: String, optional: Bool, ref: String?)] = []
            if case .layer(let key) = scope, let versionId = try self.layerRecord(key, db).playbookVersionId {
                playbookVersionId = versionId
                items += try self.checklist(versionId: versionId, db).map { ("playbook", $0.text, $0.optional, nil) }
            }
            items += try self.generatedItems(scope, period: period.range, today: today, stale: staleReport.stale, db)
            var record = ReviewRecord(scope: scope.description, cadence: schedule.cadence.rawValue, periodLabel: period.label,
                                      periodFrom: period.range.from.ordinal, periodTo: period.range.to.ordinal, dueOn: period.dueOn.ordinal,
                                      playbookVersionId: playbookVersionId, status: ReviewState.open.rawValue, startedBy: actor, startedAt: self.nowText(),
                                      closedBy: nil, closedAt: nil, snapshotJson: nil)
            try record.insert(db)
            for (index, item) in items.enumerated() {
                try ReviewItemRecord(reviewId: record.id!, position: index + 1, source: item.source, text: item.text, optional: item.optional,
                                     ref: item.ref, checkedBy: nil, checkedAt: nil, note: nil).insert(db)
            }
            let view = try self.reviewView(record, db)
            try self.audit(db, actor: actor, action: "review.start", entity: "review", entityId: String(record.id!), before: ReviewView?.none,
                           after: ["scope": scope.description, "period": period.label, "items": String(items.count)])
            return view
        }
    }

    func generatedItems(_ scope: ReviewScope, period: DayRange, today: Day, stale: [StaleSeries],
                        _ db: Database) throws -> [(source: String, text: String, optional: Bool, ref: String?)] {
        // Generated items are stored in English; they read in the reader's language through the catalog (Message(stored:)).
        var generated: [(source: String, text: Message, optional: Bool, ref: String?)] = []
        func inScope(_ layer: LayerKey) -> Bool { scope.layer == nil || scope.layer == layer }
        for kpi in try kpiStatuses(db, period: period) where inScope(kpi.layer) && (kpi.status == .atRisk || kpi.status == .offTrack) {
            let current = ValueFormat.format(kpi.current, unit: kpi.unit, upperBound: kpi.upperBound)
            let target = ValueFormat.format(kpi.target ?? kpi.baseline, unit: kpi.unit, upperBound: kpi.upperBound)
            generated.append(("kpi", "Record the cause of KPI #\(kpi.id) \(kpi.metric) \(kpi.segment) being \(kpi.status) (\(current) against \(target))",
                          false, "kpi:\(kpi.id)"))
        }
        for kpi in try kpiViews(KPIRecord.filter(Column("retired_at") == nil).fetchAll(db), db) where inScope(kpi.layer) && kpi.owner == nil {
            generated.append(("owner", "Assign an owner to KPI #\(kpi.id) \(kpi.metric) \(kpi.segment)", false, "kpi:\(kpi.id)"))
        }
        if scope == .funnel {
            for layer in try layerViews(db) where layer.owner == nil {
                generated.append(("owner", "Assign an owner to the \(layer.key) layer", false, "layer:\(layer.key.rawValue)"))
            }
        }
        for action in try ActionRecord.filter(ActionRecord.Columns.status == ActionStatus.measuring.rawValue).order(Column("id")).fetchAll(db)
        where inScope(LayerKey(rawValue: action.layerKey) ?? .traffic) && (action.stoppedOn ?? .max) <= today.ordinal {
            generated.append(("action", "Evaluate action #\(action.id!) \"\(action.title)\" (stopped \(Day(ordinal: action.stoppedOn!)))", false, "action:\(action.id!)"))
        }
        for followup in try ActionFollowupRecord.filter(Column("evaluation_id") == nil && Column("due_on") <= today.ordinal).order(Column("due_on")).fetchAll(db) {
            guard let action = try ActionRecord.fetchOne(db, key: followup.actionId), inScope(LayerKey(rawValue: action.layerKey) ?? .traffic) else { continue }
            generated.append(("followup", "Run the +\(followup.offsetDays)-day follow-up of action #\(action.id!) \"\(action.title)\" (due \(Day(ordinal: followup.dueOn)))",
                          false, "action:\(action.id!)"))
        }
        let catalog = try reference(db).definitions
        let staleByMetric = Dictionary(grouping: stale.filter { catalog[$0.metric].map { inScope($0.layer) } ?? false }, by: \.metric)
        for (metric, series) in staleByMetric.sorted(by: { $0.key < $1.key }) {
            let worst = series.map(\.daysBehind).max() ?? 0
            generated.append(("data", series.count == 1 ? "Fix stale data: \(metric: metric) in 1 segment (newest value \(worst) days old)"
                                : "Fix stale data: \(metric: metric) in \(series.count) segments (newest value \(worst) days old)",
                          false, "metric:\(metric)"))
        }
        return generated.map { ($0.source, $0.text.text(.en), $0.optional, $0.ref) }
    }

    func openReview(_ id: Int64, _ db: Database) throws -> ReviewRecord {
        guard let record = try ReviewRecord.fetchOne(db, key: id) else {
            throw LinkStarError(.notFound, "no review #\(id)", details: [.init(field: "id", message: "no review #\(id)")], hint: .listReviews)
        }
        if record.status == ReviewState.closed.rawValue {
            throw LinkStarError(.conflict, "review #\(id) is closed: a closed review is never edited",
                                details: [.init(field: "id", message: "closed")])
        }
        return record
    }

    /// Checks (or, with `checked: false`, unchecks) one item, recording who and when.
    public func setReviewItem(_ id: Int64, item position: Int, checked: Bool, note: String? = nil, actor: String) async throws -> ReviewView {
        try InputLimits.checkLength(note ?? "", field: "note", max: InputLimits.maxText)
        return try await writer.write { db in
            let review = try self.openReview(id, db)
            guard var item = try ReviewItemRecord.fetchOne(db, key: ["review_id": id, "position": position]) else {
                let count = try ReviewItemRecord.filter(Column("review_id") == id).fetchCount(db)
                throw LinkStarError(.notFound, "review #\(id) has items 1 to \(count), not \(position)", details: [.init(field: "item", message: "no item \(position)")])
            }
            let before = ["checked_by": item.checkedBy ?? "", "note": item.note ?? ""]
            let newNote = note?.trimmingCharacters(in: .whitespaces)
            if checked, let source = ReviewItemSource(rawValue: item.source), ReviewRules.checkNeedsNote(source: source),
               (newNote ?? "").isEmpty && (item.note ?? "").isEmpty {
                throw LinkStarError.invalidField("note", "item \(position) asks for the cause: check it with --note saying what it was")
            }
            if checked {
                item.checkedBy = actor
                item.checkedAt = self.nowText()
                if let note = note?.trimmingCharacters(in: .whitespaces), !note.isEmpty { item.note = note }
            } else {
                item.checkedBy = nil
                item.checkedAt = nil
            }
            try item.update(db)
            try self.audit(db, actor: actor, action: checked ? "review.check" : "review.uncheck", entity: "review", entityId: String(id),
                           before: before, after: ["item": String(position), "checked_by": item.checkedBy ?? "", "note": item.note ?? ""])
            return try self.reviewView(review, db)
        }
    }

    /// Records a finding or a decision.
    public func addReviewNote(_ id: Int64, kind: String, text: String, actor: String) async throws -> ReviewView {
        guard kind == "finding" || kind == "decision" else { throw LinkStarError.invalidField("kind", "must be finding or decision") }
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { throw LinkStarError.invalidField(kind, "the \(kind) is empty") }
        try InputLimits.checkLength(text, field: "text", max: InputLimits.maxText)
        return try await writer.write { db in
            let review = try self.openReview(id, db)
            var note = ReviewNoteRecord(reviewId: id, kind: kind, text: text, author: actor, createdAt: self.nowText())
            try note.insert(db)
            try self.audit(db, actor: actor, action: "review.\(kind)", entity: "review", entityId: String(id), before: [String: String]?.none,
                           after: ["kind": kind, "text": text])
            return try self.reviewView(review, db)
        }
    }

    /// Logs an action that came out of an open review.
    public func addReviewAction(_ id: Int64, _ input: NewAction, today: Day, override: GateOverride? = nil, actor: String) async throws -> ActionResult {
        _ = try await writer.read { db in try self.openReview(id, db) }
        var input = input
        input.reviewId = id
        // A review is where new actions are decided: it is not gated by its own overdue state.
        return try await logAction(input, today: today, override: override, actor: actor, gated: false)
    }

    /// Closes a review: every required item checked, by the owner, the backup or an admin. Stores the KPI
    /// statuses and the funnel for the period; the review can never change again.
    public func closeReview(_ id: Int64, actor: String) async throws -> ReviewView {
        try await writer.write { db in
            var review = try self.openReview(id, db)
            let scope = try ReviewScope(parsing: review.scope)
            let person = try PersonRecord.filter(PersonRecord.Columns.handle == actor).fetchOne(db)
            var allowed: [String] = []
            if case .layer(let key) = scope {
                let layer = try self.layerRecord(key, db)
                allowed = try [layer.ownerId, layer.backupOwnerId].compactMap { $0 }.compactMap { try PersonRecord.fetchOne(db, key: $0)?.handle }
            } else if let owner = try self.setting(Self.funnelOwnerKey, db) {
                allowed = [owner]
            }
            guard ReviewRules.mayClose(actor: actor, role: person.flatMap { PersonRole(rawValue: $0.role) }, owners: allowed) else {
                throw LinkStarError(.forbidden, "\(actor) may not close the \(scope) review: only \(allowed.isEmpty ? "an admin" : allowed.joined(separator: " or ") + " (owner/backup) or an admin") can sign it off",
                                    details: [.init(field: "as", message: "not the owner, backup or an admin")])
            }
            let open = try ReviewItemRecord.filter(Column("review_id") == id && Column("optional") == false && Column("checked_by") == nil)
                .order(Column("position")).fetchAll(db)
            if !open.isEmpty {
                throw LinkStarError(.conflict, open.count == 1 ? "review #\(id) has 1 unchecked required item; check it before closing"
                                        : "review #\(id) has \(open.count) unchecked required items; check them before closing",
                                    details: open.map { .init(field: "item \($0.position)", message: Message(verbatim: $0.text)) })
            }
            let kpis = try self.kpiStatuses(db, period: review.period).filter { scope.layer == nil || $0.layer == scope.layer }
            let funnel = try self.funnel(db, period: review.period, segment: .all, compare: .previous)
            review.snapshotJson = String(decoding: try LinkStarJSON.encoder(pretty: false).encode(ReviewSnapshot(kpis: kpis, funnel: funnel)), as: UTF8.self)
            review.status = ReviewState.closed.rawValue
            review.closedBy = actor
            review.closedAt = self.nowText()
            try review.update(db)
            try self.audit(db, actor: actor, action: "review.close", entity: "review", entityId: String(id), before: ["status": ReviewState.open.rawValue],
                           after: ["status": ReviewState.closed.rawValue])
            return try self.reviewView(review, db)
        }
    }

    // MARK: - Reading

    /// A review's pack: checklist, notes, KPI table, funnel with bottleneck, actions of the period.
    public func reviewPack(_ id: Int64) async throws -> ReviewPack {
        try await writer.read { db in
            guard let review = try ReviewRecord.fetchOne(db, key: id) else {
                throw LinkStarError(.notFound, "no review #\(id)", details: [.init(field: "id", message: "no review #\(id)")])
            }
            let scope = try ReviewScope(parsing: review.scope)
            var kpis: [KPIStatusView]
            var funnel: FunnelReport
            if let json = review.snapshotJson, let snapshot = ReviewSnapshot.decode(json) {
                kpis = snapshot.kpis
                funnel = snapshot.funnel
            } else {
                kpis = try self.kpiStatuses(db, period: review.period).filter { scope.layer == nil || $0.layer == scope.layer }
                funnel = try self.funnel(db, period: review.period, segment: .all, compare: .previous)
            }
            let period = review.period
            let all = try ActionRecord.order(Column("id")).fetchAll(db).filter { scope.layer == nil || $0.layerKey == scope.layer?.rawValue }
            let evaluations = try ActionEvaluationRecord.fetchAll(db)
            func inPeriod(_ text: String) -> Bool { let day = Day(Self.date(text)); return day >= period.from && day <= period.to }
            let evaluated = Set(evaluations.filter { $0.purpose == "evaluation" && inPeriod($0.evaluatedAt) }.map(\.actionId))
            let followed = Set(evaluations.filter { $0.purpose == "followup" && inPeriod($0.evaluatedAt) }.map(\.actionId))
            let actions = ReviewActions(
                started: try all.filter { ($0.startedOn.map { $0 >= period.from.ordinal && $0 <= period.to.ordinal }) ?? false }.map { try self.actionView($0, db) },
                evaluated: try all.filter { evaluated.contains($0.id!) }.map { try self.actionView($0, db) },
                followedUp: try all.filter { followed.contains($0.id!) }.map { try self.actionView($0, db) },
                fromThisReview: try all.filter { $0.reviewId == id }.map { try self.actionView($0, db) })
            return ReviewPack(review: try self.reviewView(review, db), kpis: kpis, funnel: funnel, actions: actions)
        }
    }

    /// Reviews, newest first.
    public func reviews(scope: ReviewScope? = nil) async throws -> [ReviewView] {
        try await writer.read { db in
            var request = ReviewRecord.order(Column("period_from").desc, Column("id").desc)
            if let scope { request = request.filter(Column("scope") == scope.description) }
            return try request.fetchAll(db).map { try self.reviewView($0, db) }
        }
    }

    func reviewView(_ r: ReviewRecord, _ db: Database) throws -> ReviewView {
        let items = try ReviewItemRecord.filter(Column("review_id") == r.id!).order(Column("position")).fetchAll(db).map {
            ReviewItem(position: $0.position, source: ReviewItemSource(rawValue: $0.source) ?? .playbook, text: $0.text, optional: $0.optional, ref: $0.ref, checked: $0.checkedBy != nil,
                       checkedBy: $0.checkedBy, checkedAt: $0.checkedAt.map(Self.date), note: $0.note)
        }
        let notes = try ReviewNoteRecord.filter(Column("review_id") == r.id!).order(Column("id")).fetchAll(db).map {
            ReviewNote(id: $0.id!, kind: $0.kind, text: $0.text, author: $0.author, createdAt: Self.date($0.createdAt))
        }
        let scope = try ReviewScope(parsing: r.scope)
        return ReviewView(
            id: r.id!, scope: scope, cadence: ReviewCadence(rawValue: r.cadence) ?? .weekly, period: r.periodLabel,
            from: Day(ordinal: r.periodFrom), to: Day(ordinal: r.periodTo), dueOn: Day(ordinal: r.dueOn),
            playbookVersion: try r.playbookVersionId.flatMap { try PlaybookVersionRecord.fetchOne(db, key: $0)?.version },
            status: ReviewState(rawValue: r.status) ?? .open, owner: try reviewOwner(scope, db), startedBy: r.startedBy, startedAt: Self.date(r.startedAt),
            closedBy: r.closedBy, closedAt: r.closedAt.map(Self.date), items: items,
            requiredOpen: items.filter { !$0.optional && !$0.checked }.count,
            findings: notes.filter { $0.kind == "finding" }, decisions: notes.filter { $0.kind == "decision" },
            addenda: try Row.fetchAll(db, sql: "SELECT id, text, author, at FROM review_addendum WHERE review_id = ? ORDER BY id", arguments: [r.id!]).map {
                ReviewNote(id: $0["id"], kind: "addendum", text: $0["text"], author: $0["author"], createdAt: Self.date($0["at"]))
            })
    }

    /// Adds a dated addendum to a closed review (a correction or a late finding); the review itself does not change.
    public func amendReview(_ id: Int64, note: String, actor: String) async throws -> ReviewView {
        let text = note.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { throw LinkStarError.invalidField("note", "the addendum is empty") }
        try InputLimits.checkLength(text, field: "note", max: InputLimits.maxText)
        return try await writer.write { db in
            guard let review = try ReviewRecord.fetchOne(db, key: id) else {
                throw LinkStarError(.notFound, "no review #\(id)", details: [.init(field: "id", message: "no review #\(id)")], hint: .listReviews)
            }
            guard review.status == ReviewState.closed.rawValue else {
                throw LinkStarError(.conflict, "review #\(id) is still open: add a finding or decision instead (review note)",
                                    details: [.init(field: "id", message: "open")])
            }
            try db.execute(sql: "INSERT INTO review_addendum (review_id, text, author, at) VALUES (?, ?, ?, ?)",
                           arguments: [id, text, actor, self.nowText()])
            try self.audit(db, actor: actor, action: "review.amend", entity: "review", entityId: String(id), before: String?.none,
                           after: ["addendum": text])
            return try self.reviewView(review, db)
        }
    }

    // MARK: - Compliance

    /// Everything that breaks the process: unowned layers and KPIs, KPIs without baseline or target,
    /// overdue reviews, actions awaiting evaluation, follow-ups due, stale data.
    public func complianceCheck(today: Day) async throws -> ComplianceReport {
        try await writer.read { db in try self.complianceCheck(db, today: today) }
    }

    func complianceCheck(_ db: Database, today: Day) throws -> ComplianceReport {
            let stale = try self.staleSeries(db, today: today, lag: self.staleAfterDays(db))
            let kpis = try self.kpiViews(KPIRecord.filter(Column("retired_at") == nil).order(Column("id")).fetchAll(db), db)
            func ref(_ k: KPIView) -> ComplianceReport.KPIRef { .init(id: k.id, layer: k.layer, metric: k.metric, segment: k.segment) }
            let layers = try self.layerViews(db)
            let overdue = try Self.allScopes.map { try self.reviewDue($0, today: today, db) }.filter { (due: ReviewDue) -> Bool in
                due.status == .overdue || (due.status == .open && due.daysOverdue > 0)
            }
            var awaiting: [ComplianceReport.ActionRef] = []
            for action in try ActionRecord.filter(ActionRecord.Columns.status == ActionStatus.measuring.rawValue).order(Column("id")).fetchAll(db)
            where (action.stoppedOn ?? .max) <= today.ordinal {
                let view = try self.actionView(action, db)
                awaiting.append(.init(id: view.id, title: view.title, layer: view.layer, owner: view.owner, detail: "stopped \(view.stoppedOn!)"))
            }
            var followups: [ComplianceReport.ActionRef] = []
            for f in try ActionFollowupRecord.filter(Column("evaluation_id") == nil && Column("due_on") <= today.ordinal).order(Column("due_on")).fetchAll(db) {
                guard let action = try ActionRecord.fetchOne(db, key: f.actionId) else { continue }
                let view = try self.actionView(action, db)
                followups.append(.init(id: view.id, title: view.title, layer: view.layer, owner: view.owner, detail: "+\(f.offsetDays)d due \(Day(ordinal: f.dueOn))"))
            }
            let unownedLayers = layers.filter { $0.owner == nil }.map(\.key)
            let funnelOwnerMissing = try self.setting(Self.funnelOwnerKey, db) == nil
            let unownedKPIs = kpis.filter { $0.owner == nil }.map(ref)
            let noBaseline = kpis.filter { $0.baseline == nil }.map(ref)
            let noTarget = kpis.filter { $0.target == nil }.map(ref)
            let inactive = Set(try String.fetchAll(db, sql: "SELECT handle FROM person WHERE active = 0"))
            var inactiveOwners: [InactiveOwner] = []
            for layer in layers {
                if let owner = layer.owner, inactive.contains(owner) { inactiveOwners.append(InactiveOwner(person: owner, owns: "layer:\(layer.key.rawValue)")) }
                if let backup = layer.backupOwner, inactive.contains(backup) {
                    inactiveOwners.append(InactiveOwner(person: backup, owns: "layer:\(layer.key.rawValue):backup"))
                }
            }
            for kpi in kpis where kpi.ownerSource == .kpi {
                if let owner = kpi.owner, inactive.contains(owner) { inactiveOwners.append(InactiveOwner(person: owner, owns: "kpi:\(kpi.id)")) }
            }
            let count = unownedLayers.count + (funnelOwnerMissing ? 1 : 0) + unownedKPIs.count + noBaseline.count + noTarget.count
                + overdue.count + awaiting.count + followups.count + stale.count + inactiveOwners.count
            return ComplianceReport(today: today, unownedLayers: unownedLayers, unownedFunnelReview: funnelOwnerMissing, unownedKpis: unownedKPIs,
                                    kpisWithoutBaseline: noBaseline, kpisWithoutTarget: noTarget, overdueReviews: overdue,
                                    actionsAwaitingEvaluation: awaiting, followupsDue: followups, staleSeries: stale,
                                    inactiveOwners: inactiveOwners, problemCount: count, clean: count == 0)
    }
}
