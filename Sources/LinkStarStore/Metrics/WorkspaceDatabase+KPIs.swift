import GRDB
import LinkStarCore

extension WorkspaceDatabase {
    /// Creates the KPI for a layer × metric × segment scope, or updates the fields given for an existing one.
    /// A new KPI without `--warn` gets the default band (10% of target); an unchanged KPI writes nothing.
    public func setKPI(_ spec: KPISpec, actor: String) async throws -> KPISetResult {
        try await writer.write { db in try self.setKPI(spec, actor: actor, db) }
    }

    func setKPI(_ spec: KPISpec, actor: String, _ db: Database) throws -> KPISetResult {
        let metric = try self.metricRecord(spec.metric, field: "metric", db)
        let definition = metric.domain
        try spec.validate(against: definition)
        let layer = spec.layer ?? definition.layer
        _ = try self.layerRecord(layer, db)
        var ownerId: Int64?
        if let handle = spec.ownerHandle { ownerId = try self.personRecord(handle, field: "owner", db).id }

        let now = self.nowText()
        let existing = try KPIRecord.all().scoped(layer: layer, metricId: metric.id!, segment: spec.segment).fetchOne(db)
        var record = existing ?? KPIRecord(
            layerKey: layer.rawValue, metricId: metric.id!, channel: spec.segment.channel, market: spec.segment.market,
            device: spec.segment.device, ownerId: nil, baselineValue: nil, baselineFrom: nil, baselineTo: nil,
            targetValue: nil, warningBandKind: WarningBand.default.kind, warningBandValue: WarningBand.default.value,
            createdAt: now, updatedAt: now, currency: nil)
        if existing?.retiredAt != nil {
            throw LinkStarError(.conflict, "KPI #\(existing!.id!) for \(definition.key) \(spec.segment) was retired (\(existing!.retireReason ?? "")); its history stays as it was",
                                details: [.init(field: "metric", message: "retired KPI #\(existing!.id!)")])
        }
        if let ownerId { record.ownerId = ownerId }
        if let baseline = spec.baseline {
            record.baselineValue = baseline.value
            record.baselineFrom = baseline.period.from.description
            record.baselineTo = baseline.period.to.description
        }
        if let target = spec.target { record.targetValue = target }
        if definition.unit == .currency {
            // The currency the numbers are in: given, else kept, else the one the KPI's data is in, else the reporting currency.
            if let currency = spec.currency {
                record.currency = currency
            } else if record.currency == nil && (spec.baseline != nil || spec.target != nil) {
                let money = definition.formula?.numerator ?? definition.key
                let observed = try String.fetchAll(db, sql: """
                    SELECT DISTINCT o.currency FROM observation o JOIN metric m ON m.id = o.metric_id
                    WHERE m.key = ? AND o.currency IS NOT NULL AND o.segment_id IN (\(try reference(db).segmentIds(in: spec.segment).map(String.init).joined(separator: ",")))
                    """, arguments: [money])
                guard let currency = observed.count == 1 ? observed[0] : try self.setting(Self.reportingCurrencyKey, db) else {
                    throw LinkStarError.invalidField("currency", observed.isEmpty
                        ? "say which currency the baseline and target are in (--currency USD)"
                        : "the data of \(spec.segment) is in \(observed.joined(separator: ", ")): say which currency the baseline and target are in (--currency), or set a reporting currency")
                }
                record.currency = currency
            }
        } else if spec.currency != nil {
            throw LinkStarError.invalidField("currency", "\(definition.key) is a \(definition.unit.rawValue), not an amount of money")
        }
        if let band = spec.warningBand {
            record.warningBandKind = band.kind
            record.warningBandValue = band.value
        }

        if var existing {
            existing.updatedAt = record.updatedAt
            if existing == record {
                return KPISetResult(outcome: .unchanged, kpi: try self.kpiViews([existing], db)[0])
            }
            let before = try self.kpiViews([existing], db)[0]
            record.updatedAt = now
            try record.update(db)
            let after = try self.kpiViews([record], db)[0]
            try self.audit(db, actor: actor, action: "kpi.update", entity: "kpi", entityId: String(record.id!),
                           before: KPISnapshot(before), after: KPISnapshot(after))
            return KPISetResult(outcome: .updated, kpi: after)
        }
        try record.insert(db)
        let view = try self.kpiViews([record], db)[0]
        try self.audit(db, actor: actor, action: "kpi.create", entity: "kpi", entityId: String(record.id!),
                       before: KPISnapshot?.none, after: KPISnapshot(view))
        return KPISetResult(outcome: .created, kpi: view)
    }

    /// Changes the given fields of KPI `id` (its layer, metric and segment stay), audited with before and after; one transaction.
    public func editKPI(id: Int64, _ changes: KPISpec, actor: String) async throws -> KPISetResult {
        try await writer.write { db in
            let record = try self.kpiRecord(id, db)
            var spec = changes
            spec.layer = LayerKey(rawValue: record.layerKey)
            spec.metric = try MetricRecord.fetchOne(db, key: record.metricId)!.key
            spec.segment = record.segment
            return try self.setKPI(spec, actor: actor, db)
        }
    }

