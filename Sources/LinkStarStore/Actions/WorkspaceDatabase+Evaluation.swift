import Foundation
import GRDB
import LinkStarCore

/// One window of a metric in a segment: summed counts (for rates) and daily values (for means).
struct WindowMeasurement {
    var summary: WindowSummary
    var k: Double
    var n: Double
    var daily: [Double]
}

extension WorkspaceDatabase {
    /// Evaluates an action in `measuring` (or re-evaluates an evaluated one) and stores the result:
    /// A/B counts when recorded, else before/after from observations, with a control segment by
    /// difference-in-differences. Refuses (writing nothing) when a window has no data.
    public func evaluateAction(id: Int64, actor: String) async throws -> ActionEvaluation {
        try await writer.write { db in
            var record = try self.actionRecord(id, db)
            guard [.measuring, .evaluated].contains(record.statusValue) else {
                let steps = record.statusValue.allowedSteps
                let state: Message = "cannot evaluate #\(id): it is \(record.statusValue)"
                throw LinkStarError(.conflict, steps.isEmpty ? "\(state); it has ended" : "\(state); allowed: \(steps.joined(separator: "; "))",
                                    details: [.init(field: "status", message: "is \(record.statusValue)")])
            }
            let before = try self.actionView(record, db)
            var evaluation = try self.measureAction(record, db, purpose: .evaluation, actor: actor)
            evaluation.evaluatedAt = self.clock()
            var stored = ActionEvaluationRecord(
                actionId: id, purpose: EvaluationPurpose.evaluation.rawValue, checkpointDays: nil, method: evaluation.method, verdict: evaluation.verdict.rawValue,
                decayed: nil, resultJson: String(decoding: try LinkStarJSON.encoder(pretty: false).encode(evaluation), as: UTF8.self),
                evaluatedBy: actor, evaluatedAt: self.nowText())
            try stored.insert(db)
            record.verdict = evaluation.verdict.rawValue
            record.status = ActionStatus.evaluated.rawValue
            record.updatedAt = self.nowText()
            try record.update(db)
            try self.audit(db, actor: actor, action: "action.evaluate", entity: "action", entityId: String(id),
                           before: StatusSnapshot(before), after: StatusSnapshot(try self.actionView(record, db)))
            return evaluation
        }
    }

    /// Runs the follow-up checkpoints that are due by `today` and not yet measured: the KPI is measured
    /// again against the original before window, and decay is flagged when half or more of the
    /// original effect is gone or it is no longer significant.
    public func followUpAction(id: Int64, today: Day, actor: String) async throws -> [ActionEvaluation] {
        try await writer.write { db in
            let record = try self.actionRecord(id, db)
            let checkpoints = try ActionFollowupRecord.filter(Column("action_id") == id).order(Column("offset_days")).fetchAll(db)
            if checkpoints.isEmpty {
                throw LinkStarError(.conflict, "#\(id) has no follow-up checkpoints: only won actions that were not rolled back get them",
                                    details: [.init(field: "id", message: "no checkpoints")])
            }
            guard let original = try ActionEvaluationRecord.filter(Column("action_id") == id && Column("purpose") == EvaluationPurpose.evaluation.rawValue)
                .order(Column("id").desc).fetchOne(db),
                  let originalResult = try? LinkStarJSON.decoder().decode(ActionEvaluation.self, from: Data(original.resultJson.utf8)) else {
                throw LinkStarError(.conflict, "#\(id) has no evaluation to follow up")
            }
            var results: [ActionEvaluation] = []
            for var checkpoint in checkpoints where checkpoint.evaluationId == nil && checkpoint.dueOn <= today.ordinal {
                var evaluation = try self.measureAction(record, db, purpose: .followup, actor: actor, checkpoint: checkpoint)
                let decayed = DecayRule.decayed(originalEstimate: originalResult.estimate, currentEstimate: evaluation.estimate,
                                                currentPValue: evaluation.pValue, alpha: record.alpha)
                evaluation.originalEstimate = originalResult.estimate
                evaluation.decayed = decayed
                evaluation.evaluatedAt = self.clock()
                if decayed {
                    let decay: Message = "decay: the effect at +\(checkpoint.offsetDays) days is \(Self.describe(evaluation.estimate)) against \(Self.describe(originalResult.estimate)) at evaluation"
                    evaluation.warnings.append(evaluation.pValue >= record.alpha ? "\(decay) and no longer significant" : decay)
                }
                var stored = ActionEvaluationRecord(
                    actionId: id, purpose: EvaluationPurpose.followup.rawValue, checkpointDays: checkpoint.offsetDays, method: evaluation.method,
                    verdict: evaluation.verdict.rawValue, decayed: decayed,
                    resultJson: String(decoding: try LinkStarJSON.encoder(pretty: false).encode(evaluation), as: UTF8.self),
                    evaluatedBy: actor, evaluatedAt: self.nowText())
                try stored.insert(db)
                checkpoint.evaluationId = stored.id
                try checkpoint.update(db)
                try self.audit(db, actor: actor, action: "action.followup", entity: "action", entityId: String(id), before: ActionEvaluation?.none,
                               after: ["checkpoint_days": String(checkpoint.offsetDays), "verdict": evaluation.verdict.rawValue,
                                       "decayed": String(decayed)])
                results.append(evaluation)
            }
            return results
        }
    }

