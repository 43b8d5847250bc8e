import Foundation
import GRDB
import LinkStarCore

/// A KPI's current value against its baseline and target.
public struct KPIStatusView: Codable, Sendable, Equatable {
    public var id: Int64
    public var layer: LayerKey
    public var metric: String
    public var unit: MetricUnit
    public var direction: MetricDirection
    public var upperBound: Double?
    public var segment: Segment
    public var owner: String?
    public var from: Day
    public var to: Day
    /// How `current` aggregates the period: `rate` (over matched cells), `daily_average` (per day with data) or `period_total`.
    public var aggregation: MetricAggregation
    /// Rates over the cells that report every part; observed counts and amounts as a daily average over the days with data.
    public var current: Double?
    /// The currency of `current` for currency metrics (the reporting currency when converted).
    public var currency: String?
    public var baseline: Double?
    public var target: Double?
    /// current − target.
    public var delta: Double?
    /// current − baseline.
    public var changeVsBaseline: Double?
    public var status: KPIStatus
    public var daysWithData: Int
    /// Share of the denominator's volume on cells that report every part of the rate.
    public var coverage: Double?
    /// Coverage below the workspace threshold: the value covers only part of the data.
    public var partial: Bool
    public var note: Message?
}

/// Counts of KPIs per status.
public struct StatusCounts: Codable, Sendable, Equatable {
    public var onTrack = 0
    public var atRisk = 0
    public var offTrack = 0
    public var noData = 0
    public var noBaseline = 0

    mutating func add(_ status: KPIStatus) {
        switch status {
        case .onTrack: onTrack += 1
        case .atRisk: atRisk += 1
        case .offTrack: offTrack += 1
        case .noData: noData += 1
        case .noBaseline: noBaseline += 1
        }
    }
}

/// One owner's part of the scorecard.
public struct ScorecardOwner: Codable, Sendable, Equatable {
    public var owner: String
    public var displayName: String?
    /// Layers this person owns.
    public var layers: [LayerKey]
    /// Layers this person backs up.
    public var backupFor: [LayerKey]
    public var counts: StatusCounts
    public var kpis: [KPIStatusView]
}

/// Layers and KPIs nobody owns.
public struct ScorecardUnowned: Codable, Sendable, Equatable {
    public var layers: [LayerKey]
    public var counts: StatusCounts
    public var kpis: [KPIStatusView]
}

/// `linkstar scorecard`: each owner's layers and KPIs with status.
public struct Scorecard: Codable, Sendable, Equatable {
    public var from: Day
    public var to: Day
    public var owners: [ScorecardOwner]
    public var unowned: ScorecardUnowned
}

extension WorkspaceDatabase {
    /// Each KPI's status over `period` (the rule: `KPIStatusRule`).
    public func kpiStatus(period: DayRange, layer: LayerKey? = nil, owner: String? = nil) async throws -> [KPIStatusView] {
        try await writer.read { db in
            var views = try self.kpiStatuses(db, period: period)
            if let layer { views = views.filter { $0.layer == layer } }
            if let owner {
                let handle = try self.personRecord(owner, field: "owner", db).handle
                views = views.filter { $0.owner == handle }
            }
            return views
        }
    }

    func kpiStatuses(_ db: Database, period: DayRange) throws -> [KPIStatusView] {
        // Retired KPIs are no longer judged.
        let kpis = try kpiViews(KPIRecord.filter(Column("retired_at") == nil).orderedForDisplay().fetchAll(db), db)
            .sorted { ($0.layer, $0.id) < ($1.layer, $1.id) }
        let catalog = try reference(db).definitions
        let rates = try exchangeRates(db)
        let threshold = try coverageThreshold(db)
        var loop: [String: Double]?
        return try kpis.map { kpi in
            let metric = catalog[kpi.metric]!
            var value: MeasuredValue
            if metric.source == .workspace {
                if loop == nil { loop = try self.loopCounts(db, period: period) }
                value = Self.loopValue(metric, counts: loop!)
            } else {
                value = try self.kpiValue(db, metric: metric, segment: kpi.segment, period: period, rates: rates, currency: kpi.currency)
            }
            var note: Message? = value.problem
            if let current = value.currency, let wanted = kpi.currency, current != wanted, value.value != nil {
                note = "the value is in \(current) and the KPI's baseline and target in \(wanted): set exchange rates (fx) or cut by market"
                value.value = nil
            }
            let partial = value.value != nil && metric.formula != nil && LikeForLike.isPartial(coverage: value.coverage, threshold: threshold)
            if partial, note == nil {
                note = "partial: \(FixedPoint.text((value.coverage ?? 0) * 100, decimals: 0))% of \(metric: metric.formula!.denominator) is on cells that report every part of \(metric: metric.key)"
            }
            if note == nil, metric.aggregation == .dailyAverage, value.daysWithData > 0, value.daysWithData < period.dayCount {
                note = "data for \(value.daysWithData) of \(period.dayCount) days; the value is the daily average over those days"
            }
            let baseline = kpi.baseline.flatMap { view in (try? DayRange(from: view.from, to: view.to)).map { Baseline(value: view.value, period: $0) } }
            let status = KPIStatusRule.status(current: value.value, baseline: baseline,
                                              target: kpi.target, band: kpi.warningBand, direction: metric.direction)
            return KPIStatusView(
                id: kpi.id, layer: kpi.layer, metric: kpi.metric, unit: kpi.unit, direction: kpi.direction, upperBound: kpi.upperBound,
                segment: kpi.segment, owner: kpi.owner, from: period.from, to: period.to, aggregation: metric.aggregation,
                current: value.value, currency: value.value == nil ? nil : (value.currency ?? kpi.currency),
                baseline: kpi.baseline?.value, target: kpi.target,
                delta: value.value.flatMap { v in kpi.target.map { v - $0 } },
                changeVsBaseline: value.value.flatMap { v in kpi.baseline.map { v - $0.value } },
                status: status, daysWithData: value.daysWithData, coverage: value.coverage, partial: partial, note: note)
        }
    }

