import Foundation
import GRDB
import LinkStarCore

/// One stage's volume.
public struct FunnelStage: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var metric: String
    public var volume: Double
    public var compareVolume: Double?
}

/// One step between two stages: its rate from summed counts and its change.
public struct FunnelStep: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var fromMetric: String
    public var toMetric: String
    /// The catalog rate this step is, when there is one (e.g. checkout_to_order_rate).
    public var rateMetric: String?
    public var layer: LayerKey
    public var owner: String?
    public var direction: MetricDirection
    public var fromVolume: Double
    public var toVolume: Double
    public var rate: Double?
    public var compareRate: Double?
    /// rate − compare_rate.
    public var change: Double?
    /// change / compare_rate.
    public var relativeChange: Double?
    /// Two-proportion z-test of the two rates (when both are proportions).
    public var pValue: Double?
}

/// A segment's share of the bottleneck.
public struct BottleneckSegment: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var segment: Segment
    public var fromVolume: Double
    public var rate: Double?
    public var compareRate: Double?
    public var relativeChange: Double?
}

/// The step that worsened most, with the segments where it worsened most.
public struct FunnelBottleneck: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var fromMetric: String
    public var toMetric: String
    public var rateMetric: String?
    public var layer: LayerKey
    public var owner: String?
    public var rate: Double?
    public var compareRate: Double?
    public var change: Double?
    public var relativeChange: Double?
    public var pValue: Double?
    /// False when no worsening step passed the significance test (the worst one is shown anyway).
    public var significant: Bool
    public var segments: [BottleneckSegment]
}

/// Revenue and AOV per currency (never summed across currencies unless converted).
public struct FunnelRevenue: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var currency: String
    public var revenue: Double
    public var compareRevenue: Double?
    public var aov: Double?
}

/// `linkstar funnel`: stages, steps, comparison and the bottleneck.
public struct FunnelReport: Codable, Sendable, Equatable, NullPreservingEncodable {
    public var from: Day
    public var to: Day
    public var compare: Comparison
    public var compareFrom: Day?
    public var compareTo: Day?
    public var segment: Segment
    public var stages: [FunnelStage]
    public var steps: [FunnelStep]
    public var retention: [FunnelStep]
    public var bottleneck: FunnelBottleneck?
    public var revenue: [FunnelRevenue]
    public var notes: [String]
}

extension WorkspaceDatabase {
    /// The funnel for a period and segment cut, compared with the previous period, the KPI baselines, or last year.
    public func funnel(period: DayRange, segment: Segment = .all, compare: Comparison = .previous) async throws -> FunnelReport {
        try await writer.read { db in try self.funnel(db, period: period, segment: segment, compare: compare) }
    }

