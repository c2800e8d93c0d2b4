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
public struct Log: Hashable, Sendable {
    public let address: EthereumAddress
    public let topics: [[UInt8]]
    public let data: [UInt8]
    public let blockNumber: UInt64
    public let blockHash: [UInt8]
    public let transactionHash: [UInt8]
    public let transactionIndex: UInt64
    public let logIndex: UInt64
    public let removed: Bool

    init(json: JSONValue) throws(RPCError) {
        guard let addressText = json["address"]?.stringValue, let address = try? EthereumAddress(addressText) else {
            throw .malformed("log.address is not an address")
        }
        self.address = address
        guard let topicValues = json["topics"]?.arrayValue, topicValues.count <= 4 else { throw .malformed("log.topics") }
        var topics: [[UInt8]] = []
        for topic in topicValues { topics.append(try ChainRPC.hash(topic, "log.topic")) }
        self.topics = topics
        data = try bytes(json["data"] ?? .null, "log.data")
        blockNumber = try quantity(json["blockNumber"] ?? .null, "log.blockNumber")
        blockHash = try ChainRPC.hash(json["blockHash"], "log.blockHash")
        transactionHash = try ChainRPC.hash(json["transactionHash"], "log.transactionHash")
        transactionIndex = try quantity(json["transactionIndex"] ?? .null, "log.transactionIndex")
        logIndex = try quantity(json["logIndex"] ?? .null, "log.logIndex")
        removed = json["removed"] == .bool(true)
    }
}