    /// A loop-health metric's value from the period's counts: a share, or a period total.
    static func loopValue(_ metric: MetricDefinition, counts: [String: Double]) -> MeasuredValue {
        var measured = MeasuredValue(value: nil, currency: nil, top: nil, bottom: nil, coverage: 1, daysWithData: 0, problem: nil,
                                     daysWithoutRate: [])
        guard let formula = metric.formula else {
            measured.value = counts[metric.key]
            return measured
        }
        let top = MetricFormula.top(numerator: counts[formula.numerator] ?? 0, subtract: formula.subtract.map { counts[$0] ?? 0 })
        let bottom = counts[formula.denominator] ?? 0
        measured.top = top
        measured.bottom = bottom
        measured.value = MetricFormula.value(numerator: counts[formula.numerator] ?? 0, subtract: formula.subtract.map { counts[$0] ?? 0 },
                                             denominator: bottom)
        if measured.value == nil { measured.problem = "no \(metric: formula.denominator) in this period" }
        return measured
    }

    /// A metric's value over a window in a segment cut, like for like (`LikeForLike`); money in the KPI's currency
    /// when that is the reporting currency.
    func kpiValue(_ db: Database, metric: MetricDefinition, segment: Segment, period: DayRange, rates: ExchangeRates,
                  currency: String?) throws -> MeasuredValue {
        let parts = metric.formula?.parts ?? [metric.key]
        let table = try cells(db, metrics: parts, range: period, filter: segment)
        guard let formula = CellFormula(metric, in: table) else {
            return MeasuredValue(value: nil, currency: nil, top: nil, bottom: nil, coverage: nil, daysWithData: 0, problem: nil, daysWithoutRate: [])
        }
        let totals = LikeForLike.combine(LikeForLike.totalsBySegment(table, formula: formula, window: period, rates: rates))
        return LikeForLike.value(of: totals, metric: metric, rates: rates,
                                 convertMoney: currency != nil && currency == rates.reportingCurrency)
    }

    /// Each owner's layers and KPIs with status, and what nobody owns.
    public func scorecard(period: DayRange, owner: String? = nil) async throws -> Scorecard {
        try await writer.read { db in
            let statuses = try self.kpiStatuses(db, period: period)
            let layers = try self.layerViews(db)
            let people = try PersonRecord.fetchAll(db)
            var handles = Set(statuses.compactMap(\.owner))
            for layer in layers {
                if let o = layer.owner { handles.insert(o) }
                if let b = layer.backupOwner { handles.insert(b) }
            }
            if let owner { handles = [try self.personRecord(owner, field: "owner", db).handle] }
            let owners = handles.sorted().map { handle in
                let kpis = statuses.filter { $0.owner == handle }
                var counts = StatusCounts()
                kpis.forEach { counts.add($0.status) }
                return ScorecardOwner(owner: handle, displayName: people.first { $0.handle == handle }?.displayName,
                                      layers: layers.filter { $0.owner == handle }.map(\.key),
                                      backupFor: layers.filter { $0.backupOwner == handle }.map(\.key), counts: counts, kpis: kpis)
            }
            let unownedKPIs = statuses.filter { $0.owner == nil }
            var unownedCounts = StatusCounts()
            unownedKPIs.forEach { unownedCounts.add($0.status) }
            return Scorecard(from: period.from, to: period.to, owners: owners,
                             unowned: ScorecardUnowned(layers: layers.filter { $0.owner == nil }.map(\.key), counts: unownedCounts,
                                                       kpis: unownedKPIs))
        }
    }
}