    func funnel(_ db: Database, period: DayRange, segment: Segment, compare: Comparison) throws -> FunnelReport {
        let metrics = FunnelDefinition.metrics + ["revenue"]
        let compareWindow = compare.window(for: period)
        let sums = try MetricSums.read(db, metrics: metrics, ranges: [period] + (compareWindow.map { [$0] } ?? []), filter: segment,
                                       countDays: false)
        let current = sums[0]
        let previous = sums.count > 1 ? sums[1] : nil
        let metricRecords = try MetricRecord.fetchAll(db)
        let catalog = metricRecords.map(\.domain)
        var owners: [LayerKey: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT l.key, p.handle FROM layer l JOIN person p ON p.id = l.owner_id") {
            if let key = LayerKey(rawValue: row[0]) { owners[key] = row[1] }
        }
        let kpis = try KPIRecord.fetchAll(db)
        let metricIdByKey = Dictionary(uniqueKeysWithValues: metricRecords.map { ($0.key, $0.id!) })
        var notes: [String] = []

        func rateMetric(_ from: String, _ to: String) -> MetricDefinition? {
            catalog.first { $0.formula == MetricFormula(numerator: to, denominator: from) }
        }
        func layerOf(_ metric: String) -> LayerKey { catalog.first { $0.key == metric }?.layer ?? .traffic }

        func step(_ from: String, _ to: String) -> FunnelStep {
            let rateDefinition = rateMetric(from, to)
            let direction = rateDefinition?.direction ?? (to == "refunds" ? .down : .up)
            let layer = rateDefinition?.layer ?? layerOf(to)
            let n1 = current.count(from), k1 = current.count(to)
            let rate: Double? = n1 > 0 && current.has(to) ? k1 / n1 : nil
            var compareRate: Double?
            var pValue: Double?
            if compare == .baseline {
                if let rateDefinition, let id = metricIdByKey[rateDefinition.key],
                   let kpi = kpis.first(where: { $0.metricId == id && $0.segment == segment }) {
                    compareRate = kpi.baselineValue
                }
            } else if let previous {
                let n2 = previous.count(from), k2 = previous.count(to)
                if n2 > 0 && previous.has(to) {
                    compareRate = k2 / n2
                    if k1 <= n1 && k2 <= n2 { pValue = ProportionTest.pValue(k1: k1, n1: n1, k2: k2, n2: n2) }
                }
            }
            let change = rate.flatMap { r in compareRate.map { r - $0 } }
            let relative = change.flatMap { c in compareRate.flatMap { $0 > 0 ? c / $0 : nil } }
            return FunnelStep(fromMetric: from, toMetric: to, rateMetric: rateDefinition?.key, layer: layer, owner: owners[layer] ?? nil,
                              direction: direction, fromVolume: n1, toVolume: k1, rate: rate, compareRate: compareRate,
                              change: change, relativeChange: relative, pValue: pValue)
        }

        // Stages with data in either window, top to bottom; a missing stage is bridged.
        let present = FunnelDefinition.stages.filter { current.has($0) || previous?.has($0) == true }
        let missing = FunnelDefinition.stages.filter { !present.contains($0) }
        if !missing.isEmpty && !present.isEmpty {
            notes.append("no data for \(missing.joined(separator: ", ")) in this cut: the steps around them are bridged")
        }
        let stages = present.map { FunnelStage(metric: $0, volume: current.count($0), compareVolume: previous?.count($0)) }
        let steps = zip(present, present.dropFirst()).map { step($0, $1) }
        let retention = FunnelDefinition.retentionSteps
            .filter { current.has($0.0) || current.has($0.1) || previous?.has($0.0) == true }
            .map { step($0.0, $0.1) }

        // The bottleneck: the step (acquisition or retention) that worsened most, direction-aware (BottleneckRule).
        var bottleneck: FunnelBottleneck?
        let candidates = steps + retention
        let chosen = BottleneckRule.choose(candidates.enumerated().map {
            BottleneckRule.Candidate(index: $0.offset, relativeChange: $0.element.relativeChange, direction: $0.element.direction, pValue: $0.element.pValue)
        })
        if let chosen {
            let worst = candidates[chosen.index]
            var segments: [BottleneckSegment] = []
            if let compareWindow {
                let bySegment = try MetricSums.bySegment(db, metrics: [worst.fromMetric, worst.toMetric], ranges: [period, compareWindow],
                                                         filter: segment)
                let now = bySegment[0], before = bySegment[1]
                for (concrete, values) in now {
                    let n1 = values[worst.fromMetric] ?? 0, k1 = values[worst.toMetric] ?? 0
                    let n2 = before[concrete]?[worst.fromMetric] ?? 0, k2 = before[concrete]?[worst.toMetric] ?? 0
                    guard n1 >= 30, n2 >= 30 else { continue }
                    let r1 = k1 / n1, r2 = k2 / n2
                    let relative = r2 > 0 ? (r1 - r2) / r2 : nil
                    segments.append(BottleneckSegment(segment: concrete, fromVolume: n1, rate: r1, compareRate: r2, relativeChange: relative))
                }
                segments.sort {
                    let a = ($0.relativeChange ?? 0) * (worst.direction == .up ? 1 : -1)
                    let b = ($1.relativeChange ?? 0) * (worst.direction == .up ? 1 : -1)
                    return a < b
                }
                segments = Array(segments.prefix(5))
            }
            bottleneck = FunnelBottleneck(fromMetric: worst.fromMetric, toMetric: worst.toMetric, rateMetric: worst.rateMetric,
                                          layer: worst.layer, owner: worst.owner, rate: worst.rate, compareRate: worst.compareRate,
                                          change: worst.change, relativeChange: worst.relativeChange, pValue: worst.pValue,
                                          significant: chosen.significant, segments: segments)
        }
        if present.isEmpty { notes.append("no observations in \(period) for \(segment)") }

        var revenue: [FunnelRevenue] = []
        for (currency, amount) in (current.values["revenue"] ?? [:]).sorted(by: { $0.key < $1.key }) {
            revenue.append(FunnelRevenue(currency: currency, revenue: amount, compareRevenue: previous?.values["revenue"]?[currency],
                                         aov: nil))
        }
        if revenue.count == 1, current.count("orders") > 0 {
            revenue[0].aov = revenue[0].revenue / current.count("orders")
        } else if revenue.count > 1 {
            notes.append("revenue is in \(revenue.map(\.currency).joined(separator: ", ")): shown per currency, never summed; AOV needs one currency (cut by market)")
        }
        return FunnelReport(from: period.from, to: period.to, compare: compare, compareFrom: compareWindow?.from, compareTo: compareWindow?.to,
                            segment: segment, stages: stages, steps: steps, retention: retention, bottleneck: bottleneck,
                            revenue: revenue, notes: notes)
    }
}
