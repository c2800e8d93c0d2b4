import EthereumCore

/// A factory or registry the follower watches, from the configuration.
public struct SourceConfig: Sendable, Hashable {
    public var address: EthereumAddress
    public var kind: SourceKind
    public var startBlock: UInt64
    /// For registries: listing requires approval. Read from the contract or set in the config.
    public var curated: Bool

    public init(address: EthereumAddress, kind: SourceKind, startBlock: UInt64, curated: Bool = false) {
        self.address = address
        self.kind = kind
        self.startBlock = startBlock
        self.curated = curated
    }
}
