import Foundation
import GRDB
import LinkStarCore

/// One stage's volume.
public struct FunnelStage: Codable, Sendable, Equatable, JSONMembers {
    public var metric: String
    public var volume: Double
    public var compareVolume: Double?

    public func encode(to encoder: any Encoder) throws { try encodeMembers(to: encoder) }

    /// The JSON members, keys in ascending order (`JSONMembers`).
    public func writeMembers(to w: inout JSONMemberWriter) throws {
        try w.write("compare_volume", compareVolume)
        try w.write("metric", metric)
        try w.write("volume", volume)
    }
}

/// One step between two stages. Its rate is computed over the cells (segment × day) that reported both stages;
/// its change over the segments observed in both windows (like-for-like).
public struct FunnelStep: Codable, Sendable, Equatable, JSONMembers {
    public var fromMetric: String
    public var toMetric: String
    /// The catalog rate this step is, when there is one (e.g. checkout_to_order_rate).
    public var rateMetric: String?
    public var layer: LayerKey
    public var owner: String?
    public var direction: MetricDirection
    /// Volumes on the matched cells (the rate's denominator and numerator).
    public var fromVolume: Double
    public var toVolume: Double
    /// to_volume / from_volume over the matched cells; nil when the step has a definition problem.
    public var rate: Double?
    /// Share of the from-stage's observed volume on cells that also reported the to-stage.
    public var coverage: Double?
    /// Coverage below the workspace threshold: shown, never chosen as the bottleneck.
    public var partial: Bool
    /// Segments whose from-stage volume was (partly) left out because they did not report the to-stage.
    public var leftOut: [Segment]
    /// A to-stage larger than its from-stage on matched cells: a definition problem, not a rate.
    public var problem: Message?
    /// The current rate over the segments observed in both windows (what `change` compares).
    public var comparableRate: Double?
    /// The compared window's rate over the same segments (or the KPI baseline).
    public var compareRate: Double?
    /// comparable_rate − compare_rate.
    public var change: Double?
    /// change / compare_rate.
    public var relativeChange: Double?
    /// Two-proportion z-test of the two rates (when both are proportions).
    public var pValue: Double?

    public func encode(to encoder: any Encoder) throws { try encodeMembers(to: encoder) }

    /// The JSON members, keys in ascending order (`JSONMembers`).
    public func writeMembers(to w: inout JSONMemberWriter) throws {
        try w.write("change", change)
        try w.write("comparable_rate", comparableRate)
        try w.write("compare_rate", compareRate)
        try w.write("coverage", coverage)
        try w.write("direction", direction)
        try w.write("from_metric", fromMetric)
        try w.write("from_volume", fromVolume)
        try w.write("layer", layer)
        try w.write("left_out", leftOut)
        try w.write("owner", owner)
        try w.write("p_value", pValue)
        try w.write("partial", partial)
        try w.write("problem", problem)
        try w.write("rate", rate)
        try w.write("rate_metric", rateMetric)
        try w.write("relative_change", relativeChange)
        try w.write("to_metric", toMetric)
        try w.write("to_volume", toVolume)
    }
}

/// A segment's share of the bottleneck.
public struct BottleneckSegment: Codable, Sendable, Equatable, JSONMembers {
    public var segment: Segment
    public var fromVolume: Double
    public var rate: Double?
    public var compareRate: Double?
    public var relativeChange: Double?

    public func encode(to encoder: any Encoder) throws { try encodeMembers(to: encoder) }

    /// The JSON members, keys in ascending order (`JSONMembers`).
    public func writeMembers(to w: inout JSONMemberWriter) throws {
        try w.write("compare_rate", compareRate)
        try w.write("from_volume", fromVolume)
        try w.write("rate", rate)
        try w.write("relative_change", relativeChange)
        try w.write("segment", segment)
    }
}

/// The step that worsened most, with the segments where it worsened most.
public struct FunnelBottleneck: Codable, Sendable, Equatable, JSONMembers {
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

