/// A 20-byte Ethereum account address.
///
/// Parsing accepts all-lowercase or all-uppercase hex, and mixed case only when it is a valid
/// EIP-55 checksum. ``checksummed`` formats the EIP-55 form.
///
/// ```swift
/// let a = try EthereumAddress("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
/// a.checksummed  // "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
/// ```
public struct EthereumAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 20 bytes, big-endian, held inline: bytes 0–7, 8–15 and 16–19 (in the low half). An
    /// address costs no allocation, and hashing or comparing one reads three integers: the
    /// follower keeps a hundred thousand of them in its watch sets and makes one for every
    /// party of every transfer.
    private let high: UInt64
    private let middle: UInt64
    private let low: UInt32

    /// The 20 raw bytes.
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 20) { buffer, count in
            self.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
            count = 20
        }
    }

    /// Calls `body` with the 20 raw bytes, without copying them into an array.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var raw = (high.bigEndian, middle.bigEndian, low.bigEndian)
        return try Swift.withUnsafeBytes(of: &raw) { try body(UnsafeRawBufferPointer(rebasing: $0[0..<20])) }
    }

    /// The zero address, used for "native coin" and "no address".
    public static let zero = EthereumAddress(high: 0, middle: 0, low: 0)

    private init(high: UInt64, middle: UInt64, low: UInt32) {
        self.high = high
        self.middle = middle
        self.low = low
    }

    /// Wraps 20 bytes. - Throws: ``AddressError/wrongLength(_:)`` for any other length.
    public init(bytes: [UInt8]) throws(AddressError) {
        guard bytes.count == 20 else { throw .wrongLength(bytes.count) }
        self.init(unchecked: bytes)
    }

    /// Wraps exactly 20 bytes (the caller checked the count).
    init(unchecked bytes: some Collection<UInt8>) {
        var high: UInt64 = 0, middle: UInt64 = 0, low: UInt32 = 0
        for (offset, byte) in bytes.enumerated() {
            switch offset {
            case 0..<8: high = high << 8 | UInt64(byte)
            case 8..<16: middle = middle << 8 | UInt64(byte)
            default: low = low << 8 | UInt32(byte)
            }
        }
        self.init(high: high, middle: middle, low: low)
    }

    /// Parses `0x` + 40 hex digits; mixed case must be a valid EIP-55 checksum.
    public init(_ text: some StringProtocol) throws(AddressError) {
        if let fast = text.utf8.withContiguousStorageIfAvailable(Self.plainHex) ?? nil {
            self = fast
            return
        }
        let decoded: [UInt8]
        do { decoded = try Hex.decode(text) } catch { throw .invalidHex(error) }
        guard decoded.count == 20 else { throw .wrongLength(decoded.count) }
        self.init(unchecked: decoded)
        let digits = text.utf8.dropFirst(2)
        let hasLower = digits.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f") }
        let hasUpper = digits.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") }
        if hasLower && hasUpper && String(text) != checksummed {
            throw .badChecksum
        }
    }

    /// The address of `0x` + 40 hex digits in one case (no checksum to verify), else nil: the
    /// common case (stored lowercase addresses) in one pass, with no error to build.
    private static func plainHex(_ utf8: UnsafeBufferPointer<UInt8>) -> EthereumAddress? {
        guard utf8.count == 42, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X") else {
            return nil
        }
        var letters: UInt8 = 0   // bit 0: a lowercase letter seen, bit 1: an uppercase one
        var parts: (UInt64, UInt64, UInt64) = (0, 0, 0)
        for i in 0..<20 {
            let high = utf8[2 + 2 * i], low = utf8[3 + 2 * i]
            guard let h = Hex.nibble(high), let l = Hex.nibble(low) else { return nil }
            letters |= Self.letterCase(high) | Self.letterCase(low)
            let byte = UInt64(h << 4 | l)
            switch i {
            case 0..<8: parts.0 = parts.0 << 8 | byte
            case 8..<16: parts.1 = parts.1 << 8 | byte
            default: parts.2 = parts.2 << 8 | byte
            }
        }
        return letters == 3 ? nil : EthereumAddress(high: parts.0, middle: parts.1, low: UInt32(parts.2))
    }

    private static func letterCase(_ c: UInt8) -> UInt8 {
        c >= UInt8(ascii: "a") ? 1 : c >= UInt8(ascii: "A") ? 2 : 0
    }

    /// The address as it appears in the low 20 bytes of a 32-byte ABI word or log topic.
    public init(word: some Collection<UInt8>) throws(AddressError) {
        guard word.count == 32 else { throw .wrongLength(word.count) }
        guard word.prefix(12).allSatisfy({ $0 == 0 }) else { throw .dirtyHighBytes }
        self.init(unchecked: word.dropFirst(12))
    }

    /// Lowercase `0x`-prefixed hex.
    public var lowercased: String { withUnsafeBytes { Hex.encode($0.bindMemory(to: UInt8.self)) } }

    /// The address in the low 20 bytes of a 32-byte word given as four big-endian words (``TopicWord``).
    init(topicParts parts: (UInt64, UInt64, UInt64, UInt64)) {
        self.init(high: parts.1 << 32 | parts.2 >> 32, middle: parts.2 << 32 | parts.3 >> 32, low: UInt32(truncatingIfNeeded: parts.3))
    }

    /// The address left-padded to 32 bytes, as four big-endian words (``TopicWord``).
    var topicParts: (UInt64, UInt64, UInt64, UInt64) {
        (0, high >> 32, high << 32 | middle >> 32, middle << 32 | UInt64(low))
    }

    /// The EIP-55 mixed-case checksum form.
    public var checksummed: String {
        var digits = Array(Hex.encode(bytes, prefix: false).utf8)
        let hash = Keccak256.hash(digits)
        for i in digits.indices where digits[i] >= UInt8(ascii: "a") {
            let nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0x0f
            if nibble >= 8 { digits[i] -= 32 }   // to uppercase
        }
        return "0x" + String(decoding: digits, as: UTF8.self)
    }

    /// The address left-padded to a 32-byte ABI word.
    public var word: [UInt8] { [UInt8](repeating: 0, count: 12) + bytes }

    public var description: String { checksummed }

    public static func < (lhs: EthereumAddress, rhs: EthereumAddress) -> Bool {
        (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)   // big-endian parts: byte order
    }
}

/// Why a value is not an address.
public enum AddressError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidHex(HexError)
    case wrongLength(Int)
    case badChecksum
    case dirtyHighBytes

    public var description: String {
        switch self {
        case .invalidHex(let e): return "invalid address: \(e)"
        case .wrongLength(let n): return "invalid address: expected 20 bytes, got \(n)"
        case .badChecksum: return "invalid address: mixed-case address fails its EIP-55 checksum"
        case .dirtyHighBytes: return "invalid address: the 12 high bytes of the word are not zero"
        }
    }
}
