import Foundation
import LinkStarCore
import Testing

@Suite("Fixed-point text: what printf's %.Nf writes")
struct FixedPointTests {
    @Test("ties go to even on the exact binary value; the sign stays on what rounds to zero")
    func knownValues() {
        #expect(FixedPoint.text(0.5, decimals: 0) == "0")
        #expect(FixedPoint.text(1.5, decimals: 0) == "2")
        #expect(FixedPoint.text(2.5, decimals: 0) == "2")
        #expect(FixedPoint.text(0.125, decimals: 2) == "0.12")
        #expect(FixedPoint.text(0.375, decimals: 2) == "0.38")
        #expect(FixedPoint.text(103.25, decimals: 1) == "103.2")
        #expect(FixedPoint.text(0.15, decimals: 1) == "0.1")    // 0.1499999999999999944… in binary
        #expect(FixedPoint.text(-0.04, decimals: 1) == "-0.0")
        #expect(FixedPoint.text(-0.0, decimals: 0) == "-0")
        #expect(FixedPoint.text(0, decimals: 3) == "0.000")
        #expect(FixedPoint.text(99.96, decimals: 1) == "100.0")
        #expect(FixedPoint.text(5e-324, decimals: 2) == "0.00")
    }

    @Test("agrees with String(format:) on random values of every size, ties and the edges included")
    func agreesWithPrintf() {
        var random = SeededGenerator(seed: 41)
        var values: [Double] = [0, -0.0, 0.05, 0.25, 0.35, 0.45, 1e-320, 9_007_199_254_740_991, 9_007_199_254_740_992, -9_007_199_254_740_991.5,
                                1e300, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 4_503_599_627_370_495.5]
        for _ in 0..<4_000 {
            let exponent = Double.random(in: -12...17, using: &random)
            var value = Double.random(in: 1...10, using: &random) * pow(10, exponent.rounded(.down))
            switch Int.random(in: 0..<4, using: &random) {
            case 0: value = (value * 8).rounded() / 8                            // exact ties at every decimal count
            case 1: value = Double(Int.random(in: 0...100_000, using: &random)) / 1_000 + 0.0005
            case 2: value = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &random))
            default: break
            }
            values.append(Bool.random(using: &random) ? -value : value)
        }
        for value in values {
            for decimals in 0...4 {
                let expected = String(format: "%.\(decimals)f", value)
                #expect(FixedPoint.text(value, decimals: decimals) == expected, "\(value) with \(decimals) decimals")
            }
        }
    }
}