    static func describe(_ value: Double) -> String { String(format: "%+.4g", value) }

    /// Measures an action: A/B when variants are recorded (evaluation only), else observations.
    func measureAction(_ record: ActionRecord, _ db: Database, purpose: EvaluationPurpose, actor: String,
                       checkpoint: ActionFollowupRecord? = nil) throws -> ActionEvaluation {
        let metricRecord = try MetricRecord.fetchOne(db, key: record.metricId)!
        let metric = metricRecord.domain
        let variants = try self.variants(record.id!, db)
        var warnings: [Message] = []
        guard let started = record.startedOn, let stopped = record.stoppedOn else {
            throw LinkStarError(.conflict, "#\(record.id!) has no start and stop days")
        }
        let run = try DayRange(from: Day(ordinal: started), to: Day(ordinal: stopped))

        if purpose == .evaluation && variants.count >= 2 {
            guard let control = variants.first(where: { $0.variant == "control" }) else {
                throw LinkStarError.invalidField("variant", "an A/B evaluation needs a variant named control (recorded: \(variants.map(\.variant).joined(separator: ", ")))")
            }
            let others = variants.filter { $0.variant != "control" }
            let primary = others.first { $0.variant == "treatment" } ?? others[0]
            var comparisons: [VariantComparison] = []
            for variant in others {
                guard let result = HypothesisTests.twoProportion(k1: Double(control.conversions), n1: Double(control.exposures),
                                                                 k2: Double(variant.conversions), n2: Double(variant.exposures)) else { continue }
                comparisons.append(VariantComparison(variant: variant.variant, estimate: result.estimate, relativeChange: result.relativeChange,
                                                     ciLow: result.ciLow, ciHigh: result.ciHigh, pValue: result.pValue))
            }
            guard let result = HypothesisTests.twoProportion(k1: Double(control.conversions), n1: Double(control.exposures),
                                                             k2: Double(primary.conversions), n2: Double(primary.exposures)) else {
                throw LinkStarError(.invalid, "the variant counts give no test (no conversions in either variant?)")
            }
            if others.count > 1 { warnings.append("\(others.count) variants against control: the primary comparison is \(primary.variant); consider a stricter alpha for multiple comparisons") }
            let planned = record.plannedSplitJson.flatMap { try? JSONDecoder().decode([String: Double].self, from: Data($0.utf8)) }
                ?? Dictionary(uniqueKeysWithValues: variants.map { ($0.variant, 1.0 / Double(variants.count)) })
            var srm: SRMCheck?
            if variants.allSatisfy({ planned[$0.variant] != nil }),
               let test = HypothesisTests.sampleRatioMismatch(observed: variants.map { Double($0.exposures) },
                                                               plannedShares: variants.map { planned[$0.variant]! }) {
                let mismatch = ActionRules.isSampleRatioMismatch(pValue: test.pValue)
                srm = SRMCheck(plannedSplit: planned, statistic: test.statistic, pValue: test.pValue, mismatch: mismatch)
                if mismatch {
                    warnings.append("sample ratio mismatch: exposures do not match the planned split (chi-square p = \(String(format: "%.2g", test.pValue))); the assignment may be broken and the result untrustworthy")
                }
            } else {
                warnings.append("the planned split does not name every variant: sample ratio not checked")
            }
            if variants.contains(where: { $0.conversions < ActionRules.minimumConversions }) {
                warnings.append("too little data: fewer than 30 conversions in a variant")
            }
            if run.dayCount < ActionRules.minimumDays { warnings.append("too little data: the test ran \(run.dayCount) days (fewer than 7: weekday effects)") }
            let confounded = try self.confounders(record, windows: [run], db)
            warnings += confounded.map { "confounded_by: \($0)" as Message }
            let verdict = Verdict.judge(estimate: result.estimate, pValue: result.pValue, alpha: record.alpha, direction: metric.direction)
            return ActionEvaluation(
                actionId: record.id!, purpose: purpose, checkpointDays: nil, method: "ab-test", metric: metric.key, segment: record.segment,
                controlSegment: nil, before: nil, after: nil, controlBefore: nil, controlAfter: nil, variants: variants,
                comparisons: comparisons, estimate: result.estimate, relativeChange: result.relativeChange, ciLow: result.ciLow,
                ciHigh: result.ciHigh, pValue: result.pValue, statistic: result.statistic, degreesOfFreedom: nil, alpha: record.alpha,
                verdict: verdict, naiveEstimate: nil, naivePValue: nil, naiveVerdict: nil, srm: srm, warnings: warnings,
                confoundedBy: confounded, originalEstimate: nil, decayed: nil, evaluatedBy: actor, evaluatedAt: clock())
        }

        // Observational: after = start (+ ramp-up) … stop, or the checkpoint window; before = the same length right before start.
        let afterStart = started + record.rampUpDays
        guard afterStart <= stopped else {
            throw LinkStarError.invalidField("ramp-up", "the \(record.rampUpDays)-day ramp-up leaves no after window between \(run.from) and \(run.to)")
        }
        var after = try DayRange(from: Day(ordinal: afterStart), to: Day(ordinal: stopped))
        if let checkpoint {
            let end = stopped + checkpoint.offsetDays
            after = try DayRange(from: Day(ordinal: end - after.dayCount + 1), to: Day(ordinal: end))
        }
        let length = try DayRange(from: Day(ordinal: afterStart), to: Day(ordinal: stopped)).dayCount
        let beforeWindow: DayRange
        if let from = record.beforeFrom, let to = record.beforeTo {
            beforeWindow = try DayRange(from: Day(ordinal: from), to: Day(ordinal: to))
        } else {
            beforeWindow = try DayRange(from: Day(ordinal: started - length), to: Day(ordinal: started - 1))
        }
        let proportion = metric.formula != nil && metric.upperBound == 1
        let rates = try exchangeRates(db)
        func check(_ m: WindowMeasurement, _ segment: Segment, _ window: DayRange, _ label: String) throws {
            if m.summary.daysWithData == 0 {
                throw LinkStarError(.invalid, "no \(metric: metric.key) data for \(segment) in the \(Message.term(label)) window \(window); import it first (nothing was written)",
                                    details: [.init(field: label, message: "no data in \(window)")])
            }
            if m.summary.daysWithData < 7 {
                warnings.append(m.summary.daysWithData == 1 ? "too little data: the \(Message.term(label)) window has 1 day with data (fewer than 7)"
                                : "too little data: the \(Message.term(label)) window has \(m.summary.daysWithData) days with data (fewer than 7)")
            }
            if proportion && m.k < 30 { warnings.append("too little data: \(Int(m.k)) conversions in the \(Message.term(label)) window (fewer than 30)") }
        }
        // Like for like: both windows over the segments observed in both, on the days every one of them reported.
        func measurePair(_ segment: Segment, _ label: String) throws -> (WindowMeasurement, WindowMeasurement) {
            let pair = try self.measureWindows(db, metric: metric, segment: segment, before: beforeWindow, after: after, rates: rates)
            let prefix: Message = label.isEmpty ? Message(verbatim: "") : Message(template: "{0} ", arguments: [.message(.term(label))])
            if !pair.leftOut.isEmpty {
                let segments = pair.leftOut.map(\.description).joined(separator: ", ")
                warnings.append(pair.leftOut.count == 1 ? "like for like: \(segments) reported in only one \(prefix)window and was left out"
                                : "like for like: \(segments) reported in only one \(prefix)window and were left out")
            }
            if pair.incompleteDays > 0 {
                let what: Message = metric.formula == nil ? "\(metric: metric.key)" : "every part of \(metric: metric.key)"
                warnings.append(pair.incompleteDays == 1 ? "like for like: 1 \(prefix)day left out because not every segment reported \(what)"
                                : "like for like: \(pair.incompleteDays) \(prefix)days left out because not every segment reported \(what)")
            }
            try check(pair.before, segment, beforeWindow, label.isEmpty ? "before" : "\(label) before")
            try check(pair.after, segment, after, label.isEmpty ? "after" : "\(label) after")
            return (pair.before, pair.after)
        }
        let (treatmentBefore, treatmentAfter) = try measurePair(record.segment, "")
        func simple(_ b: WindowMeasurement, _ a: WindowMeasurement) -> Comparison95? {
            proportion ? HypothesisTests.twoProportion(k1: b.k, n1: b.n, k2: a.k, n2: a.n) : HypothesisTests.welch(before: b.daily, after: a.daily)
        }
        guard let naive = simple(treatmentBefore, treatmentAfter) else {
            throw LinkStarError(.invalid, "the windows give no test (no variation, or fewer than 2 days in a window)")
        }
        var result = naive
        var method = proportion ? "before-after-proportion" : "before-after-welch"
        var controlBefore: WindowMeasurement?, controlAfter: WindowMeasurement?
        if let control = record.controlSegment {
            let (cb, ca) = try measurePair(control, "control")
            controlBefore = cb
            controlAfter = ca
            let did = proportion
                ? HypothesisTests.diffInDiffProportions(treatmentBefore: (treatmentBefore.k, treatmentBefore.n), treatmentAfter: (treatmentAfter.k, treatmentAfter.n),
                                                        controlBefore: (cb.k, cb.n), controlAfter: (ca.k, ca.n))
                : HypothesisTests.diffInDiffMeans(treatmentBefore: treatmentBefore.daily, treatmentAfter: treatmentAfter.daily,
                                                  controlBefore: cb.daily, controlAfter: ca.daily)
            guard let did else { throw LinkStarError(.invalid, "the control windows give no test") }
            result = did
            method = proportion ? "diff-in-diff-proportion" : "diff-in-diff-welch"
        }
        let confounded = try self.confounders(record, windows: [beforeWindow, after], db)
        warnings += confounded.map { "confounded_by: \($0)" as Message }
        let verdict = Verdict.judge(estimate: result.estimate, pValue: result.pValue, alpha: record.alpha, direction: metric.direction)
        let naiveVerdict = Verdict.judge(estimate: naive.estimate, pValue: naive.pValue, alpha: record.alpha, direction: metric.direction)
        if record.controlSegment != nil && naiveVerdict != verdict {
            warnings.append("a naive before/after would say \(naiveVerdict); the control segment moved too, so the difference-in-differences says \(verdict)")
        }
        return ActionEvaluation(
            actionId: record.id!, purpose: purpose, checkpointDays: checkpoint?.offsetDays, method: method, metric: metric.key,
            segment: record.segment, controlSegment: record.controlSegment, before: treatmentBefore.summary, after: treatmentAfter.summary,
            controlBefore: controlBefore?.summary, controlAfter: controlAfter?.summary, variants: nil, comparisons: nil,
            estimate: result.estimate, relativeChange: result.relativeChange, ciLow: result.ciLow, ciHigh: result.ciHigh,
            pValue: result.pValue, statistic: result.statistic, degreesOfFreedom: result.degreesOfFreedom, alpha: record.alpha,
            verdict: verdict, naiveEstimate: record.controlSegment != nil ? naive.estimate : nil,
            naivePValue: record.controlSegment != nil ? naive.pValue : nil, naiveVerdict: record.controlSegment != nil ? naiveVerdict : nil,
            srm: nil, warnings: warnings, confoundedBy: confounded, originalEstimate: nil, decayed: nil, evaluatedBy: actor,
            evaluatedAt: clock())
    }

