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
    /// The block's hash, held inline (no allocation per event or payment).
    public var blockWord: TopicWord
    /// The transaction's hash, held inline.
    public var transactionWord: TopicWord
    public var logIndex: UInt64

    /// The block's 32-byte hash.
    public var blockHash: [UInt8] { blockWord.bytes }
    /// The transaction's 32-byte hash.
    public var transactionHash: [UInt8] { transactionWord.bytes }

    public init(blockNumber: UInt64, blockWord: TopicWord, transactionWord: TopicWord, logIndex: UInt64) {
        self.blockNumber = blockNumber
        self.blockWord = blockWord
        self.transactionWord = transactionWord
        self.logIndex = logIndex
    }

    /// - Precondition: both hashes are 32 bytes (``ChainRPC/Log`` checks its own as it is read).
    public init(blockNumber: UInt64, blockHash: [UInt8], transactionHash: [UInt8], logIndex: UInt64) {
        guard let block = TopicWord(blockHash), let transaction = TopicWord(transactionHash) else {
            preconditionFailure("a block or transaction hash of \(blockHash.count) or \(transactionHash.count) bytes")
        }
        self.init(blockNumber: blockNumber, blockWord: block, transactionWord: transaction, logIndex: logIndex)
    }

    /// Chain order: by block, then by the log's index in its block.
    public static func < (lhs: Provenance, rhs: Provenance) -> Bool {
        (lhs.blockNumber, lhs.logIndex) < (rhs.blockNumber, rhs.logIndex)
    }
}
