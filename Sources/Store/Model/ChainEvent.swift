import AgentCards
import EthereumCore

/// Which kind of contract revealed an agent.
public enum SourceKind: String, Sendable, Hashable, CaseIterable {
    /// A factory that deployed the agent (`AgentCreated`).
    case factory
    /// A registry the agent enrolled in (`AgentRegistered`), open or curated.
    case registry
    /// An ERC-8004 Identity Registry whose NFT the agent is.
    case erc8004
}

/// How a card version was obtained.
public enum CardOrigin: String, Sendable, Hashable {
    /// From an `AgentCardUpdated` log.
    case log
    /// From `eth_call getAgentCard()` at the registration block.
    case call
    /// From `eth_call getAgentCard()` at `latest`, because the node lacked the historical state.
    case callLatest = "call-latest"
}

/// One version of an agent's card as the follower saw it: the raw bytes and the outcome of
/// decoding them. An invalid version keeps its bytes (if any) and the reason.
public struct CardVersion: Sendable, Hashable {
    public var origin: CardOrigin
    /// The ABI encoding of `(AgentCard)`, or empty when no bytes could be read.
    public var raw: [UInt8]
    /// The decoded card, or the reason it is not usable.
    public let outcome: Result<AgentCard, CardRejection>
    /// The rows a valid card is stored and searched by, computed with the card (``CardRows``).
    public let rows: CardRows?

    public init(origin: CardOrigin, raw: [UInt8], outcome: Result<AgentCard, CardRejection>) {
        self.origin = origin
        self.raw = raw
        self.outcome = outcome
        self.rows = try? CardRows(outcome.get())
    }
}

/// Why a card version is not usable; shown by `agentindex status` and the API.
public struct CardRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A decoded event about one agent, in the shape the store keeps.
///
/// The follower turns logs into these; the store persists them with their provenance and derives
/// each touched agent's state (owner, active flag, sources, current card) from them.
public struct ChainEvent: Sendable, Hashable {
    public enum Payload: Sendable, Hashable {
        /// A factory created the agent.
        case created(factory: EthereumAddress, owner: EthereumAddress)
        /// The agent enrolled in a registry; `owner` is the enrolling owner.
        case registered(registry: EthereumAddress, owner: EthereumAddress)
        case unregistered(registry: EthereumAddress)
        case approved(registry: EthereumAddress)
        case revoked(registry: EthereumAddress)
        /// A card version (from a log, or read with `eth_call` at registration). Boxed: a
        /// decoded card is hundreds of bytes, and inline it would size every event (a payment's
        /// included) to it.
        indirect case card(CardVersion, owner: EthereumAddress?)
        case activeChanged(Bool)
        case ownershipTransferred(newOwner: EthereumAddress)
        case heartbeat(timestamp: UInt64)
        /// `PaymentReceived(payer, asset, amount)`: the native coin when `asset` is zero, else an
        /// ERC-20 moved by `pay()`.
        case paymentReceived(payer: EthereumAddress, asset: EthereumAddress, amount: UInt256)
        /// `Rated(rater, score, comment)`.
        case rated(rater: EthereumAddress, score: UInt8, comment: String)
    }

    public var provenance: Provenance
    /// The contract that emitted the log (a factory, a registry or the agent itself).
    public var emitter: EthereumAddress
    public var agent: EthereumAddress
    public var payload: Payload

    public init(provenance: Provenance, emitter: EthereumAddress, agent: EthereumAddress, payload: Payload) {
        self.provenance = provenance
        self.emitter = emitter
        self.agent = agent
        self.payload = payload
    }
}

/// Everything the follower learned from one block range of one chain, committed atomically
/// with the cursor by ``AgentStore/apply(_:)``.
public struct RangeBatch: Sendable {
    public var chainID: UInt64
    public var fromBlock: UInt64
    public var toBlock: UInt64
    /// Events in chain order.
    public var events: [ChainEvent]
    /// Transfers of watched tokens to watched recipients (a `payTo`, or an agent contract), in
    /// chain order. The store attributes them to agents.
    public var transfers: [TokenTransfer]
    /// Headers of the blocks that hold payments or ratings, and of `toBlock`.
    public var blocks: [BlockStamp]
    /// The newest head the follower has seen (for lag reporting).
    public var headBlock: UInt64
    /// True when `toBlock` is the follower's target (head − confirmations): the store then also
    /// refreshes every agent's time-dependent score once per chain day.
    public var reachesTarget: Bool
    /// Number, hash and parent of blocks in the range that may still be reorganised (every block
    /// near the head, the last block of a backfill range): what reorg detection compares with.
    public var links: [BlockLink]
    /// Links below this block are final and are forgotten.
    public var finalizedBlock: UInt64?
    /// Events of the ERC-8004 registries, in chain order.
    public var erc8004Events: [ERC8004Event]
    /// Far below the head in a long backfill, with more to come: the store may suspend its read
    /// indexes until a batch of no chain is bulk (``ReadIndexes``) and stages the batch's payments
    /// until a batch of this chain is not (``PaymentStaging``). Never with `reachesTarget`.
    public var bulk: Bool

    public init(chainID: UInt64, fromBlock: UInt64, toBlock: UInt64, events: [ChainEvent], transfers: [TokenTransfer] = [],
                blocks: [BlockStamp] = [], headBlock: UInt64, reachesTarget: Bool = false, links: [BlockLink] = [],
                finalizedBlock: UInt64? = nil, erc8004Events: [ERC8004Event] = [], bulk: Bool = false) {
        self.erc8004Events = erc8004Events
        self.bulk = bulk && !reachesTarget
        self.links = links
        self.finalizedBlock = finalizedBlock
        self.chainID = chainID
        self.fromBlock = fromBlock
        self.toBlock = toBlock
        self.events = events
        self.transfers = transfers
        self.blocks = blocks
        self.headBlock = headBlock
        self.reachesTarget = reachesTarget
    }
}

/// An ERC-20 `Transfer(from, to, value)` of a watched token.
public struct TokenTransfer: Sendable, Hashable {
    public var provenance: Provenance
    public var token: EthereumAddress
    public var from: EthereumAddress
    public var to: EthereumAddress
    public var value: UInt256
    /// The same transaction holds the token's EIP-3009 `AuthorizationUsed` by `from`: an x402
    /// settlement (`transferWithAuthorization`).
    public var authorized: Bool

    public init(provenance: Provenance, token: EthereumAddress, from: EthereumAddress, to: EthereumAddress,
                value: UInt256, authorized: Bool) {
        self.provenance = provenance
        self.token = token
        self.from = from
        self.to = to
        self.value = value
        self.authorized = authorized
    }
}

/// A block's number, hash and timestamp.
public struct BlockStamp: Sendable, Hashable {
    public var number: UInt64
    public var hash: [UInt8]
    public var timestamp: UInt64
    public init(number: UInt64, hash: [UInt8], timestamp: UInt64) {
        self.number = number
        self.hash = hash
        self.timestamp = timestamp
    }
}