    /// Events overlapping any window in a segment that overlaps the action's (or its control's).
    func confounders(_ record: ActionRecord, windows: [DayRange], _ db: Database) throws -> [Message] {
        let segments = [record.segment] + (record.controlSegment.map { [$0] } ?? [])
        return try EventRecord.filter(Column("deleted_at") == nil).order(Column("from_day")).fetchAll(db).filter { event in
            windows.contains { $0.from.ordinal <= event.toDay && $0.to.ordinal >= event.fromDay }
                && segments.contains { $0.overlaps(event.segment) }
        }.map { Self.eventView($0).label }
    }

    /// Per-day values of a metric in a segment cut over a before and an after window, like for like: only the segments
    /// with matched cells in both windows, and only the days on which every one of them has a matched cell (rates and
    /// totals from the same cells; money converted at each day's rate when currencies differ).
    func measureWindows(_ db: Database, metric: MetricDefinition, segment: Segment, before: DayRange, after: DayRange,
                        rates: ExchangeRates) throws -> (before: WindowMeasurement, after: WindowMeasurement, leftOut: [Segment], incompleteDays: Int) {
        let parts = metric.formula?.parts ?? [metric.key]
        let span = try DayRange(from: min(before.from, after.from), to: max(before.to, after.to))
        let table = try cells(db, metrics: parts, range: span, filter: segment)
        func empty(_ window: DayRange) -> WindowMeasurement {
            WindowMeasurement(summary: WindowSummary(from: window.from, to: window.to, days: window.dayCount, daysWithData: 0,
                                                     numerator: nil, denominator: nil, value: nil), k: 0, n: 0, daily: [])
        }
        guard let formula = CellFormula(metric, in: table) else { return (empty(before), empty(after), [], 0) }
        let beforeSegments = LikeForLike.matchedSegments(LikeForLike.totalsBySegment(table, formula: formula, window: before, rates: rates))
        let afterSegments = LikeForLike.matchedSegments(LikeForLike.totalsBySegment(table, formula: formula, window: after, rates: rates))
        let common = beforeSegments.intersection(afterSegments)
        let leftOut = beforeSegments.symmetricDifference(afterSegments).map { table.segments[$0] }.sorted()
        var incomplete = 0
        func measure(_ window: DayRange) throws -> WindowMeasurement {
            var byDay: [Int: MatchedTotals] = [:]
            var reported: [Int: Int] = [:]
            for cell in table.cells where cell.day >= window.from.ordinal && cell.day <= window.to.ordinal && common.contains(cell.segment)
                && formula.parts.allSatisfy({ table.isObserved(cell, $0) }) {
                byDay[cell.day, default: MatchedTotals()].add(cell, of: table, formula: formula, rates: rates)
                reported[cell.day, default: 0] += 1
            }
            var k = 0.0, n = 0.0
            var daily: [Double] = []
            var currencies: Set<String> = []
            for day in byDay.keys.sorted() {
                guard reported[day] == common.count else { incomplete += 1; continue }
                let value = LikeForLike.value(of: byDay[day]!, metric: metric, rates: rates)
                if let problem = value.problem, value.value == nil {
                    throw LinkStarError(.invalid, "\(problem) (\(segment), \(Day(ordinal: day)))", details: [.init(field: "segment", message: problem)])
                }
                guard let v = value.value else { continue }
                if let currency = value.currency { currencies.insert(currency) }
                k += value.top ?? v
                n += value.bottom ?? 0
                daily.append(v)
            }
            if currencies.count > 1 {
                throw LinkStarError(.invalid, "\(metric: metric.key) is in \(currencies.sorted().joined(separator: ", ")) in \(segment): set exchange rates (fx) or evaluate one market at a time",
                                    details: [.init(field: "segment", message: "mixed currencies")])
            }
            let isRate = metric.formula != nil
            let value: Double? = daily.isEmpty ? nil : (isRate ? (n > 0 ? k / n : nil) : daily.reduce(0, +) / Double(daily.count))
            return WindowMeasurement(
                summary: WindowSummary(from: window.from, to: window.to, days: window.dayCount, daysWithData: daily.count,
                                       numerator: isRate ? k : nil, denominator: isRate ? n : nil, value: value),
                k: k, n: n, daily: daily)
        }
        return (try measure(before), try measure(after), leftOut, incomplete)
    }
}
