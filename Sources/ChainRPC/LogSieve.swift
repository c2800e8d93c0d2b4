import EthereumCore

/// Which logs of an `eth_getLogs` answer are worth building: a busy token's transfers mostly go
/// to nobody followed, and such a log is counted and dropped as it is read — from its topics'
/// hex, before its data, hashes or address are decoded, and without allocating.
///
/// A log is dropped when it has exactly three topics, its first is ``topic0``, and its third
/// is a clean address word (twelve zero bytes first) not among ``recipients``. Anything else is
/// kept, a malformed log included: the decoder reports it.
///
/// ```swift
/// let sieve = LogSieve(topic0: transferTopic0, recipients: watchedPayees)
/// let answer = try JSONRPCClient.readLogs(body, sieve: sieve)   // answer.read ≥ answer.logs.count
/// ```
public struct LogSieve: Sendable {
    /// The event whose logs are sieved (ERC-20 `Transfer`).
    public let topic0: TopicWord?
    /// The recipients whose transfers are kept, as topic words.
    public let recipients: Set<TopicWord>

    /// Sieves the logs of `topic0` by their recipient (topic 2): `recipients` as topic words
    /// (``Store/PaymentWatch`` keeps them so; nothing is converted per range).
    public init(topic0: [UInt8], recipients: Set<TopicWord>) {
        self.topic0 = TopicWord(topic0)
        self.recipients = recipients
    }

    /// Sieves the logs of `topic0` by their recipient (topic 2).
    public init(topic0: [UInt8], recipients: some Sequence<EthereumAddress>) {
        self.init(topic0: topic0, recipients: Set(recipients.map(TopicWord.init(address:))))
    }

    /// Whether a log with these topics (`count` of them; `first` and `third` when present) is dropped.
    func drops(count: Int, first: TopicWord?, third: TopicWord?) -> Bool {
        guard count == 3, let first, let third, first == topic0, third.isAddress else { return false }
        return !recipients.contains(third)
    }
}