    public func encode(to encoder: any Encoder) throws { try encodeMembers(to: encoder) }

    /// The JSON members, keys in ascending order (`JSONMembers`).
    public func writeMembers(to w: inout JSONMemberWriter) throws {
        try w.write("change", change)
        try w.write("compare_rate", compareRate)
        try w.write("from_metric", fromMetric)
        try w.write("layer", layer)
        try w.write("owner", owner)
        try w.write("p_value", pValue)
        try w.write("rate", rate)
        try w.write("rate_metric", rateMetric)
        try w.write("relative_change", relativeChange)
        try w.write("segments", segments)
        try w.write("significant", significant)
        try w.write("to_metric", toMetric)
    }
}

/// Revenue and AOV per currency (never summed across currencies unless converted).
public struct FunnelRevenue: Codable, Sendable, Equatable, JSONMembers {
    public var currency: String
    public var revenue: Double
    public var compareRevenue: Double?
    public var aov: Double?

    public func encode(to encoder: any Encoder) throws { try encodeMembers(to: encoder) }

    /// The JSON members, keys in ascending order (`JSONMembers`).
    public func writeMembers(to w: inout JSONMemberWriter) throws {
        try w.write("aov", aov)
        try w.write("compare_revenue", compareRevenue)
        try w.write("currency", currency)
        try w.write("revenue", revenue)
    }
}

/// `linkstar funnel`: stages, steps, comparison and the bottleneck.
public struct FunnelReport: Codable, Sendable, Equatable, JSONMembers {
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
    /// Revenue converted into the reporting currency at each day's rate, when rates cover the window.
    public var revenueTotal: FunnelRevenue?
    /// The coverage below which a step is partial.
    public var coverageThreshold: Double
    /// Segments observed in this window but not in the compared one, and the reverse: left out of every change.
    public var newSegments: [Segment]
    public var goneSegments: [Segment]
    public var notes: [Message]

    /// The steps of the main chain (sessions → … → orders), in order: what charts and messages show as the funnel.
    public var mainChainSteps: [FunnelStep] { steps.filter { FunnelDefinition.chains.last!.contains($0.fromMetric) } }

    public func encode(to encoder: any Encoder) throws { try encodeMembers(to: encoder) }

    /// The JSON members, keys in ascending order (`JSONMembers`).
    public func writeMembers(to w: inout JSONMemberWriter) throws {
        try w.write("bottleneck", bottleneck)
        try w.write("compare", compare)
        try w.write("compare_from", compareFrom)
        try w.write("compare_to", compareTo)
        try w.write("coverage_threshold", coverageThreshold)
        try w.write("from", from)
        try w.write("gone_segments", goneSegments)
        try w.write("new_segments", newSegments)
        try w.write("notes", notes)
        try w.write("retention", retention)
        try w.write("revenue", revenue)
        try w.write("revenue_total", revenueTotal)
        try w.write("segment", segment)
        try w.write("stages", stages)
        try w.write("steps", steps)
        try w.write("to", to)
    }
}

extension WorkspaceDatabase {
    /// The funnel for a period and segment cut, compared with the previous period, the KPI baselines, or last year.
    public func funnel(period: DayRange, segment: Segment = .all, compare: Comparison = .previous) async throws -> FunnelReport {
        try readHere { db in try self.funnel(db, period: period, segment: segment, compare: compare) }
    }

    func funnel(_ db: Database, period: DayRange, segment: Segment, compare: Comparison) throws -> FunnelReport {
        let compareWindow = compare.window(for: period)
        let span = compareWindow.map { window in
            (try? DayRange(from: min(window.from, period.from), to: max(window.to, period.to))) ?? period
        } ?? period
        let passes = try cellPasses(db, metrics: FunnelDefinition.metrics + ["revenue"], range: span, filter: segment)
        let table = passes.table
        let threshold = try coverageThreshold(db)
        let reference = try reference(db)
        let catalog = reference.definitions
        var owners: [LayerKey: String] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT l.key, p.handle FROM layer l JOIN person p ON p.id = l.owner_id")) {
            if let key = LayerKey(rawValue: row[0]) { owners[key] = row[1] }
        }
        // The KPI baselines only when the comparison is with them.
        let kpis = compare == .baseline ? try KPIRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM kpi WHERE retired_at IS NULL")) : []
        var notes: [Message] = []

