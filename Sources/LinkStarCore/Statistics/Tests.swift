import Foundation

/// The result of comparing treatment with control (or after with before): an absolute change
/// with a 95% interval and a two-sided p-value.
public struct Comparison95: Equatable, Sendable, Codable {
    /// Absolute change (treatment − control, after − before, or the difference of differences).
    public var estimate: Double
    /// The baseline the relative change is measured against.
    public var reference: Double
    public var relativeChange: Double?
    public var standardError: Double
    public var statistic: Double
    public var degreesOfFreedom: Double?
    public var pValue: Double
    public var ciLow: Double
    public var ciHigh: Double
}

/// The hypothesis tests used to judge actions.
public enum HypothesisTests {
    /// Two-proportion z-test of k2/n2 (treatment) against k1/n1 (control).
    /// The test uses the pooled standard error; the 95% interval the unpooled one.
    public static func twoProportion(k1: Double, n1: Double, k2: Double, n2: Double) -> Comparison95? {
        guard n1 > 0, n2 > 0, k1 >= 0, k2 >= 0, k1 <= n1, k2 <= n2 else { return nil }
        let p1 = k1 / n1, p2 = k2 / n2
        let pooled = (k1 + k2) / (n1 + n2)
        let pooledSE = (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).squareRoot()
        let se = (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2).squareRoot()
        guard pooledSE > 0 else { return nil }
        let z = (p2 - p1) / pooledSE
        let estimate = p2 - p1
        return Comparison95(estimate: estimate, reference: p1, relativeChange: p1 > 0 ? estimate / p1 : nil, standardError: se,
                            statistic: z, degreesOfFreedom: nil, pValue: Distributions.normalTwoSided(z),
                            ciLow: estimate - Distributions.z975 * se, ciHigh: estimate + Distributions.z975 * se)
    }

    /// Welch's t-test of the mean of `after` against the mean of `before`, with Student-t tails.
    public static func welch(before: [Double], after: [Double]) -> Comparison95? {
        guard before.count >= 2, after.count >= 2 else { return nil }
        let (m1, v1) = meanAndVariance(before), (m2, v2) = meanAndVariance(after)
        let n1 = Double(before.count), n2 = Double(after.count)
        let a = v1 / n1, b = v2 / n2
        let se = (a + b).squareRoot()
        guard se > 0 else { return nil }
        let df = (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n2 - 1))
        let t = (m2 - m1) / se
        let q = Distributions.studentTQuantile(0.975, df: df)
        let estimate = m2 - m1
        return Comparison95(estimate: estimate, reference: m1, relativeChange: m1 != 0 ? estimate / abs(m1) : nil, standardError: se,
                            statistic: t, degreesOfFreedom: df, pValue: Distributions.studentTTwoSided(t, df: df),
                            ciLow: estimate - q * se, ciHigh: estimate + q * se)
    }

    /// Difference-in-differences of proportions: (treatment after − before) − (control after − before),
    /// with a normal interval from the four independent binomial variances.
    public static func diffInDiffProportions(treatmentBefore: (Double, Double), treatmentAfter: (Double, Double),
                                             controlBefore: (Double, Double), controlAfter: (Double, Double)) -> Comparison95? {
        let groups = [treatmentBefore, treatmentAfter, controlBefore, controlAfter]
        guard groups.allSatisfy({ $0.1 > 0 && $0.0 >= 0 && $0.0 <= $0.1 }) else { return nil }
        let p = groups.map { $0.0 / $0.1 }
        let variance = zip(p, groups).map { rate, group in rate * (1 - rate) / group.1 }.reduce(0, +)
        let se = variance.squareRoot()
        guard se > 0 else { return nil }
        let estimate = (p[1] - p[0]) - (p[3] - p[2])
        let z = estimate / se
        return Comparison95(estimate: estimate, reference: p[0], relativeChange: p[0] > 0 ? estimate / p[0] : nil, standardError: se,
                            statistic: z, degreesOfFreedom: nil, pValue: Distributions.normalTwoSided(z),
                            ciLow: estimate - Distributions.z975 * se, ciHigh: estimate + Distributions.z975 * se)
    }

    /// Difference-in-differences of means of daily values, with Welch–Satterthwaite degrees of freedom.
    public static func diffInDiffMeans(treatmentBefore: [Double], treatmentAfter: [Double],
                                       controlBefore: [Double], controlAfter: [Double]) -> Comparison95? {
        let groups = [treatmentBefore, treatmentAfter, controlBefore, controlAfter]
        guard groups.allSatisfy({ $0.count >= 2 }) else { return nil }
        let stats = groups.map { meanAndVariance($0) }
        let terms = zip(stats, groups).map { s, g in s.1 / Double(g.count) }
        let se = terms.reduce(0, +).squareRoot()
        guard se > 0 else { return nil }
        let df = pow(terms.reduce(0, +), 2) / zip(terms, groups).map { t, g in t * t / Double(g.count - 1) }.reduce(0, +)
        let estimate = (stats[1].0 - stats[0].0) - (stats[3].0 - stats[2].0)
        let t = estimate / se
        let q = Distributions.studentTQuantile(0.975, df: df)
        return Comparison95(estimate: estimate, reference: stats[0].0, relativeChange: stats[0].0 != 0 ? estimate / abs(stats[0].0) : nil,
                            standardError: se, statistic: t, degreesOfFreedom: df,
                            pValue: Distributions.studentTTwoSided(t, df: df), ciLow: estimate - q * se, ciHigh: estimate + q * se)
    }

    /// Pearson's chi-square goodness of fit of observed counts against planned shares (sample-ratio mismatch).
    public static func sampleRatioMismatch(observed: [Double], plannedShares: [Double]) -> (statistic: Double, pValue: Double)? {
        guard observed.count == plannedShares.count, observed.count >= 2 else { return nil }
        let total = observed.reduce(0, +), shares = plannedShares.reduce(0, +)
        guard total > 0, shares > 0 else { return nil }
        var statistic = 0.0
        for (o, share) in zip(observed, plannedShares) {
            let expected = total * share / shares
            guard expected > 0 else { return nil }
            statistic += (o - expected) * (o - expected) / expected
        }
        return (statistic, Distributions.chiSquareSF(statistic, k: Double(observed.count - 1)))
    }

    /// Sample mean and unbiased variance.
    public static func meanAndVariance(_ values: [Double]) -> (Double, Double) {
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (mean, variance)
    }
}
