import Foundation

/// A number with a fixed count of decimals, as C's `printf("%.Nf")` writes it: rounded to the nearest on the exact binary
/// value, ties to even; a negative number (also one that rounds to zero, and -0.0) keeps its minus sign.
public enum FixedPoint {
    private static let scales: [UInt64] = [1, 10, 100, 1_000]

    /// `text(103.25, decimals: 1)` → `"103.2"` (a tie, to even), `text(0.5, decimals: 0)` → `"0"`.
    /// Up to three decimals and magnitudes below 2^53 by integer arithmetic on the value's significand: `String(format:)`
    /// cost a twelfth of a funnel answer. Anything else (and NaN, infinities) through `String(format:)`.
    public static func text(_ value: Double, decimals: Int) -> String {
        guard value.isFinite, value.magnitude < 9_007_199_254_740_992, decimals >= 0, decimals < scales.count else {
            return String(format: "%.\(decimals)f", value)
        }
        let magnitude = value.magnitude
        // magnitude = significand × 2^-shift exactly (a normal number's leading bit made explicit); shift ≥ 0 below 2^53.
        let significand = magnitude.significandBitPattern | (magnitude.isNormal ? 1 << 52 : 0)
        let shift = magnitude.isNormal ? 52 - Int(magnitude.exponent) : 1_074
        let scaled = significand * scales[decimals]    // < 2^53 × 1,000 < 2^63
        var units: UInt64
        if shift == 0 {
            units = scaled
        } else if shift >= 64 {
            units = 0    // scaled < 2^63 ≤ half of 2^shift: rounds down
        } else {
            units = scaled >> UInt64(shift)
            let rest = scaled & ((1 << UInt64(shift)) - 1), half: UInt64 = 1 << UInt64(shift - 1)
            if rest > half || (rest == half && units & 1 == 1) { units += 1 }
        }
        var text = value.sign == .minus ? "-" : ""
        text += String(units / scales[decimals])
        if decimals > 0 {
            let fraction = String(units % scales[decimals])
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }
}