    /// Retires KPI `id`: it is no longer judged (status, scorecard, reviews), its past statuses and review snapshots
    /// stay as they were. Audited; a reason is required.
    public func retireKPI(id: Int64, reason: String, actor: String) async throws -> KPIView {
        let reason = reason.trimmingCharacters(in: .whitespaces)
        if reason.isEmpty { throw LinkStarError.invalidField("reason", "retiring a KPI needs a reason") }
        try InputLimits.checkLength(reason, field: "reason", max: InputLimits.maxText)
        return try await writer.write { db in
            var record = try self.kpiRecord(id, db)
            if record.retiredAt != nil { return try self.kpiViews([record], db)[0] }
            let before = try self.kpiViews([record], db)[0]
            record.retiredAt = self.nowText()
            record.retiredBy = actor
            record.retireReason = reason
            try record.update(db)
            let after = try self.kpiViews([record], db)[0]
            try self.audit(db, actor: actor, action: "kpi.retire", entity: "kpi", entityId: String(id), before: KPISnapshot(before),
                           after: KPISnapshot(after), reason: reason)
            return after
        }
    }

    func kpiRecord(_ id: Int64, _ db: Database) throws -> KPIRecord {
        guard let record = try KPIRecord.fetchOne(db, key: id) else {
            throw LinkStarError(.notFound, "no KPI with id \(id)", details: [.init(field: "id", message: "no KPI with id \(id)")], hint: .listKPIs)
        }
        return record
    }

    /// KPIs, optionally of one layer, one metric, or one (effective) owner; retired ones only with `includeRetired`.
    public func kpis(layer: LayerKey? = nil, metric: String? = nil, owner: String? = nil, includeRetired: Bool = false) async throws -> [KPIView] {
        try await writer.read { db in
            var request = KPIRecord.all().orderedForDisplay()
            if !includeRetired { request = request.filter(Column("retired_at") == nil) }
            if let layer { request = request.inLayer(layer) }
            if let metric {
                request = request.filter(KPIRecord.Columns.metricId == (try self.metricRecord(metric, field: "metric", db).id!))
            }
            var views = try self.kpiViews(request.fetchAll(db), db)
            if let owner {
                let handle = try self.personRecord(owner, field: "owner", db).handle
                views = views.filter { $0.owner == handle }
            }
            return views.sorted { ($0.layer, $0.id) < ($1.layer, $1.id) }
        }
    }

    /// One KPI by id.
    public func kpi(id: Int64) async throws -> KPIView {
        try await writer.read { db in
            guard let record = try KPIRecord.fetchOne(db, key: id) else {
                throw LinkStarError(.notFound, "no KPI with id \(id)", details: [.init(field: "id", message: "no KPI with id \(id)")],
                                    hint: .listKPIs)
            }
            return try self.kpiViews([record], db)[0]
        }
    }

    func kpiViews(_ records: [KPIRecord], _ db: Database) throws -> [KPIView] {
        let handles = try handlesById(db)
        var metrics: [Int64: MetricRecord] = [:]
        for metric in try MetricRecord.fetchCatalog(db) { metrics[metric.id!] = metric }
        var layerOwners: [String: Int64?] = [:]
        for layer in try LayerRecord.fetchAll(db) { layerOwners[layer.key] = layer.ownerId }
        return records.map { r in
            let metric = metrics[r.metricId]!.domain
            let layerOwner = layerOwners[r.layerKey] ?? nil
            let owner = r.ownerId.flatMap { handles[$0] } ?? layerOwner.flatMap { handles[$0] }
            let ownerSource: OwnerSource? = r.ownerId != nil ? .kpi : (layerOwner != nil ? .layer : nil)
            return KPIView(
                id: r.id!, layer: LayerKey(rawValue: r.layerKey) ?? metric.layer, metric: metric.key, unit: metric.unit,
                direction: metric.direction, upperBound: metric.upperBound, segment: r.segment, owner: owner, ownerSource: ownerSource,
                aggregation: metric.aggregation, currency: r.currency,
                baseline: r.baseline.map { BaselineView(value: $0.value, from: $0.period.from, to: $0.period.to) },
                target: r.targetValue, warningBand: r.warningBand,
                createdAt: Self.date(r.createdAt), updatedAt: Self.date(r.updatedAt),
                retired: r.retiredAt.map { RetiredKPI(at: Self.date($0), by: r.retiredBy ?? "", reason: r.retireReason ?? "") })
        }
    }
}

/// Audit snapshot of a KPI: the fields a person sets.
struct KPISnapshot: Codable {
    var layer: LayerKey
    var metric: String
    var segment: Segment
    var owner: String?
    var ownerSource: OwnerSource?
    var baseline: BaselineView?
    var target: Double?
    var warningBand: WarningBand?
    var currency: String?
    var retired: RetiredKPI?

    init(_ v: KPIView) {
        layer = v.layer
        metric = v.metric
        segment = v.segment
        owner = v.owner
        ownerSource = v.ownerSource
        baseline = v.baseline
        target = v.target
        warningBand = v.warningBand
        currency = v.currency
        retired = v.retired
    }
}
