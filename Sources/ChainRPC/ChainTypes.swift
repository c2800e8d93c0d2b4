import EthereumCore

/// A block by number or by the node's named tags.
public enum BlockTag: Hashable, Sendable {
    case number(UInt64)
    case latest, safe, finalized, earliest

    var json: JSONValue {
        switch self {
        case .number(let n): return .string("0x" + String(n, radix: 16))
        case .latest: return .string("latest")
        case .safe: return .string("safe")
        case .finalized: return .string("finalized")
        case .earliest: return .string("earliest")
        }
    }
}

/// The header fields the follower needs: identity, parent link, time, bloom.
public struct BlockHeader: Hashable, Sendable {
    public let number: UInt64
    public let hash: [UInt8]
    public let parentHash: [UInt8]
    public let timestamp: UInt64
    /// The 2048-bit bloom of the block's log addresses and topics (nil when the node omits it).
    public let logsBloom: LogsBloom?

    init(json: JSONValue) throws(RPCError) {
        number = try quantity(json["number"] ?? .null, "block.number")
        hash = try ChainRPC.hash(json["hash"], "block.hash")
        parentHash = try ChainRPC.hash(json["parentHash"], "block.parentHash")
        timestamp = try quantity(json["timestamp"] ?? .null, "block.timestamp")
        logsBloom = json["logsBloom"]?.stringValue.flatMap { try? Hex.decode($0) }.flatMap(LogsBloom.init(bytes:))
    }
}

/// An `eth_getLogs` filter: a block range (or one block hash), addresses, topic positions.
public struct LogFilter: Hashable, Sendable {
    public var fromBlock: UInt64?
    public var toBlock: UInt64?
    public var blockHash: [UInt8]?
    public var addresses: [EthereumAddress]
    /// Per position: nil matches anything, else any of the listed topics.
    public var topics: [[[UInt8]]?]

    public init(fromBlock: UInt64, toBlock: UInt64, addresses: [EthereumAddress] = [], topics: [[[UInt8]]?] = []) {
        self.fromBlock = fromBlock
        self.toBlock = toBlock
        self.addresses = addresses
        self.topics = topics
    }

    public init(blockHash: [UInt8], addresses: [EthereumAddress] = [], topics: [[[UInt8]]?] = []) {
        self.blockHash = blockHash
        self.addresses = addresses
        self.topics = topics
    }

    var json: JSONValue {
        var members: [(String, JSONValue)] = []
        if let blockHash { members.append(("blockHash", .string(Hex.encode(blockHash)))) }
        if let fromBlock { members.append(("fromBlock", BlockTag.number(fromBlock).json)) }
        if let toBlock { members.append(("toBlock", BlockTag.number(toBlock).json)) }
        if !addresses.isEmpty { members.append(("address", .array(addresses.map { .string($0.lowercased) }))) }
        if !topics.isEmpty {
            members.append(("topics", .array(topics.map { position in
                position.map { .array($0.map { .string(Hex.encode($0)) }) } ?? .null
            })))
        }
        return .object(members)
    }
}

/// One log with its full provenance.
///
/// Its topics and hashes are held as inline 32-byte words (``TopicWord``): a log read ahead costs
/// its data's array and one topic list, not an array per topic and per hash.
public struct Log: Hashable, Sendable {
    public let address: EthereumAddress
    public let topics: [TopicWord]
    public let data: [UInt8]
    public let blockNumber: UInt64
    /// The block's hash as a word (``blockHash`` as bytes).
    public let blockWord: TopicWord
    /// The transaction's hash as a word (``transactionHash`` as bytes).
    public let transactionWord: TopicWord
    public let transactionIndex: UInt64
    public let logIndex: UInt64
    public let removed: Bool
    /// The block's timestamp, when the node includes it in logs (Geth ≥ 1.16, Reth and the
    /// execution-apis spec since 2025); saves fetching the header for it.
    public let blockTimestamp: UInt64?

    /// The block's hash: 32 bytes.
    public var blockHash: [UInt8] { blockWord.bytes }
    /// The transaction's hash: 32 bytes.
    public var transactionHash: [UInt8] { transactionWord.bytes }

    /// A log's members as ``LogsAnswerReader`` finds them, before the checks ``init(_:)`` makes.
    struct Fields {
        var address: [UInt8]?
        var topics: [TopicWord]?
        var data: [UInt8]?
        var blockNumber: UInt64?
        var blockHash: TopicWord?
        var transactionHash: TopicWord?
        var transactionIndex: UInt64?
        var logIndex: UInt64?
        var removed = false
        var blockTimestamp: UInt64?
    }

    init(_ fields: Fields) throws(RPCError) {
        guard let addressBytes = fields.address, let address = try? EthereumAddress(bytes: addressBytes) else {
            throw .malformed("log.address is not an address")
        }
        guard let topics = fields.topics else { throw .malformed("log.topics") }
        guard let data = fields.data else { throw .malformed("log.data is not hex data") }
        guard let blockNumber = fields.blockNumber else { throw .malformed("log.blockNumber is not a hex quantity") }
        guard let blockHash = fields.blockHash else { throw .malformed("log.blockHash is not 32 bytes") }
        guard let transactionHash = fields.transactionHash else { throw .malformed("log.transactionHash is not 32 bytes") }
        guard let transactionIndex = fields.transactionIndex else { throw .malformed("log.transactionIndex is not a hex quantity") }
        guard let logIndex = fields.logIndex else { throw .malformed("log.logIndex is not a hex quantity") }
        self.address = address
        self.topics = topics
        self.data = data
        self.blockNumber = blockNumber
        self.blockWord = blockHash
        self.transactionWord = transactionHash
        self.transactionIndex = transactionIndex
        self.logIndex = logIndex
        self.removed = fields.removed
        self.blockTimestamp = fields.blockTimestamp
    }
}