        // Each stage's volume per window: one pass over the cells per window.
        let periodSums = passes.sums(in: period)
        let compareSums = compareWindow.map { passes.sums(in: $0) }
        /// The metric's volume in the period, or in the compared window.
        func observed(_ metric: String, compared: Bool = false) -> Double? {
            guard let m = table.index(of: metric) else { return nil }
            return compared ? compareSums?[m] ?? nil : periodSums[m]
        }
        func rateMetric(_ from: String, _ to: String) -> MetricDefinition? {
            reference.definitionsByFormula[MetricFormula(numerator: to, denominator: from)]
        }

        var perSegment: [String: (now: [StepTotals], before: [StepTotals], common: [Bool])] = [:]
        // Segment positions in segment order, kept by the table: a sorted subset is then a filter of it (segments are
        // distinct), and a rank compares two segments without comparing their texts.
        let segmentsInOrder = table.segmentsInOrder
        var segmentRank = [Int](repeating: 0, count: segmentsInOrder.count)
        for (rank, position) in segmentsInOrder.enumerated() { segmentRank[position] = rank }
        func step(_ from: String, _ to: String, isStage: Bool) -> FunnelStep {
            let rateDefinition = rateMetric(from, to)
            let direction = rateDefinition?.direction ?? (to == "refunds" ? .down : .up)
            let layer = rateDefinition?.layer ?? catalog[to]?.layer ?? .traffic
            let fromIndex = table.index(of: from)!, toIndex = table.index(of: to)!
            let now = passes.stepTotals(from: fromIndex, to: toIndex, in: period)
            let total = LikeForLike.combine(now)
            let n1 = total.from, k1 = total.to
            let observedFrom = total.fromObserved
            let coverage: Double? = observedFrom > 0 ? n1 / observedFrom : nil
            let leftOut = segmentsInOrder.filter { now[$0].fromObserved > now[$0].from }.map { table.segments[$0] }
            var rate: Double? = n1 > 0 ? k1 / n1 : nil
            var problem: Message?
            if isStage, let r = rate, r > 1 {
                problem = "\(metric: to) exceeds \(metric: from) on the cells that report both (\(FixedPoint.text(r * 100, decimals: 1))%): a definition problem, not a rate; see data check"
                rate = nil
            }
            var step = FunnelStep(fromMetric: from, toMetric: to, rateMetric: rateDefinition?.key, layer: layer, owner: owners[layer],
                                  direction: direction, fromVolume: n1, toVolume: k1, rate: rate, coverage: coverage,
                                  partial: LikeForLike.isPartial(coverage: coverage, threshold: threshold), leftOut: leftOut,
                                  problem: problem, comparableRate: nil, compareRate: nil, change: nil, relativeChange: nil, pValue: nil)
            if compare == .baseline {
                if let rateDefinition, let id = reference.metricIds[rateDefinition.key],
                   let kpi = kpis.first(where: { $0.metricId == id && $0.segment == segment }) {
                    step.compareRate = kpi.baselineValue
                    step.comparableRate = rate
                }
            } else if let compareWindow {
                let before = passes.stepTotals(from: fromIndex, to: toIndex, in: compareWindow)
                let common = now.indices.map { now[$0].matchedCells > 0 && before[$0].matchedCells > 0 }
                perSegment["\(from)>\(to)"] = (now, before, common)
                let a = LikeForLike.combine(now, included: common), b = LikeForLike.combine(before, included: common)
                let n = a.from, k = a.to, n2 = b.from, k2 = b.to
                if n > 0, n2 > 0, problem == nil {
                    step.comparableRate = k / n
                    step.compareRate = k2 / n2
                    if k <= n && k2 <= n2 { step.pValue = ProportionTest.pValue(k1: k, n1: n, k2: k2, n2: n2) }
                }
            }
            if let r = step.comparableRate, let c = step.compareRate {
                step.change = r - c
                step.relativeChange = c > 0 ? (r - c) / c : nil
            }
            return step
        }

