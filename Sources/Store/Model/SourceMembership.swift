/// An agent's standing in one factory or registry (or ERC-8004 Identity Registry), folded from
/// that source's events.
public struct SourceMembership: Sendable, Hashable {
    /// The standing after the source's latest event about the agent.
    public enum Status: String, Sendable, Hashable {
        /// Deployed by a factory: listed for good.
        case created
        /// Enrolled in an open registry: listed.
        case registered
        /// Enrolled in a curated registry and not yet approved: not listed.
        case pending
        /// Approved by a curated registry's curator: listed.
        case approved
        /// Revoked by the curator: not listed.
        case revoked
        /// Left the registry: not listed.
        case unregistered
        /// An ERC-8004 agent whose NFT was burned: not listed.
        case burned
    }

    /// The source contract, lowercase hex.
    public var source: String
    public var kind: SourceKind
    public var status: Status
    public var blockNumber: Int64
    public var logIndex: Int64
    public var blockHash: String
    public var transactionHash: String

    /// Whether this source lists the agent.
    public var listed: Bool {
        switch status {
        case .created, .registered, .approved: true
        case .pending, .revoked, .unregistered, .burned: false
        }
    }
}
