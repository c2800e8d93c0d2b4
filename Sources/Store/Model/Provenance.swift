import EthereumCore

/// Where a chain-derived row came from: the log that carried it.
///
/// Every stored event, card version and source membership carries its provenance, so a reorg
/// is a delete above a block and an export can say exactly which log produced a value.
///
/// ```swift
/// let origin = Provenance(blockNumber: 42, blockHash: hash, transactionHash: tx, logIndex: 3)
/// ```
public struct Provenance: Hashable, Sendable, Comparable {
    public var blockNumber: UInt64
    public var blockHash: [UInt8]
    public var transactionHash: [UInt8]
    public var logIndex: UInt64

    public init(blockNumber: UInt64, blockHash: [UInt8], transactionHash: [UInt8], logIndex: UInt64) {
        self.blockNumber = blockNumber
        self.blockHash = blockHash
        self.transactionHash = transactionHash
        self.logIndex = logIndex
    }

    /// Chain order: by block, then by the log's index in its block.
    public static func < (lhs: Provenance, rhs: Provenance) -> Bool {
        (lhs.blockNumber, lhs.logIndex) < (rhs.blockNumber, rhs.logIndex)
    }
}