        // Stages with data in either window, top to bottom, chain by chain; a stage missing in the cut is bridged.
        func seen(_ metric: String) -> Bool {
            observed(metric) != nil || observed(metric, compared: true) != nil
        }
        let present = FunnelDefinition.stages.filter(seen)
        let missing = FunnelDefinition.stages.filter { !present.contains($0) }
        if !missing.isEmpty && !present.isEmpty {
            notes.append("no data for \(Message.joined(missing.map { "\(metric: $0)" }, separator: ", ")) in this cut: the steps around them are bridged")
        }
        let stages = present.map { metric in
            FunnelStage(metric: metric, volume: observed(metric) ?? 0, compareVolume: observed(metric, compared: true))
        }
        var steps: [FunnelStep] = []
        for chain in FunnelDefinition.chains {
            let inChain = chain.filter { present.contains($0) }
            steps += zip(inChain, inChain.dropFirst()).map { step($0, $1, isStage: true) }
        }
        let retention = FunnelDefinition.retentionSteps
            .filter { seen($0.0) || observed($0.1) != nil }
            .map { step($0.0, $0.1, isStage: false) }

        // The bottleneck: the step that worsened most on like-for-like segments, never a partial step or one with a problem.
        var bottleneck: FunnelBottleneck?
        let candidates = steps + retention
        let chosen = BottleneckRule.choose(candidates.enumerated().map {
            BottleneckRule.Candidate(index: $0.offset, relativeChange: $0.element.relativeChange, direction: $0.element.direction,
                                     pValue: $0.element.pValue, eligible: !$0.element.partial && $0.element.problem == nil)
        })
        if let chosen {
            let worst = candidates[chosen.index]
            var segments: [BottleneckSegment] = []
            if let split = perSegment["\(worst.fromMetric)>\(worst.toMetric)"] {
                var ranked: [(rank: Int, segment: BottleneckSegment)] = []
                for index in split.common.indices where split.common[index] {
                    let a = split.now[index], b = split.before[index]
                    let n1 = a.from, k1 = a.to, n2 = b.from, k2 = b.to
                    guard n1 >= 30, n2 >= 30 else { continue }
                    let r1 = k1 / n1, r2 = k2 / n2
                    ranked.append((segmentRank[index], BottleneckSegment(segment: table.segments[index], fromVolume: n1, rate: r1, compareRate: r2,
                                                                         relativeChange: r2 > 0 ? (r1 - r2) / r2 : nil)))
                }
                // Worst first; ties in segment order (by rank: the same order, without comparing texts).
                let sign: Double = worst.direction == .up ? 1 : -1
                ranked.sort { (($0.segment.relativeChange ?? 0) * sign, $0.rank) < (($1.segment.relativeChange ?? 0) * sign, $1.rank) }
                segments = ranked.prefix(5).map(\.segment)
            }
            bottleneck = FunnelBottleneck(fromMetric: worst.fromMetric, toMetric: worst.toMetric, rateMetric: worst.rateMetric,
                                          layer: worst.layer, owner: worst.owner, rate: worst.comparableRate ?? worst.rate,
                                          compareRate: worst.compareRate, change: worst.change, relativeChange: worst.relativeChange,
                                          pValue: worst.pValue, significant: chosen.significant, segments: segments)
        }
        if present.isEmpty { notes.append("no observations in \(period) for \(segment)") }
        for step in candidates where step.partial && step.coverage != nil && step.problem == nil {
            let share = step.coverage.map { FixedPoint.text($0 * 100, decimals: 0) + "%" } ?? "none"
            let partial: Message = "\(metric: step.fromMetric) → \(metric: step.toMetric) is partial: \(share) of \(metric: step.fromMetric) is on cells that also report \(metric: step.toMetric)"
            notes.append(step.leftOut.isEmpty ? partial
                         : "\(partial) (left out: \(step.leftOut.prefix(5).map(\.description).joined(separator: ", "))\(step.leftOut.count > 5 ? ", …" : ""))")
        }
        for step in candidates { if let problem = step.problem { notes.append("\(metric: step.fromMetric) → \(metric: step.toMetric): \(problem)") } }

