/// A signed 256-bit integer in two's complement: the range of `int256`.
///
/// ```swift
/// Int256(decimal: "-1")!.bitPattern == UInt256.max   // true
/// Int256(decimal: "-42")!.description                // "-42"
/// ```
public struct Int256: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The two's complement bits.
    public var bitPattern: UInt256

    public init(bitPattern: UInt256) { self.bitPattern = bitPattern }

    public init(_ value: Int64) {
        let magnitude = UInt256(value.magnitude)
        self.bitPattern = value < 0 ? Int256.negate(magnitude) : magnitude
    }

    /// Parses an optionally `-`-prefixed decimal string; nil when out of the int256 range.
    public init?(decimal text: some StringProtocol) {
        let negative = text.hasPrefix("-")
        let digits = Substring(text)
        guard let magnitude = UInt256(decimal: negative ? digits.dropFirst() : digits) else { return nil }
        let limit = UInt256(limbs: (0, 0, 0, 1 << 63))  // 2^255
        if negative {
            guard magnitude <= limit else { return nil }
            self.bitPattern = Int256.negate(magnitude)
        } else {
            guard magnitude < limit else { return nil }
            self.bitPattern = magnitude
        }
    }

    public var isNegative: Bool { bitPattern.bit(255) }

    /// The absolute value (2^255 for the minimum).
    public var magnitude: UInt256 { isNegative ? Int256.negate(bitPattern) : bitPattern }

    /// Whether the value fits in a signed integer of `bits` bits.
    public func fits(bits: Int) -> Bool {
        if bits >= 256 { return true }
        let m = magnitude
        return isNegative ? (m.bitWidth < bits || (m.bitWidth == bits && m == Int256.power(bits - 1))) : m.bitWidth < bits
    }

    static func negate(_ value: UInt256) -> UInt256 {
        value.complement.addingReportingOverflow(UInt256(1)).partialValue
    }

    static func power(_ exponent: Int) -> UInt256 {
        var l: [UInt64] = [0, 0, 0, 0]
        l[exponent / 64] = 1 << UInt64(exponent % 64)
        return UInt256(limbs: (l[0], l[1], l[2], l[3]))
    }

    public var description: String { (isNegative ? "-" : "") + magnitude.description }

    public static func < (lhs: Int256, rhs: Int256) -> Bool {
        if lhs.isNegative != rhs.isNegative { return lhs.isNegative }
        return lhs.bitPattern < rhs.bitPattern
    }
}
