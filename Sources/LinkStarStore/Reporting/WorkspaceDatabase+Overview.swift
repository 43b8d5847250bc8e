import Foundation
import GRDB
import LinkStarCore

/// One day of a KPI's daily series: nil where no cell reported every part (a gap, never a zero).
public struct KPISeriesPoint: Codable, Sendable, Equatable {
    public var day: Day
    public var value: Double?
}

/// A KPI's value day by day (the like-for-like rule applied to each day alone), with its baseline and target.
public struct KPISeries: Codable, Sendable, Equatable {
    public var kpiId: Int64
    public var metric: String
    public var unit: MetricUnit
    public var direction: MetricDirection
    public var upperBound: Double?
    public var currency: String?
    public var aggregation: MetricAggregation
    public var baseline: Double?
    public var target: Double?
    public var warningBand: WarningBand?
    public var points: [KPISeriesPoint]
}

/// Everything the team's screen shows at once: layers, KPI status with each KPI's series, the funnel,
/// reviews due, the actions in flight, and the compliance findings.
public struct Overview: Codable, Sendable, Equatable {
    public var from: Day
    public var to: Day
    public var today: Day
    public var layers: [LayerView]
    public var kpis: [KPIStatusView]
    public var series: [KPISeries]
    public var funnel: FunnelReport
    public var reviewsDue: [ReviewDue]
    public var actions: [ActionView]
    public var check: ComplianceReport
}

extension WorkspaceDatabase {
    /// Days of history a KPI's series covers on the overview.
    public static let overviewSeriesDays = 90

    /// The overview for `period` (funnel against the previous period), each KPI's series over the
    /// `overviewSeriesDays` days ending with the period, and what is due as of `today`.
    /// A server answers it from memory until the workspace changes (its change token moves with every write).
    public func overview(period: DayRange, today: Day) async throws -> Overview {
        let version = try await changeToken()
        let key = "\(period.from.ordinal)..\(period.to.ordinal)@\(today.ordinal)"
        if let kept = overviews.value(key, version: version) { return kept }
        let overview = try await computeOverview(period: period, today: today)
        overviews.store(overview, key, version: version)
        return overview
    }

    func computeOverview(period: DayRange, today: Day) async throws -> Overview {
        let check = try await complianceCheck(today: today)
        return try await writer.read { db in
            let seriesRange = try DayRange(from: max(period.to.adding(days: -(Self.overviewSeriesDays - 1)), Day.firstSupported), to: period.to)
            let statuses = try self.kpiStatuses(db, period: period)
            return Overview(
                from: period.from, to: period.to, today: today, layers: try self.layerViews(db), kpis: statuses,
                series: try self.kpiSeries(db, ids: statuses.map(\.id), range: seriesRange),
                funnel: try self.funnel(db, period: period, segment: .all, compare: .previous),
                reviewsDue: try Self.allScopes.map { try self.reviewDue($0, today: today, db) },
                actions: try ActionRecord.filter([ActionStatus.running, .measuring].map(\.rawValue).contains(ActionRecord.Columns.status))
                    .order(ActionRecord.Columns.id).fetchAll(db).map { try self.actionView($0, db) },
                check: check)
        }
    }

    /// One KPI's daily series over `range`.
    public func kpiSeries(id: Int64, range: DayRange) async throws -> KPISeries {
        try await writer.read { db in
            guard let series = try self.kpiSeries(db, ids: [id], range: range).first else {
                throw LinkStarError(.notFound, "no KPI with id \(id)", details: [.init(field: "id", message: "no KPI with id \(id)")], hint: .listKPIs)
            }
            return series
        }
    }

