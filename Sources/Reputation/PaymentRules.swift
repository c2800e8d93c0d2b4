import EthereumCore

/// Why a stored payment does not count toward reputation.
///
/// Every payment the follower sees is stored; these reasons say why some of them are not
/// evidence that anybody trusted the agent.
public enum PaymentExclusion: String, Sendable, Hashable, CaseIterable {
    /// The payer is the agent contract itself or one of its own `payTo` addresses (an ERC-8004
    /// agent's own wallet).
    case fromSelf = "self"
    /// The payer owned the agent (an ERC-8004 agent's NFT) when it paid.
    case owner
    /// The asset is neither the native coin nor a configured token: anyone can deploy a
    /// token whose `Transfer` logs name any payer, so its payments prove nothing.
    case unlistedAsset = "unlisted-asset"
    /// A `PaymentReceived` from an agent contract no followed factory made, without a token
    /// `Transfer` in the same transaction to back it: the contract could emit anything.
    case selfReported = "self-reported"
    /// The `payTo` address is named by the payment terms of more than one agent (or is the wallet
    /// of several ERC-8004 agents), so the payment cannot be attributed to one of them.
    case sharedPayTo = "shared-payto"
    /// Below the configured dust threshold for the asset.
    case dust
}

/// What backs a payment.
public enum PaymentEvidence: String, Sendable, Hashable {
    /// A `Transfer` log of the token contract (an x402 settlement or a transfer to the agent),
    /// or a `PaymentReceived` matched by such a transfer in the same transaction.
    case tokenLog = "token-log"
    /// `PaymentReceived` from an agent a followed factory deployed: its code is known.
    case factoryAgentLog = "factory-agent-log"
    /// `PaymentReceived` from any other contract, unmatched by a token transfer.
    case agentLogOnly = "agent-log-only"
}

/// The facts about one payment that decide whether it counts.
public struct PaymentFacts: Sendable, Hashable {
    public var payer: EthereumAddress
    public var asset: EthereumAddress
    public var amount: UInt256
    /// The agent contract paid; nil for an ERC-8004 agent, which is paid to its wallet.
    public var agent: EthereumAddress?
    /// The agent's owner at the payment's position in the chain.
    public var owner: EthereumAddress?
    /// The `payTo` addresses of the agent's payment terms (an ERC-8004 agent's wallet) at the
    /// payment's position.
    public var payTo: Set<EthereumAddress>
    /// The native coin (zero address) or a token in the chain's configuration.
    public var assetIsListed: Bool
    /// The smallest amount that counts for this asset; nil means no threshold.
    public var dustThreshold: UInt256?
    public var evidence: PaymentEvidence
    /// How many agents' terms name the recipient address (0 or 1 unless it is shared).
    public var recipientClaimants: Int

    public init(payer: EthereumAddress, asset: EthereumAddress, amount: UInt256, agent: EthereumAddress?,
                owner: EthereumAddress?, payTo: Set<EthereumAddress>, assetIsListed: Bool,
                dustThreshold: UInt256?, evidence: PaymentEvidence, recipientClaimants: Int = 1) {
        self.payer = payer; self.asset = asset; self.amount = amount; self.agent = agent; self.owner = owner
        self.payTo = payTo; self.assetIsListed = assetIsListed; self.dustThreshold = dustThreshold
        self.evidence = evidence; self.recipientClaimants = recipientClaimants
    }
}

/// Decides whether a payment counts toward reputation.
///
/// ```swift
/// if let reason = PaymentRules.exclusion(facts) { store(counted: false, reason: reason.rawValue) }
/// ```
public enum PaymentRules {
    /// The first rule the payment breaks, in the order of ``PaymentExclusion``'s cases; nil when
    /// it counts.
    public static func exclusion(_ facts: PaymentFacts) -> PaymentExclusion? {
        if facts.payer == facts.agent || facts.payTo.contains(facts.payer) { return .fromSelf }   // agent nil: never equal
        if let owner = facts.owner, owner == facts.payer { return .owner }
        if !facts.assetIsListed { return .unlistedAsset }
        if facts.evidence == .agentLogOnly { return .selfReported }
        if facts.recipientClaimants > 1 { return .sharedPayTo }
        if let threshold = facts.dustThreshold, facts.amount < threshold { return .dust }
        return nil
    }
}
