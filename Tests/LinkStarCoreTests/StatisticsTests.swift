import Foundation
import LinkStarCore
import Testing

/// The statistics checked against scipy (Tests/Fixtures/reference/make_statistics_vectors.py).
@Suite("Statistics vs scipy reference vectors")
struct StatisticsTests {
    struct Vectors: Decodable {
        struct TwoProportion: Decodable { var k1, n1, k2, n2, estimate, z, p_value, ci_low, ci_high: Double }
        struct Welch: Decodable { var before, after: [Double]; var estimate, t, df, p_value, ci_low, ci_high: Double }
        struct DiDProportions: Decodable {
            var treatment_before, treatment_after, control_before, control_after: [Double]
            var estimate, z, p_value, ci_low, ci_high: Double
        }
        struct DiDMeans: Decodable {
            var treatment_before, treatment_after, control_before, control_after: [Double]
            var estimate, t, df, p_value, ci_low, ci_high: Double
        }
        struct SRM: Decodable { var observed, shares: [Double]; var statistic, p_value: Double }
        struct TCDF: Decodable { var t, df, cdf, two_sided: Double }
        struct Chi2: Decodable { var x, k, sf: Double }
        struct TPPF: Decodable { var p, df, q: Double }
        var two_proportion: [TwoProportion]
        var welch: [Welch]
        var diff_in_diff_proportions: [DiDProportions]
        var diff_in_diff_means: [DiDMeans]
        var srm: [SRM]
        var t_cdf: [TCDF]
        var chi2_sf: [Chi2]
        var t_ppf: [TPPF]
    }

    static let vectors: Vectors = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/reference/statistics.json")
        return try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }()

    /// Equal to a relative 1e-6, with an absolute floor of 1e-12 (so a p-value of 1e-9 is checked to 1e-15, not to 1e-6).
    func close(_ a: Double, _ b: Double, _ label: String) {
        #expect(abs(a - b) <= max(1e-12, 1e-6 * abs(b)), "\(label): \(a) vs \(b)")
    }

    @Test("two-proportion z-test")
    func twoProportion() throws {
        for v in Self.vectors.two_proportion {
            let r = try #require(HypothesisTests.twoProportion(k1: v.k1, n1: v.n1, k2: v.k2, n2: v.n2))
            close(r.estimate, v.estimate, "estimate")
            close(r.statistic, v.z, "z")
            close(r.pValue, v.p_value, "p")
            close(r.ciLow, v.ci_low, "ci_low")
            close(r.ciHigh, v.ci_high, "ci_high")
        }
    }

    @Test("Welch's t-test with Student-t tails")
    func welch() throws {
        for v in Self.vectors.welch {
            let r = try #require(HypothesisTests.welch(before: v.before, after: v.after))
            close(r.estimate, v.estimate, "estimate")
            close(r.statistic, v.t, "t")
            close(r.degreesOfFreedom!, v.df, "df")
            close(r.pValue, v.p_value, "p")
            close(r.ciLow, v.ci_low, "ci_low")
            close(r.ciHigh, v.ci_high, "ci_high")
        }
    }

    @Test("difference-in-differences of proportions and of means")
    func diffInDiff() throws {
        for v in Self.vectors.diff_in_diff_proportions {
            let r = try #require(HypothesisTests.diffInDiffProportions(
                treatmentBefore: (v.treatment_before[0], v.treatment_before[1]), treatmentAfter: (v.treatment_after[0], v.treatment_after[1]),
                controlBefore: (v.control_before[0], v.control_before[1]), controlAfter: (v.control_after[0], v.control_after[1])))
            close(r.estimate, v.estimate, "estimate")
            close(r.statistic, v.z, "z")
            close(r.pValue, v.p_value, "p")
            close(r.ciLow, v.ci_low, "ci_low")
            close(r.ciHigh, v.ci_high, "ci_high")
        }
        for v in Self.vectors.diff_in_diff_means {
            let r = try #require(HypothesisTests.diffInDiffMeans(treatmentBefore: v.treatment_before, treatmentAfter: v.treatment_after,
                                                                 controlBefore: v.control_before, controlAfter: v.control_after))
            close(r.estimate, v.estimate, "estimate")
            close(r.statistic, v.t, "t")
            close(r.degreesOfFreedom!, v.df, "df")
            close(r.pValue, v.p_value, "p")
            close(r.ciLow, v.ci_low, "ci_low")
            close(r.ciHigh, v.ci_high, "ci_high")
        }
    }

    @Test("sample-ratio mismatch chi-square")
    func srm() throws {
        for v in Self.vectors.srm {
            let r = try #require(HypothesisTests.sampleRatioMismatch(observed: v.observed, plannedShares: v.shares))
            close(r.statistic, v.statistic, "chi2")
            close(r.pValue, v.p_value, "p")
        }
    }

    @Test("distribution functions")
    func distributions() {
        for v in Self.vectors.t_cdf {
            close(Distributions.studentTCDF(v.t, df: v.df), v.cdf, "t cdf \(v.t) \(v.df)")
            close(Distributions.studentTTwoSided(v.t, df: v.df), v.two_sided, "t two-sided")
        }
        for v in Self.vectors.chi2_sf { close(Distributions.chiSquareSF(v.x, k: v.k), v.sf, "chi2 sf \(v.x) \(v.k)") }
        for v in Self.vectors.t_ppf { close(Distributions.studentTQuantile(v.p, df: v.df), v.q, "t ppf \(v.p) \(v.df)") }
        close(Distributions.normalQuantile(0.975), Distributions.z975, "z975")
    }
}