    func kpiSeries(_ db: Database, ids: [Int64], range: DayRange) throws -> [KPISeries] {
        let kpis = try kpiViews(KPIRecord.filter(ids.contains(Column("id"))).fetchAll(db), db)
        let byId = Dictionary(uniqueKeysWithValues: kpis.map { ($0.id, $0) })
        let catalog = try reference(db).definitions
        let rates = try exchangeRates(db)
        // One read of the window for every KPI's parts (not one per KPI): each series takes the cells of its segment.
        let wanted = ids.compactMap { byId[$0] }
        var parts: [String] = []
        for kpi in wanted {
            guard let metric = catalog[kpi.metric], metric.source == .observations else { continue }
            for part in metric.formula?.parts ?? [metric.key] where !parts.contains(part) { parts.append(part) }
        }
        let table = parts.isEmpty ? CellTable(metrics: []) : try cells(db, metrics: parts, range: range, filter: .all)
        return wanted.map { kpi in
            let metric = catalog[kpi.metric]!
            let points = Self.dailyValues(table, metric: metric, segment: kpi.segment, range: range, currency: kpi.currency, rates: rates)
            return KPISeries(kpiId: kpi.id, metric: kpi.metric, unit: kpi.unit, direction: kpi.direction, upperBound: kpi.upperBound, currency: kpi.currency,
                             aggregation: kpi.aggregation, baseline: kpi.baseline?.value, target: kpi.target, warningBand: kpi.warningBand,
                             points: points)
        }
    }
}

/// An action with its metric's daily values around its windows (treatment and control), and the events over them.
public struct ActionTimeline: Codable, Sendable, Equatable {
    public var detail: ActionDetail
    public var unit: MetricUnit
    public var upperBound: Double?
    public var points: [KPISeriesPoint]
    public var controlPoints: [KPISeriesPoint]?
    public var events: [EventView]
}

/// One KPI's page: its definition, its status over a period, its daily series and the events over that series.
public struct KPIDetail: Codable, Sendable, Equatable {
    public var kpi: KPIView
    public var status: KPIStatusView?
    public var series: KPISeries
    /// Events overlapping the series and the KPI's segment (they may explain a move).
    public var events: [EventView]
}

/// One person's page: what they own and back up, their KPIs with status, their reviews due, their actions.
public struct PersonOverview: Codable, Sendable, Equatable {
    public var person: PersonView
    public var layers: [LayerKey]
    public var backupFor: [LayerKey]
    public var kpis: [KPIStatusView]
    public var reviewsDue: [ReviewDue]
    public var actions: [ActionView]
}

extension WorkspaceDatabase {
    /// A metric's value day by day in a segment cut: the like-for-like rule applied to each day alone; nil where no
    /// cell reported every part, or where the value is in another currency than `currency`.
    func dailyValues(_ db: Database, metric: MetricDefinition, segment: Segment, range: DayRange, currency: String?,
                     rates: ExchangeRates) throws -> [KPISeriesPoint] {
        // Loop-health metrics are period totals of LinkStar's own records: they have no daily series.
        let table = metric.source == .observations
            ? try cells(db, metrics: metric.formula?.parts ?? [metric.key], range: range, filter: segment) : CellTable(metrics: [])
        return Self.dailyValues(table, metric: metric, segment: segment, range: range, currency: currency, rates: rates)
    }

    /// The same over a table already read (which may hold more metrics and segments than this one needs).
    static func dailyValues(_ table: CellTable, metric: MetricDefinition, segment: Segment, range: DayRange, currency: String?,
                            rates: ExchangeRates) -> [KPISeriesPoint] {
        var values: [Int: Double] = [:]
        if metric.source == .observations {
            if let formula = CellFormula(metric, in: table) {
                let inside = table.segments.map { segment.contains($0) }
                var byDay: [Int: MatchedTotals] = [:]
                for cell in table.cells where inside[cell.segment] {
                    byDay[cell.day, default: MatchedTotals()].add(cell, of: table, formula: formula, rates: rates)
                }
                for (day, totals) in byDay where totals.matchedCells > 0 {
                    let measured = LikeForLike.value(of: totals, metric: metric, rates: rates,
                                                     convertMoney: currency != nil && currency == rates.reportingCurrency)
                    if let value = measured.value, measured.currency == nil || currency == nil || measured.currency == currency {
                        values[day] = value
                    }
                }
            }
        }
        return stride(from: range.from.ordinal, through: range.to.ordinal, by: 1).map { KPISeriesPoint(day: Day(ordinal: $0), value: values[$0]) }
    }

