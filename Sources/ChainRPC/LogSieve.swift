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
    public let topic0: Word
    /// The recipients whose transfers are kept, as 32-byte topic words.
    public let recipients: Set<Word>

    /// Sieves the logs of `topic0` by their recipient (topic 2).
    public init(topic0: [UInt8], recipients: some Sequence<EthereumAddress>) {
        self.topic0 = Word(topic0) ?? Word()
        self.recipients = Set(recipients.map { Word(address: $0.bytes) })
    }

    /// Whether a log with these topics (`count` of them; `first` and `third` when present) is dropped.
    func drops(count: Int, first: Word?, third: Word?) -> Bool {
        guard count == 3, let first, let third, first == topic0, third.isAddress else { return false }
        return !recipients.contains(third)
    }

    /// 32 bytes held inline (no allocation), big-endian in four words.
    public struct Word: Hashable, Sendable {
        var parts: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        init() {}

        /// The word of 32 bytes; nil for another length.
        init?(_ bytes: [UInt8]) {
            guard bytes.count == 32 else { return nil }
            parts = (Self.load(bytes, 0, 8), Self.load(bytes, 8, 8), Self.load(bytes, 16, 8), Self.load(bytes, 24, 8))
        }

        /// An address (20 bytes) left-padded with zeros, as it stands in a topic.
        init(address bytes: [UInt8]) {
            parts = (0, Self.load(bytes, 0, 4), Self.load(bytes, 4, 8), Self.load(bytes, 12, 8))
        }

        /// `count` bytes from `offset`, big-endian.
        private static func load(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in offset..<(offset + count) { value = value << 8 | UInt64(bytes[index]) }
            return value
        }

        /// Reads 64 hex digits from `text` (no prefix); nil when any is not a hex digit.
        init?(hexDigits text: ArraySlice<UInt8>) {
            guard text.count == 64 else { return nil }
            var values: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            var index = text.startIndex
            for part in 0..<4 {
                var value: UInt64 = 0
                for _ in 0..<16 {
                    guard let nibble = Hex.nibble(text[index]) else { return nil }
                    value = value << 4 | UInt64(nibble)
                    index += 1
                }
                switch part {
                case 0: values.0 = value
                case 1: values.1 = value
                case 2: values.2 = value
                default: values.3 = value
                }
            }
            parts = values
        }

        /// Twelve zero bytes first: the word holds an address.
        var isAddress: Bool { parts.0 == 0 && parts.1 >> 32 == 0 }

        public static func == (a: Word, b: Word) -> Bool { a.parts == b.parts }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(parts.0)
            hasher.combine(parts.1)
            hasher.combine(parts.2)
            hasher.combine(parts.3)
        }
    }
}
