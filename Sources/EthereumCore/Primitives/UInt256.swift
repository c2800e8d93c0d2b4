/// An unsigned 256-bit integer: the range of `uint256`, token amounts and sums of them.
///
/// Four 64-bit limbs, least significant first. Arithmetic reports overflow instead of trapping,
/// so hostile values never crash the caller.
///
/// ```swift
/// let a = UInt256(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639935")!
/// a == UInt256.max                       // true
/// UInt256(1_000_000).description         // "1000000"
/// ```
public struct UInt256: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Limbs, least significant first.
    public var limbs: (UInt64, UInt64, UInt64, UInt64)

    public static let zero = UInt256(0)
    public static let max = UInt256(limbs: (.max, .max, .max, .max))

    public init(limbs: (UInt64, UInt64, UInt64, UInt64)) { self.limbs = limbs }

    public init(_ value: UInt64) { self.limbs = (value, 0, 0, 0) }

    /// Reads up to 32 big-endian bytes. Returns nil for more than 32 bytes.
    public init?(bigEndian bytes: some Collection<UInt8>) {
        guard bytes.count <= 32 else { return nil }
        var l: [UInt64] = [0, 0, 0, 0]
        var shift = 0
        for byte in bytes.reversed() {
            l[shift / 64] |= UInt64(byte) << UInt64(shift % 64)
            shift += 8
        }
        self.limbs = (l[0], l[1], l[2], l[3])
    }

    /// Reads exactly 32 big-endian bytes from raw memory at `offset`.
    @inline(__always)
    init(word buffer: UnsafeRawBufferPointer, at offset: Int) {
        @inline(__always) func limb(_ o: Int) -> UInt64 {
            UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset + o, as: UInt64.self))
        }
        self.limbs = (limb(24), limb(16), limb(8), limb(0))
    }

    /// Parses a decimal string (digits only, no sign). Nil when empty, not decimal or too large.
    public init?(decimal text: some StringProtocol) {
        self.init(decimalUTF8: text.utf8)
    }

    /// Parses decimal digits given as UTF-8 bytes (a SQLite column read in place, say). Nil when
    /// empty, not decimal or too large.
    public init?(decimalUTF8 text: some Collection<UInt8>) {
        guard !text.isEmpty else { return nil }
        // Digits are gathered 19 at a time in a UInt64 (10¹⁹ < 2⁶⁴), then folded in with one
        // 256-bit multiply, instead of one per digit.
        var value = UInt256.zero
        var chunk: UInt64 = 0
        var scale: UInt64 = 1
        func fold() -> Bool {
            let (m, o1) = value.multipliedReportingOverflow(by: scale)
            let (s, o2) = m.addingReportingOverflow(UInt256(chunk))
            value = s
            return !(o1 || o2)
        }
        for c in text {
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            if scale == 10_000_000_000_000_000_000 {
                guard fold() else { return nil }
                chunk = 0
                scale = 1
            }
            chunk = chunk * 10 + UInt64(c - UInt8(ascii: "0"))
            scale *= 10
        }
        guard fold() else { return nil }
        self = value
    }

    /// Parses `0x`-prefixed hex (a JSON-RPC quantity or a padded word). Nil when invalid or too large.
    public init?(hex text: some StringProtocol) {
        var digits = Substring(text)
        guard digits.hasPrefix("0x") || digits.hasPrefix("0X") else { return nil }
        digits = digits.dropFirst(2)
        guard !digits.isEmpty else { return nil }
        let trimmed = digits.drop { $0 == "0" }
        guard trimmed.utf8.count <= 64 else { return nil }
        var value = UInt256.zero
        for c in trimmed.utf8 {
            guard let n = Hex.nibble(c) else { return nil }
            value = value.shiftedLeft(by: 4)
            value.limbs.0 |= UInt64(n)
        }
        self = value
    }

    /// 32 big-endian bytes.
    public var bigEndianBytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let l = [limbs.3, limbs.2, limbs.1, limbs.0]
        for i in 0..<4 {
            for j in 0..<8 { out[i * 8 + j] = UInt8(truncatingIfNeeded: l[i] >> UInt64(56 - 8 * j)) }
        }
        return out
    }

    public var isZero: Bool { limbs.0 | limbs.1 | limbs.2 | limbs.3 == 0 }

    /// The number of significant bits (0 for zero).
    public var bitWidth: Int {
        if limbs.3 != 0 { return 256 - limbs.3.leadingZeroBitCount }
        if limbs.2 != 0 { return 192 - limbs.2.leadingZeroBitCount }
        if limbs.1 != 0 { return 128 - limbs.1.leadingZeroBitCount }
        return 64 - limbs.0.leadingZeroBitCount
    }

    /// The value as an `Int` when it fits.
    public var intValue: Int? {
        guard limbs.1 == 0, limbs.2 == 0, limbs.3 == 0, limbs.0 <= UInt64(Int.max) else { return nil }
        return Int(limbs.0)
    }

    /// The value as a `UInt64` when it fits.
    public var uint64Value: UInt64? {
        guard limbs.1 == 0, limbs.2 == 0, limbs.3 == 0 else { return nil }
        return limbs.0
    }

    /// Bit `index` (0 = least significant).
    public func bit(_ index: Int) -> Bool {
        let limb = [limbs.0, limbs.1, limbs.2, limbs.3][index / 64]
        return (limb >> UInt64(index % 64)) & 1 == 1
    }

    public func addingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (r0, c0) = limbs.0.addingReportingOverflow(other.limbs.0)
        let (t1, c1a) = limbs.1.addingReportingOverflow(other.limbs.1)
        let (r1, c1b) = t1.addingReportingOverflow(c0 ? 1 : 0)
        let (t2, c2a) = limbs.2.addingReportingOverflow(other.limbs.2)
        let (r2, c2b) = t2.addingReportingOverflow((c1a || c1b) ? 1 : 0)
        let (t3, c3a) = limbs.3.addingReportingOverflow(other.limbs.3)
        let (r3, c3b) = t3.addingReportingOverflow((c2a || c2b) ? 1 : 0)
        return (UInt256(limbs: (r0, r1, r2, r3)), c3a || c3b)
    }

    public func subtractingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (r0, b0) = limbs.0.subtractingReportingOverflow(other.limbs.0)
        let (t1, b1a) = limbs.1.subtractingReportingOverflow(other.limbs.1)
        let (r1, b1b) = t1.subtractingReportingOverflow(b0 ? 1 : 0)
        let (t2, b2a) = limbs.2.subtractingReportingOverflow(other.limbs.2)
        let (r2, b2b) = t2.subtractingReportingOverflow((b1a || b1b) ? 1 : 0)
        let (t3, b3a) = limbs.3.subtractingReportingOverflow(other.limbs.3)
        let (r3, b3b) = t3.subtractingReportingOverflow((b2a || b2b) ? 1 : 0)
        return (UInt256(limbs: (r0, r1, r2, r3)), b3a || b3b)
    }

    public func multipliedReportingOverflow(by factor: UInt64) -> (partialValue: UInt256, overflow: Bool) {
        var carry: UInt64 = 0
        var out: [UInt64] = [0, 0, 0, 0]
        for (i, limb) in [limbs.0, limbs.1, limbs.2, limbs.3].enumerated() {
            let (high, low) = limb.multipliedFullWidth(by: factor)
            let (sum, c) = low.addingReportingOverflow(carry)
            out[i] = sum
            carry = high &+ (c ? 1 : 0)
        }
        return (UInt256(limbs: (out[0], out[1], out[2], out[3])), carry != 0)
    }

    /// Divides by a 64-bit divisor, returning quotient and remainder.
    public func quotientAndRemainder(dividingBy divisor: UInt64) -> (quotient: UInt256, remainder: UInt64) {
        precondition(divisor != 0, "division by zero")
        var remainder: UInt64 = 0
        var q: [UInt64] = [0, 0, 0, 0]
        for (i, limb) in [limbs.0, limbs.1, limbs.2, limbs.3].enumerated().reversed() {
            let (quotient, r) = divisor.dividingFullWidth((remainder, limb))
            q[i] = quotient
            remainder = r
        }
        return (UInt256(limbs: (q[0], q[1], q[2], q[3])), remainder)
    }

    /// Shifts left by fewer than 64 bits, dropping what falls off the top.
    func shiftedLeft(by n: UInt64) -> UInt256 {
        guard n > 0 else { return self }
        return UInt256(limbs: (
            limbs.0 << n,
            limbs.1 << n | limbs.0 >> (64 - n),
            limbs.2 << n | limbs.1 >> (64 - n),
            limbs.3 << n | limbs.2 >> (64 - n)))
    }

    /// Bitwise complement (used for two's complement in ``Int256``).
    public var complement: UInt256 { UInt256(limbs: (~limbs.0, ~limbs.1, ~limbs.2, ~limbs.3)) }

    public var description: String {
        if isZero { return "0" }
        var chunks: [UInt64] = []
        var value = self
        let base: UInt64 = 10_000_000_000_000_000_000  // 10^19
        while !value.isZero {
            let (q, r) = value.quotientAndRemainder(dividingBy: base)
            chunks.append(r)
            value = q
        }
        var out = String(chunks.removeLast())
        for chunk in chunks.reversed() {
            let digits = String(chunk)
            out += String(repeating: "0", count: 19 - digits.count) + digits
        }
        return out
    }

    /// Minimal big-endian hex with `0x` (a JSON-RPC quantity): `0x0`, `0x1a`.
    public var hexQuantity: String {
        let bytes = bigEndianBytes.drop { $0 == 0 }
        if bytes.isEmpty { return "0x0" }
        var s = Hex.encode(bytes, prefix: false)
        if s.hasPrefix("0") { s.removeFirst() }
        return "0x" + s
    }

    public static func == (lhs: UInt256, rhs: UInt256) -> Bool {
        lhs.limbs.0 == rhs.limbs.0 && lhs.limbs.1 == rhs.limbs.1 && lhs.limbs.2 == rhs.limbs.2 && lhs.limbs.3 == rhs.limbs.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(limbs.0); hasher.combine(limbs.1); hasher.combine(limbs.2); hasher.combine(limbs.3)
    }

    public static func < (lhs: UInt256, rhs: UInt256) -> Bool {
        if lhs.limbs.3 != rhs.limbs.3 { return lhs.limbs.3 < rhs.limbs.3 }
        if lhs.limbs.2 != rhs.limbs.2 { return lhs.limbs.2 < rhs.limbs.2 }
        if lhs.limbs.1 != rhs.limbs.1 { return lhs.limbs.1 < rhs.limbs.1 }
        return lhs.limbs.0 < rhs.limbs.0
    }
}