    /// An action with the daily values of its metric in its segment (and its control) around its windows, and the
    /// events over them.
    public func actionTimeline(id: Int64, today: Day) async throws -> ActionTimeline {
        let detail = try await action(id: id)
        return try await writer.read { db in
            let a = detail.action
            let metric = try MetricRecord.filter(Column("key") == a.metric).fetchOne(db).map(\.domain)
            let start = a.beforeWindow?.from ?? a.startedOn?.adding(days: -28) ?? today.adding(days: -28)
            let end = min(today, max(start, (a.stoppedOn ?? today).adding(days: 14)))
            let range = try DayRange(from: max(start, Day.firstSupported), to: max(start, end))
            let rates = try self.exchangeRates(db)
            let series = try metric.map { try self.dailyValues(db, metric: $0, segment: a.segment, range: range, currency: nil, rates: rates) } ?? []
            let control = try a.controlSegment.flatMap { segment in
                try metric.map { try self.dailyValues(db, metric: $0, segment: segment, range: range, currency: nil, rates: rates) }
            }
            let events = try EventRecord.filter(Column("deleted_at") == nil && Column("from_day") <= range.to.ordinal && Column("to_day") >= range.from.ordinal)
                .order(Column("from_day"), Column("id")).fetchAll(db).map(Self.eventView).filter { $0.segment.overlaps(a.segment) }
            return ActionTimeline(detail: detail, unit: metric?.unit ?? .count, upperBound: metric?.upperBound, points: series,
                                  controlPoints: control, events: events)
        }
    }

    /// A KPI with its status over `period` and its series over the `overviewSeriesDays` days ending with it.
    public func kpiDetail(id: Int64, period: DayRange) async throws -> KPIDetail {
        try await writer.read { db in
            guard let kpi = try self.kpiViews(KPIRecord.filter(Column("id") == id).fetchAll(db), db).first else {
                throw LinkStarError(.notFound, "no KPI with id \(id)", details: [.init(field: "id", message: "no KPI with id \(id)")], hint: .listKPIs)
            }
            let range = try DayRange(from: max(period.to.adding(days: -(Self.overviewSeriesDays - 1)), Day.firstSupported), to: period.to)
            let events = try EventRecord.filter(Column("deleted_at") == nil && Column("from_day") <= range.to.ordinal && Column("to_day") >= range.from.ordinal)
                .order(Column("from_day"), Column("id")).fetchAll(db).map(Self.eventView).filter { $0.segment.overlaps(kpi.segment) }
            return KPIDetail(kpi: kpi, status: try self.kpiStatuses(db, period: period).first { $0.id == id },
                             series: try self.kpiSeries(db, ids: [id], range: range)[0], events: events)
        }
    }

    /// What `handle` is accountable for, as of `today`, with KPI status over `period`.
    public func personOverview(handle: String, period: DayRange, today: Day) async throws -> PersonOverview {
        try await writer.read { db in
            let record = try self.personRecord(handle, field: "handle", db)
            let layers = try self.layerViews(db)
            let reviews = try Self.allScopes.map { try self.reviewDue($0, today: today, db) }.filter { $0.owner == record.handle }
            let actions = try ActionRecord.filter(ActionRecord.Columns.ownerId == record.id).order(ActionRecord.Columns.id.desc).fetchAll(db)
                .map { try self.actionView($0, db) }
            return PersonOverview(person: Self.view(record), layers: layers.filter { $0.owner == record.handle }.map(\.key),
                                  backupFor: layers.filter { $0.backupOwner == record.handle }.map(\.key),
                                  kpis: try self.kpiStatuses(db, period: period).filter { $0.owner == record.handle },
                                  reviewsDue: reviews, actions: actions)
        }
    }
}
