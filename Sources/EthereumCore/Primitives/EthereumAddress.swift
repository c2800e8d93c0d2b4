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
    /// The 20 raw bytes.
    public let bytes: [UInt8]

    /// The zero address, used for "native coin" and "no address".
    public static let zero = EthereumAddress(unchecked: [UInt8](repeating: 0, count: 20))

    /// Wraps 20 bytes. - Throws: ``AddressError/wrongLength(_:)`` for any other length.
    public init(bytes: [UInt8]) throws(AddressError) {
        guard bytes.count == 20 else { throw .wrongLength(bytes.count) }
        self.bytes = bytes
    }

    init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// Parses `0x` + 40 hex digits; mixed case must be a valid EIP-55 checksum.
    public init(_ text: some StringProtocol) throws(AddressError) {
        if let fast = text.utf8.withContiguousStorageIfAvailable(Self.plainHex) ?? nil {
            self.bytes = fast
            return
        }
        let decoded: [UInt8]
        do { decoded = try Hex.decode(text) } catch { throw .invalidHex(error) }
        guard decoded.count == 20 else { throw .wrongLength(decoded.count) }
        self.bytes = decoded
        let digits = text.utf8.dropFirst(2)
        let hasLower = digits.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f") }
        let hasUpper = digits.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") }
        if hasLower && hasUpper && String(text) != checksummed {
            throw .badChecksum
        }
    }

    /// The bytes of `0x` + 40 hex digits in one case (no checksum to verify), else nil: the
    /// common case (stored lowercase addresses) in one pass, with no error to build.
    private static func plainHex(_ utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard utf8.count == 42, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X") else {
            return nil
        }
        var letters: UInt8 = 0   // bit 0: a lowercase letter seen, bit 1: an uppercase one
        var bytes = [UInt8](repeating: 0, count: 20)
        for i in 0..<20 {
            let high = utf8[2 + 2 * i], low = utf8[3 + 2 * i]
            guard let h = Hex.nibble(high), let l = Hex.nibble(low) else { return nil }
            letters |= Self.letterCase(high) | Self.letterCase(low)
            bytes[i] = h << 4 | l
        }
        return letters == 3 ? nil : bytes
    }

    private static func letterCase(_ c: UInt8) -> UInt8 {
        c >= UInt8(ascii: "a") ? 1 : c >= UInt8(ascii: "A") ? 2 : 0
    }

    /// The address as it appears in the low 20 bytes of a 32-byte ABI word or log topic.
    public init(word: some Collection<UInt8>) throws(AddressError) {
        guard word.count == 32 else { throw .wrongLength(word.count) }
        let w = Array(word)
        guard w[0..<12].allSatisfy({ $0 == 0 }) else { throw .dirtyHighBytes }
        self.bytes = Array(w[12..<32])
    }

    /// Lowercase `0x`-prefixed hex.
    public var lowercased: String { Hex.encode(bytes) }

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
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
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