        var newSegments: [Segment] = [], goneSegments: [Segment] = []
        if let compareWindow, compare != .baseline {
            let stageIndexes = FunnelDefinition.stages.compactMap { table.index(of: $0) }
            let now = passes.segmentsReporting(stageIndexes, in: period), before = passes.segmentsReporting(stageIndexes, in: compareWindow)
            newSegments = segmentsInOrder.filter { now[$0] && !before[$0] }.map { table.segments[$0] }
            goneSegments = segmentsInOrder.filter { before[$0] && !now[$0] }.map { table.segments[$0] }
            if !newSegments.isEmpty || !goneSegments.isEmpty {
                let parts: [Message] = [newSegments.isEmpty ? nil : "new: \(newSegments.prefix(5).map(\.description).joined(separator: ", "))",
                                        goneSegments.isEmpty ? nil : "gone: \(goneSegments.prefix(5).map(\.description).joined(separator: ", "))"]
                    .compactMap { $0 }
                notes.append("changes compare the segments observed in both windows; \(Message.joined(parts, separator: "; "))")
            }
        }

        // Revenue per currency; a reporting-currency total at each day's rate when rates cover the window.
        var revenue: [FunnelRevenue] = []
        var revenueTotal: FunnelRevenue?
        // No revenue observed in the period: no currency to list, so nothing to add up (in either window).
        if let r = table.index(of: "revenue"), observed("revenue") != nil, let revenueMetric = catalog["revenue"] {
            let rates = try exchangeRates(db)
            let revenueFormula = CellFormula(numerator: r, denominator: nil)
            let now = LikeForLike.combine(LikeForLike.totalsBySegment(table, formula: revenueFormula, window: period, rates: rates))
            let before = compareWindow.map { LikeForLike.combine(LikeForLike.totalsBySegment(table, formula: revenueFormula, window: $0, rates: rates)) }
            for (currency, amount) in now.numerator.byCurrency.sorted(by: { $0.key < $1.key }) {
                revenue.append(FunnelRevenue(currency: currency, revenue: amount, compareRevenue: before?.numerator.byCurrency[currency], aov: nil))
            }
            if let aovMetric = catalog["aov"], let aovFormula = CellFormula(aovMetric, in: table), revenue.count == 1 {
                let aov = LikeForLike.value(of: LikeForLike.combine(LikeForLike.totalsBySegment(table, formula: aovFormula, window: period, rates: rates)),
                                            metric: aovMetric, rates: rates)
                revenue[0].aov = aov.value
            }
            if revenue.count > 1 {
                switch now.numerator.resolved(rates: rates, convert: true) {
                case .success(let total):
                    var compareTotal: Double?
                    if let before, case .success(let t) = before.numerator.resolved(rates: rates, convert: true) { compareTotal = t.value }
                    revenueTotal = FunnelRevenue(currency: total.currency ?? "", revenue: total.value, compareRevenue: compareTotal, aov: nil)
                case .failure(let problem):
                    notes.append("\(problem.message(metric: revenueMetric.key)); shown per currency, never summed")
                }
            }
        }
        return FunnelReport(from: period.from, to: period.to, compare: compare, compareFrom: compareWindow?.from, compareTo: compareWindow?.to,
                            segment: segment, stages: stages, steps: steps, retention: retention, bottleneck: bottleneck,
                            revenue: revenue, revenueTotal: revenueTotal, coverageThreshold: threshold, newSegments: newSegments,
                            goneSegments: goneSegments, notes: notes)
    }
}
