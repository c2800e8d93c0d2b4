import EthereumCore
import Store

/// What the follower needs to know about one chain. Built from the YAML file and flags.
public struct ChainConfig: Sendable {
    public var name: String
    public var chainID: UInt64
    /// JSON-RPC endpoints; the first is used (failover comes with the fault-tolerance work).
    public var rpcURLs: [String]
    /// Index up to head − confirmations.
    public var confirmations: UInt64
    /// Seconds between head polls once caught up.
    public var pollInterval: Duration
    /// Largest block range per `eth_getLogs` round.
    public var blockRange: UInt64
    public var factories: [SourceEndpoint]
    public var registries: [SourceEndpoint]
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
                factories: [SourceEndpoint] = [], registries: [SourceEndpoint] = [], tokens: [EthereumAddress] = [],
                dust: [EthereumAddress: UInt256] = [:]) {
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
    var startBlock: UInt64 { (factories + registries).map(\.startBlock).min() ?? 0 }
}
