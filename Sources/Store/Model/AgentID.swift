import EthereumCore

/// The public identifier of an agent.
///
/// - A contract agent: `eip155:<chainId>:<checksummed address>` (CAIP-10).
/// - An ERC-8004 agent: `eip155:<chainId>/erc721:<checksummed identity registry>/<agentId>` (CAIP-19:
///   the agent is the registry's NFT).
///
/// ```swift
/// AgentID(chainID: 31337, address: agent).description        // "eip155:31337:0x5a75…"
/// AgentID(chainID: 1, token: TokenAgent(registry: identity, tokenID: UInt256(7))).description
///                                                             // "eip155:1/erc721:0x8004A169…a432/7"
/// AgentID(parsing: "eip155:1/erc721:0x8004a169fb4a3325136eb29fa0ceb6d2e539a432/7")   // any case
/// ```
public struct AgentID: Hashable, Sendable, CustomStringConvertible {
    /// What the id names on its chain.
    public enum Reference: Hashable, Sendable {
        /// An agent contract.
        case contract(EthereumAddress)
        /// An agent of an ERC-8004 Identity Registry.
        case token(TokenAgent)
    }

    public var chainID: UInt64
    public var reference: Reference

    public init(chainID: UInt64, address: EthereumAddress) {
        self.chainID = chainID
        self.reference = .contract(address)
    }

    public init(chainID: UInt64, token: TokenAgent) {
        self.chainID = chainID
        self.reference = .token(token)
    }

    /// Parses either form; addresses may be in any case, the agent id is a decimal integer.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let chainParts = parts[0].split(separator: ":", omittingEmptySubsequences: false)
        guard chainParts.count >= 2, chainParts[0] == "eip155", let chain = UInt64(chainParts[1]), chain <= UInt64(Int64.max) else { return nil }
        switch parts.count {
        case 1:
            guard chainParts.count == 3, let address = try? EthereumAddress(String(chainParts[2]).lowercased()) else { return nil }
            self.init(chainID: chain, address: address)
        case 3:
            let asset = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard chainParts.count == 2, asset.count == 2, asset[0] == "erc721",
                  let registry = try? EthereumAddress(String(asset[1]).lowercased()),
                  parts[2].allSatisfy(\.isASCII), parts[2].allSatisfy(\.isNumber), !parts[2].isEmpty, parts[2].count <= 78,
                  let tokenID = UInt256(decimal: parts[2]) else { return nil }
            self.init(chainID: chain, token: TokenAgent(registry: registry, tokenID: tokenID))
        default:
            return nil
        }
    }

    public var description: String {
        switch reference {
        case .contract(let address): "eip155:\(chainID):\(address.checksummed)"
        case .token(let token): "eip155:\(chainID)/erc721:\(token.registry.checksummed)/\(token.tokenID)"
        }
    }

    /// The key the store files this agent under (`agent.address`, `payment.agent`, …).
    public var storeKey: String {
        switch reference {
        case .contract(let address): address.lowercased
        case .token(let token): token.storeKey
        }
    }
}

/// An ERC-8004 agent: token `tokenID` of the Identity Registry `registry`.
public struct TokenAgent: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var registry: EthereumAddress
    public var tokenID: UInt256

    public init(registry: EthereumAddress, tokenID: UInt256) {
        self.registry = registry
        self.tokenID = tokenID
    }

    /// Parses a ``storeKey``; nil for a contract agent's key (a bare address).
    public init?(storeKey: String) {
        guard let slash = storeKey.firstIndex(of: "/"), let registry = try? EthereumAddress(storeKey[..<slash]),
              let tokenID = UInt256(decimal: storeKey[storeKey.index(after: slash)...]) else { return nil }
        self.init(registry: registry, tokenID: tokenID)
    }

    /// `<registry, lowercase>/<tokenID>`: the store's key. A contract agent's key is its bare
    /// address, so the two never collide.
    public var storeKey: String { registry.lowercased + "/" + tokenID.description }

    /// The spec's registry id: `eip155:<chainId>:<registry>`.
    public func registryID(chainID: UInt64) -> String { "eip155:\(chainID):\(registry.checksummed)" }

    public var description: String { storeKey }

    public static func < (a: TokenAgent, b: TokenAgent) -> Bool { (a.registry, a.tokenID) < (b.registry, b.tokenID) }
}
