import EthereumCore

/// A block header's `logsBloom`: 2048 bits, three set per log address and per topic (the
/// low 11 bits of the first three byte pairs of the item's keccak-256). A clear bit proves a
/// block has no such log; a set bit only says it may.
///
/// ```swift
/// let probe = LogsBloom.Probe(address: factory, topic: agentCreatedTopic)
/// if header.logsBloom?.mayContain(probe) == true { /* the block may hold that log */ }
/// ```
public struct LogsBloom: Hashable, Sendable {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 256 else { return nil }
        self.bytes = bytes
    }

    /// The bit positions of one bloom item.
    public static func bits(of item: [UInt8]) -> [Int] {
        let hash = Keccak256.hash(item)
        return (0..<3).map { (Int(hash[2 * $0]) << 8 | Int(hash[2 * $0 + 1])) & 2047 }
    }

    func isSet(_ bit: Int) -> Bool {
        bytes[255 - bit / 8] & (1 << UInt8(bit % 8)) != 0
    }

    /// A log emitted by one address with one topic (any position), as bloom bits.
    public struct Probe: Hashable, Sendable {
        let bits: [Int]
        public init(address: EthereumAddress, topic: [UInt8]) {
            bits = LogsBloom.bits(of: address.bytes) + LogsBloom.bits(of: topic)
        }
    }

    /// False when the block certainly holds no log emitted by `address`.
    public func mayContain(address: EthereumAddress) -> Bool {
        mayContain(bits: LogsBloom.bits(of: address.bytes))
    }

    /// False when some of `bits` (from ``bits(of:)``) is clear.
    public func mayContain(bits: [Int]) -> Bool {
        bits.allSatisfy(isSet)
    }

    /// False when the block certainly holds no log matching `probe`.
    public func mayContain(_ probe: Probe) -> Bool {
        probe.bits.allSatisfy(isSet)
    }
}
