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
        let lower = Hex.encode(bytes, prefix: false)
        let hash = Keccak256.hash(Array(lower.utf8))
        var out = "0x"
        out.reserveCapacity(42)
        for (i, ch) in lower.enumerated() {
            let nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0x0f
            out.append(ch.isLetter && nibble >= 8 ? Character(ch.uppercased()) : ch)
        }
        return out
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
