import Foundation
import LinkStarCore

/// A cell table and the passes a report makes over its windows (stage sums, step totals per segment, segments
/// reporting stages). For a kept table (`CellTableCache`), each pass is computed once per version of the window's
/// days and then reused: a write on one day leaves the results of every window without that day as they were (after a
/// write in the period, the compared window's). The results are those of the same Core functions on the same cells, so
/// a reused result is the one a fresh computation gives, to the last bit.
struct WindowPasses {
    let table: CellTable
    /// The kept table's memo; nil: every pass is computed.
    private let memo: WindowPassMemo?
    /// The table's days and their versions, in day order (with `memo`).
    private let days: [CellTableCache.DayVersion]

    /// A table that is not kept: every pass is computed.
    init(table: CellTable) {
        self.table = table
        memo = nil
        days = []
    }

    /// A kept entry's table with its memo, or (`kept` false: read inside a write transaction) without it.
    init(_ entry: CellTableCache.Entry, kept: Bool) {
        table = entry.table
        memo = kept ? entry.passes : nil
        days = entry.days
    }

    /// Each metric's total over the window (`CellTable.sum(ofMetric:in:)`), kept metric by metric: a write to one
    /// metric leaves the others' sums as they were.
    func sums(in window: DayRange) -> [Double?] {
        guard memo != nil else { return table.sums(in: window) }
        return table.metrics.indices.map { m in memoized(.sum(m), window) { table.sum(ofMetric: m, in: window) } }
    }

    /// The step's totals per segment position (`LikeForLike.stepTotalsBySegment`).
    func stepTotals(from: Int, to: Int, in window: DayRange) -> [StepTotals] {
        memoized(.steps(from: from, to: to), window) { LikeForLike.stepTotalsBySegment(table, from: from, to: to, window: window) }
    }

    /// Per segment position, whether it reports any of `metrics` in the window (`CellTable.segmentsReporting`).
    func segmentsReporting(_ metrics: [Int], in window: DayRange) -> [Bool] {
        memoized(.reporting(metrics), window) { table.segmentsReporting(metrics, in: window) }
    }

    /// The pass's result over `window`: kept for the versions of its days, or computed (and kept, for a kept table).
    /// `compute` is not escaping: nothing is copied or allocated per look.
    private func memoized<T: Sendable>(_ pass: WindowPassMemo.Pass, _ window: DayRange, _ compute: () -> T) -> T {
        guard let memo else { return compute() }
        // The window's days with cells and their versions: a binary search for the first, then the run inside.
        let low = CellTableCache.DayVersion.firstPosition(in: days, atOrAfter: window.from.ordinal)
        var end = low
        while end < days.count && days[end].day <= window.to.ordinal { end += 1 }
        return memo.result(pass, from: window.from.ordinal, to: window.to.ordinal, versions: days[low..<end], compute: compute)
    }
}

/// What `WindowPasses` computed over one kept table's windows, by window and pass, valid while the window's days keep the
/// versions they had (migration 0014: every write of a day's cells gives it a new version, never used again for
/// other cells). Shared by the readers of the table's entry; bounded.
final class WindowPassMemo: @unchecked Sendable {
    enum Pass: Hashable {
        case sum(Int)
        case steps(from: Int, to: Int)
        case reporting([Int])

        /// True when the pass reads what changed: sums and steps read the values (and whether each cell reports
        /// them); which segments report a metric reads only the latter.
        func reads(_ changed: Changed) -> Bool {
            func marked(_ m: Int, _ flags: [Bool]) -> Bool { m >= 0 && m < flags.count ? flags[m] : true }
            switch self {
            case .sum(let m): return marked(m, changed.values)
            case .steps(let from, let to): return marked(from, changed.values) || marked(to, changed.values)
            case .reporting(let ms): return ms.contains { marked($0, changed.presence) }
            }
        }
    }

    /// What a patch changed, per metric position: any value (or currency, or whether a cell reports it), and whether
    /// a cell reports it (`CellTable.replaceValues(ofCells:with:presenceChanged:)`).
    struct Changed {
        var values: [Bool]
        var presence: [Bool]
    }

