import EthereumCore
import Store

/// What the follower needs to know about one chain. Built from the YAML file and flags.
public struct ChainConfig: Sendable {
    public var name: String
    public var chainID: UInt64
    /// JSON-RPC endpoints in order of preference; a failing one hands over to the next.
    public var rpcURLs: [String]
    /// Time limit of one HTTP request.
    public var rpcTimeout: Duration = .seconds(30)
    /// Sends per request before a transient failure is given up (the first included).
    public var rpcAttempts: Int = 6
    /// Without a `finalized` tag from the node, blocks deeper than this below the head are final.
    public var reorgWindow: UInt64 = 64
    /// Index up to head − confirmations.
    public var confirmations: UInt64
    /// Seconds between head polls once caught up.
    public var pollInterval: Duration
    /// Largest block range per `eth_getLogs` round (providers' refusals shrink it).
    public var blockRange: UInt64
    /// Above this many agents (or payees), their logs are fetched by topic alone and matched
    /// here instead of being named in the filter (providers limit address lists).
    public var addressFilterLimit = 1_000
    public var factories: [SourceEndpoint]
    public var registries: [SourceEndpoint]
    /// ERC-8004 Identity, Reputation and Validation registries (at most one of each).
    public var erc8004: [ERC8004Registry]
    /// ERC-20 tokens whose payments count toward reputation.
    public var tokens: [EthereumAddress]
    /// Smallest counted payment per asset (the zero address is the native coin).
    public var dust: [EthereumAddress: UInt256]

    /// A factory or registry with the block to start from; `curated` nil means "ask the contract".
    public struct SourceEndpoint: Sendable, Hashable {
        public var address: EthereumAddress
        public var startBlock: UInt64
        public var curated: Bool?
        public init(address: EthereumAddress, startBlock: UInt64, curated: Bool? = nil) {
            self.address = address
            self.startBlock = startBlock
            self.curated = curated
        }
    }

    public init(name: String, chainID: UInt64, rpcURLs: [String], confirmations: UInt64 = 0,
                pollInterval: Duration = .seconds(2), blockRange: UInt64 = 2_000,
                factories: [SourceEndpoint] = [], registries: [SourceEndpoint] = [], erc8004: [ERC8004Registry] = [],
                tokens: [EthereumAddress] = [], dust: [EthereumAddress: UInt256] = [:]) {
        self.erc8004 = erc8004
        self.name = name
        self.chainID = chainID
        self.rpcURLs = rpcURLs
        self.confirmations = confirmations
        self.pollInterval = pollInterval
        self.blockRange = blockRange
        self.factories = factories
        self.registries = registries
        self.tokens = tokens
        self.dust = dust
    }

    /// The payment rules the store classifies with.
    public var paymentAssets: PaymentAssets { PaymentAssets(tokens: Set(tokens), dust: dust) }

    /// The first block any source needs.
    var startBlock: UInt64 { ((factories + registries).map(\.startBlock) + erc8004.map(\.startBlock)).min() ?? 0 }

    /// The configured ERC-8004 registry of `kind`, if any.
    public func erc8004Registry(_ kind: ERC8004Registry.Kind) -> ERC8004Registry? { erc8004.first { $0.kind == kind } }
}
