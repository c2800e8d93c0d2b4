import EthereumCore

/// A position in the chain: block number, then log index.
public struct ChainPosition: Sendable, Hashable, Comparable {
    public var block: UInt64
    public var logIndex: UInt64
    public init(block: UInt64, logIndex: UInt64) { self.block = block; self.logIndex = logIndex }
    public static func < (a: ChainPosition, b: ChainPosition) -> Bool { (a.block, a.logIndex) < (b.block, b.logIndex) }
}

/// The moment a reputation is computed at: a block and its timestamp (seconds since 1970).
public struct ReputationClock: Sendable, Hashable {
    public var block: UInt64
    public var timestamp: UInt64
    public init(block: UInt64, timestamp: UInt64) { self.block = block; self.timestamp = timestamp }
}

/// One stored payment to an agent, as the metrics read it.
public struct PaymentRecord: Sendable, Hashable {
    public var position: ChainPosition
    /// The block's timestamp, when the follower fetched its header.
    public var timestamp: UInt64?
    public var payer: EthereumAddress
    public var asset: EthereumAddress
    public var amount: UInt256
    /// Whether the payment counts toward reputation (see ``PaymentRules``).
    public var counted: Bool

    public init(position: ChainPosition, timestamp: UInt64?, payer: EthereumAddress, asset: EthereumAddress,
                amount: UInt256, counted: Bool) {
        self.position = position; self.timestamp = timestamp; self.payer = payer; self.asset = asset
        self.amount = amount; self.counted = counted
    }
}

/// One `Rated(rater, score, comment)` log.
public struct RatingRecord: Sendable, Hashable {
    public var position: ChainPosition
    public var rater: EthereumAddress
    /// 1…5 (the contract enforces it; other values are ignored).
    public var score: UInt8

    public init(position: ChainPosition, rater: EthereumAddress, score: UInt8) {
        self.position = position; self.rater = rater; self.score = score
    }
}

/// The last `Heartbeat` an agent sent.
public struct HeartbeatRecord: Sendable, Hashable {
    public var block: UInt64
    /// The timestamp the agent logged.
    public var timestamp: UInt64
    public init(block: UInt64, timestamp: UInt64) { self.block = block; self.timestamp = timestamp }
}

/// One ERC-8004 `NewFeedback`, as the metrics read it.
public struct FeedbackRecord: Sendable, Hashable {
    public var position: ChainPosition
    public var client: EthereumAddress
    public var value: FeedbackValue
    public var tag1: String
    public var tag2: String
    /// The block of the client's `FeedbackRevoked`, when it revoked this feedback.
    public var revokedAtBlock: UInt64?

    public init(position: ChainPosition, client: EthereumAddress, value: FeedbackValue, tag1: String = "", tag2: String = "",
                revokedAtBlock: UInt64? = nil) {
        self.position = position; self.client = client; self.value = value; self.tag1 = tag1; self.tag2 = tag2
        self.revokedAtBlock = revokedAtBlock
    }
}
