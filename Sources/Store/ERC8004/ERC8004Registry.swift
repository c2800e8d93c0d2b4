import EthereumCore

/// An ERC-8004 registry the follower watches on a chain, from the configuration.
///
/// ```swift
/// let identity = ERC8004Registry(kind: .identity, address: registry, startBlock: 24_339_924)
/// ```
public struct ERC8004Registry: Sendable, Hashable {
    /// Which of the three registries it is.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The ERC-721 registry whose tokens are the agents.
        case identity
        /// Feedback from clients (`NewFeedback`, `FeedbackRevoked`, `ResponseAppended`).
        case reputation
        /// Validation requests and responses.
        case validation
    }

    public var kind: Kind
    public var address: EthereumAddress
    public var startBlock: UInt64

    public init(kind: Kind, address: EthereumAddress, startBlock: UInt64) {
        self.kind = kind
        self.address = address
        self.startBlock = startBlock
    }
}