    /// How passes went: reused, or computed.
    struct Counts: Equatable {
        var reused = 0
        var computed = 0
        /// Results kept through a patch that changed only metrics their pass does not read.
        var carried = 0
    }

    /// At most this many results are kept (a funnel makes about 50 passes: per window, a sum per metric, its steps and
    /// the stages reporting).
    static let limit = 128

    private struct Key: Hashable {
        let from: Int
        let to: Int
        let pass: Pass
    }

    private let lock = NSLock()
    /// A result, boxed: told apart from another type's by a class check, not a cast out of an existential.
    private final class Box<T>: @unchecked Sendable {
        let value: T
        init(_ value: T) { self.value = value }
    }

    /// Each result with the versions it was computed for (its type is the pass's: `WindowPasses` asks each pass for one).
    private var results: [Key: (versions: [CellTableCache.DayVersion], box: AnyObject)] = [:]
    private var tally = Counts()

    var counts: Counts { lock.withLock { tally } }

    /// After a patch took the table's days from `old` to `new` versions and changed only what `changed` marks: the
    /// results of passes that read none of it are what they were, so they are kept for the new versions (a result whose
    /// days had other versions than `old` stays as it is: out of date).
    func carry(from old: [CellTableCache.DayVersion], to new: [CellTableCache.DayVersion], unlessReading changed: Changed) {
        var moved: [(day: Int, old: Int64, new: Int64)] = []
        for (before, after) in zip(old, new) where before.day == after.day && before.version != after.version {
            moved.append((before.day, before.version, after.version))
        }
        guard !moved.isEmpty else { return }
        lock.withLock {
            // In place, entry by entry: no key hashed, no copy of the table or of a result's versions.
            var index = results.startIndex
            while index != results.endIndex {
                defer { results.formIndex(after: &index) }
                guard !results.keys[index].pass.reads(changed) else { continue }
                var carried = false
                for move in moved {
                    // A result's versions are in day order: the day's place by binary search (the array read in a
                    // scope of its own, so it is not shared when changed in place).
                    let position: Int? = {
                        let versions = results.values[index].versions
                        let p = CellTableCache.DayVersion.firstPosition(in: versions, atOrAfter: move.day)
                        return p < versions.count && versions[p] == CellTableCache.DayVersion(day: move.day, version: move.old) ? p : nil
                    }()
                    guard let position else { continue }
                    results.values[index].versions[position] = CellTableCache.DayVersion(day: move.day, version: move.new)
                    carried = true
                }
                if carried { tally.carried += 1 }
            }
        }
    }

    /// The same days with the same versions, compared over the two buffers (a funnel compares about 50 windows of 30
    /// to 60 days after each write).
    static func same(_ kept: [CellTableCache.DayVersion], _ now: ArraySlice<CellTableCache.DayVersion>) -> Bool {
        guard kept.count == now.count else { return false }
        return kept.withUnsafeBufferPointer { a in
            now.withUnsafeBufferPointer { b in
                for i in 0..<a.count where a[i].day != b[i].day || a[i].version != b[i].version { return false }
                return true
            }
        }
    }

    /// The pass's result over the window `from`…`to` when its days still have `versions`, else `compute`d (outside the
    /// lock) and kept.
    func result<T: Sendable>(_ pass: Pass, from: Int, to: Int, versions: ArraySlice<CellTableCache.DayVersion>, compute: () -> T) -> T {
        let key = Key(from: from, to: to, pass: pass)
        let known: T? = lock.withLock {
            guard let kept = results[key], Self.same(kept.versions, versions), let box = kept.box as? Box<T> else { return nil }
            tally.reused += 1
            return box.value
        }
        if let known { return known }
        let value = compute()
        lock.withLock {
            tally.computed += 1
            if results.count >= Self.limit && results[key] == nil { results.removeAll() }
            results[key] = (Array(versions), Box(value))
        }
        return value
    }
}
