import AgentCards
import EthereumCore

/// What the follower watches for payments: token contracts, and the addresses whose incoming
/// transfers are payments to an agent.
///
/// Tokens are the configured ones plus every asset a card names (stored, but counted only when
/// configured). Recipients are every `payTo` a card names, every wallet an ERC-8004 agent set,
/// and every agent contract no followed factory made (a factory's agents report `pay()` with
/// `PaymentReceived`; any other contract's report needs the token's `Transfer` to back it).
public struct PaymentWatch: Sendable, Hashable {
    public var tokens: Set<EthereumAddress>
    /// The recipients as they stand in a transfer's topic: what the follower's sieve matches
    /// dropped transfers against without converting anything. The one set of recipients kept
    /// (100,000 of them at 100k agents).
    public private(set) var recipientWords: Set<TopicWord>

    public init(tokens: Set<EthereumAddress> = [], recipients: Set<EthereumAddress> = []) {
        self.tokens = tokens
        recipientWords = Set(recipients.map(TopicWord.init(address:)))
    }

    /// The recipients watched, in byte order (built on each call: for filters and tests, not
    /// for a hot path, which asks ``watches(recipient:)``).
    public var recipients: [EthereumAddress] { recipientWords.compactMap(\.address).sorted() }

    /// How many recipients are watched.
    public var recipientCount: Int { recipientWords.count }

    /// Whether transfers to `recipient` are watched.
    public func watches(recipient: EthereumAddress) -> Bool {
        recipientWords.contains(TopicWord(address: recipient))
    }

    /// Watches transfers to `recipient`.
    public mutating func insert(recipient: EthereumAddress) {
        recipientWords.insert(TopicWord(address: recipient))
    }

    /// Adds what the range's valid cards name, and the agents only a registry revealed.
    public mutating func add(_ events: [ChainEvent], registryOnly: [EthereumAddress]) {
        for event in events {
            guard case .card(let version, _) = event.payload, case .success(let card) = version.outcome else { continue }
            for terms in card.payments {
                insert(recipient: terms.payTo)
                if terms.asset != .zero { tokens.insert(terms.asset) }
            }
        }
        for agent in registryOnly { insert(recipient: agent) }
    }

    /// Adds everything `other` watches: its tokens and its recipients.
    ///
    /// ```swift
    /// var watch = PaymentWatch(tokens: [usdc])
    /// watch.formUnion(PaymentWatch(recipients: [payTo]))   // usdc, to payTo
    /// ```
    public mutating func formUnion(_ other: PaymentWatch) {
        tokens.formUnion(other.tokens)
        recipientWords.formUnion(other.recipientWords)
    }

    /// Adds the wallets the range's ERC-8004 agents set.
    public mutating func add(_ events: [ERC8004Event]) {
        for event in events {
            if let wallet = event.walletSet { insert(recipient: wallet) }
        }
    }
}
