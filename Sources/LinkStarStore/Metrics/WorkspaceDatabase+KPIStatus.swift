import Foundation
import GRDB
import LinkStarCore

/// A KPI's current value against its baseline and target.
public struct KPIStatusView: Codable, Sendable, Equatable, NullPreservingEncodable {
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
    /// Rates from summed counts; counts and amounts as a daily average over the days with data.
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
    public var note: String?
}

/// Counts of KPIs per status.
public struct StatusCounts: Codable, Sendable, Equatable, NullPreservingEncodable {
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
public struct ScorecardOwner: Codable, Sendable, Equatable, NullPreservingEncodable {
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
public struct ScorecardUnowned: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var layers: [LayerKey]
    public var counts: StatusCounts
    public var kpis: [KPIStatusView]
}

/// `linkstar scorecard`: each owner's layers and KPIs with status.
public struct Scorecard: Codable, Sendable, Equatable, NullPreservingEncodable {
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
        let kpis = try kpiViews(KPIRecord.all().orderedForDisplay().fetchAll(db), db).sorted { ($0.layer, $0.id) < ($1.layer, $1.id) }
        let catalog = Dictionary(uniqueKeysWithValues: try MetricRecord.fetchAll(db).map { ($0.key, $0.domain) })
        let fx = try fxTable(db)
        return try kpis.map { kpi in
            let metric = catalog[kpi.metric]!
            let value = try self.kpiValue(db, metric: metric, segment: kpi.segment, period: period, catalog: catalog, fx: fx)
            let status = KPIStatusRule.status(current: value.value, baseline: kpi.baseline.map { try! Baseline(value: $0.value, period: DayRange(from: $0.from, to: $0.to)) },
                                              target: kpi.target, band: kpi.warningBand, direction: metric.direction)
            return KPIStatusView(
                id: kpi.id, layer: kpi.layer, metric: kpi.metric, unit: kpi.unit, direction: kpi.direction, upperBound: kpi.upperBound,
                segment: kpi.segment, owner: kpi.owner, from: period.from, to: period.to, current: value.value, currency: value.currency,
                baseline: kpi.baseline?.value, target: kpi.target,
                delta: value.value.flatMap { v in kpi.target.map { v - $0 } },
                changeVsBaseline: value.value.flatMap { v in kpi.baseline.map { v - $0.value } },
                status: status, daysWithData: value.days, note: value.note)
        }
    }

    /// A metric's value over a window: rates from summed counts, additive metrics as a daily average.
    func kpiValue(_ db: Database, metric: MetricDefinition, segment: Segment, period: DayRange,
                  catalog: [String: MetricDefinition], fx: FXTable) throws -> (value: Double?, currency: String?, days: Int, note: String?) {
        let parts = metric.formula?.parts ?? [metric.key]
        let sums = try MetricSums.read(db, metrics: parts, range: period, filter: segment)
        // A part in one currency, or converted to the reporting currency; nil with a note otherwise.
        func amount(_ key: String) -> (Double, String?)? {
            guard let byCurrency = sums.values[key] else { return nil }
            if catalog[key]?.unit != .currency { return (byCurrency.values.reduce(0, +), nil) }
            if byCurrency.count == 1, let (currency, value) = byCurrency.first { return (value, currency) }
            guard let converted = fx.convert(byCurrency) else { return nil }
            return (converted, fx.reportingCurrency)
        }
        func mixedNote(_ key: String) -> String? {
            guard let byCurrency = sums.values[key], byCurrency.count > 1, fx.convert(byCurrency) == nil else { return nil }
            return "\(key) is in \(byCurrency.keys.sorted().joined(separator: ", ")): amounts in different currencies are not added; set a reporting currency and exchange rates, or cut by market"
        }
        guard let formula = metric.formula else {
            let days = sums.days[metric.key] ?? 0
            guard days > 0 else { return (nil, nil, 0, nil) }
            if let note = mixedNote(metric.key) { return (nil, nil, days, note) }
            guard let (total, currency) = amount(metric.key) else { return (nil, nil, days, nil) }
            let note = days < period.dayCount ? "data for \(days) of \(period.dayCount) days; the value is the daily average over those days" : nil
            return (total / Double(days), currency, days, note)
        }
        let days = formula.parts.compactMap { sums.days[$0] }.min() ?? 0
        for part in formula.parts { if let note = mixedNote(part) { return (nil, nil, days, note) } }
        guard let (numerator, numeratorCurrency) = amount(formula.numerator), let (denominator, denominatorCurrency) = amount(formula.denominator) else {
            return (nil, nil, days, nil)
        }
        var minus: Double?
        if let subtract = formula.subtract {
            guard let (amount, _) = amount(subtract) else { return (nil, nil, days, nil) }
            minus = amount
        }
        if let a = numeratorCurrency, let b = denominatorCurrency, a != b {
            return (nil, nil, days, "\(formula.numerator) is in \(a) and \(formula.denominator) in \(b): set exchange rates to compare them")
        }
        guard let value = MetricFormula.value(numerator: numerator, subtract: minus, denominator: denominator) else {
            return (nil, nil, days, "\(formula.denominator) is 0 in this period")
        }
        let currency = metric.unit == .currency ? numeratorCurrency : nil
        return (value, currency, days, nil)
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
