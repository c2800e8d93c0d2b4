import EthereumCore

/// An ERC-8004 feedback value: the `int128` `value` and its `valueDecimals`, meaning
/// `value / 10^decimals`. Kept exact; served as a decimal string.
///
/// ```swift
/// let v = FeedbackValue(raw: Int256(decimal: "8750")!, decimals: 2)
/// v.decimalString   // "87.5"
/// v.isRating        // true: within 0…100
/// v.number          // 87.5
/// ```
public struct FeedbackValue: Hashable, Sendable {
    public var raw: Int256
    public var decimals: UInt8

    public init(raw: Int256, decimals: UInt8) {
        self.raw = raw
        self.decimals = decimals
    }

    /// The exact number as a decimal string: no exponent, no trailing zeros after the point
    /// (`"-12.34"`, `"0.005"`, `"100"`).
    public var decimalString: String {
        let digits = raw.magnitude.description
        let scale = Int(decimals)
        var whole: Substring, fraction: Substring
        if digits.count > scale {
            whole = digits.dropLast(scale)
            fraction = digits.suffix(scale)
        } else {
            whole = "0"
            fraction = Substring(String(repeating: "0", count: scale - digits.count) + digits)
        }
        while fraction.last == "0" { fraction = fraction.dropLast() }
        let sign = raw.isNegative && !raw.magnitude.isZero ? "-" : ""
        return sign + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// True when the value lies in [0, 100]: a rating on a 0–100 scale. Decided exactly.
    public var isRating: Bool {
        guard !raw.isNegative else { return raw.magnitude.isZero }
        var limit = UInt256(100)
        for _ in 0..<decimals {
            let (product, overflow) = limit.multipliedReportingOverflow(by: 10)
            if overflow { return true }   // 100 · 10^decimals is beyond any int256: the value is below it
            limit = product
        }
        return raw.magnitude <= limit
    }

    /// The value as a floating-point number (for means and the score, never for display of the value itself).
    public var number: Double {
        (Double(decimalString) ?? 0)
    }
}
