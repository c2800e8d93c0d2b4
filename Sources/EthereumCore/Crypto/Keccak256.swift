/// Keccak-256, the hash Ethereum uses everywhere (the original Keccak padding, not SHA3-256).
///
/// ```swift
/// Hex.encode(Keccak256.hash(Array("".utf8)))
/// // "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
/// ```
public enum Keccak256 {
    private static let rate = 136

    private static let roundConstants: [UInt64] = [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
        0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
        0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ]

    /// The 32-byte Keccak-256 digest of `bytes`.
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(buffer: UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return Array(bytes).withUnsafeBytes { hash(buffer: $0) }
    }

    /// The digest of a string's UTF-8 bytes.
    public static func hash(_ text: String) -> [UInt8] {
        hash(Array(text.utf8))
    }

    /// The digest of raw memory.
    public static func hash(buffer: UnsafeRawBufferPointer) -> [UInt8] {
        var state = [UInt64](repeating: 0, count: 25)
        var offset = 0
        let count = buffer.count
        state.withUnsafeMutableBufferPointer { s in
            while count - offset >= rate {
                absorb(block: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + rate]), into: s)
                permute(s)
                offset += rate
            }
            var last = [UInt8](repeating: 0, count: rate)
            for i in 0..<(count - offset) { last[i] = buffer[offset + i] }
            last[count - offset] ^= 0x01
            last[rate - 1] ^= 0x80
            last.withUnsafeBytes { absorb(block: $0, into: s) }
            permute(s)
        }
        var out = [UInt8](repeating: 0, count: 32)
        for i in 0..<4 {
            let lane = state[i]
            for j in 0..<8 { out[i * 8 + j] = UInt8(truncatingIfNeeded: lane >> (8 * UInt64(j))) }
        }
        return out
    }

    @inline(__always)
    private static func absorb(block: UnsafeRawBufferPointer, into s: UnsafeMutableBufferPointer<UInt64>) {
        for i in 0..<(rate / 8) {
            var lane: UInt64 = 0
            for j in 0..<8 { lane |= UInt64(block[i * 8 + j]) << (8 * UInt64(j)) }
            s[i] ^= lane
        }
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 {
        (x << n) | (x >> (64 &- n))
    }

    /// Keccak-f[1600], unrolled over the 5×5 lanes.
    private static func permute(_ a: UnsafeMutableBufferPointer<UInt64>) {
        var c0: UInt64, c1: UInt64, c2: UInt64, c3: UInt64, c4: UInt64
        var d0: UInt64, d1: UInt64, d2: UInt64, d3: UInt64, d4: UInt64
        for round in 0..<24 {
            // θ
            c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20]
            c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21]
            c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22]
            c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23]
            c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24]
            d0 = c4 ^ rotl(c1, 1); d1 = c0 ^ rotl(c2, 1); d2 = c1 ^ rotl(c3, 1)
            d3 = c2 ^ rotl(c4, 1); d4 = c3 ^ rotl(c0, 1)
            for y in stride(from: 0, to: 25, by: 5) {
                a[y] ^= d0; a[y + 1] ^= d1; a[y + 2] ^= d2; a[y + 3] ^= d3; a[y + 4] ^= d4
            }
            // ρ and π
            var b = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                     UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                     UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                     UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                     UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            b.0 = a[0]
            b.16 = rotl(a[5], 36); b.7 = rotl(a[10], 3); b.23 = rotl(a[15], 41); b.14 = rotl(a[20], 18)
            b.10 = rotl(a[1], 1); b.1 = rotl(a[6], 44); b.17 = rotl(a[11], 10); b.8 = rotl(a[16], 45); b.24 = rotl(a[21], 2)
            b.20 = rotl(a[2], 62); b.11 = rotl(a[7], 6); b.2 = rotl(a[12], 43); b.18 = rotl(a[17], 15); b.9 = rotl(a[22], 61)
            b.5 = rotl(a[3], 28); b.21 = rotl(a[8], 55); b.12 = rotl(a[13], 25); b.3 = rotl(a[18], 21); b.19 = rotl(a[23], 56)
            b.15 = rotl(a[4], 27); b.6 = rotl(a[9], 20); b.22 = rotl(a[14], 39); b.13 = rotl(a[19], 8); b.4 = rotl(a[24], 14)
            // χ
            a[0] = b.0 ^ (~b.1 & b.2); a[1] = b.1 ^ (~b.2 & b.3); a[2] = b.2 ^ (~b.3 & b.4); a[3] = b.3 ^ (~b.4 & b.0); a[4] = b.4 ^ (~b.0 & b.1)
            a[5] = b.5 ^ (~b.6 & b.7); a[6] = b.6 ^ (~b.7 & b.8); a[7] = b.7 ^ (~b.8 & b.9); a[8] = b.8 ^ (~b.9 & b.5); a[9] = b.9 ^ (~b.5 & b.6)
            a[10] = b.10 ^ (~b.11 & b.12); a[11] = b.11 ^ (~b.12 & b.13); a[12] = b.12 ^ (~b.13 & b.14); a[13] = b.13 ^ (~b.14 & b.10); a[14] = b.14 ^ (~b.10 & b.11)
            a[15] = b.15 ^ (~b.16 & b.17); a[16] = b.16 ^ (~b.17 & b.18); a[17] = b.17 ^ (~b.18 & b.19); a[18] = b.18 ^ (~b.19 & b.15); a[19] = b.19 ^ (~b.15 & b.16)
            a[20] = b.20 ^ (~b.21 & b.22); a[21] = b.21 ^ (~b.22 & b.23); a[22] = b.22 ^ (~b.23 & b.24); a[23] = b.23 ^ (~b.24 & b.20); a[24] = b.24 ^ (~b.20 & b.21)
            // ι
            a[0] ^= roundConstants[round]
        }
    }
}
