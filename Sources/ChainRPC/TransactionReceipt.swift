import EthereumCore

/// What `eth_getTransactionReceipt` says of a mined transaction: whether it succeeded, its block,
/// and its logs (address, topics, data).
///
/// ```swift
/// if let receipt = try client.transactionReceipt(hash), receipt.succeeded {
///     receipt.logs.filter { $0.topics.first == transferTopic }
/// }
/// ```
public struct TransactionReceipt: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var address: EthereumAddress
        public var topics: [[UInt8]]
        public var data: [UInt8]
    }

    public var succeeded: Bool
    public var blockNumber: UInt64
    public var logs: [Entry]

    /// The most logs read from one receipt.
    public static let maxLogs = 4_096
}

extension JSONRPCClient {
    /// `eth_getTransactionReceipt`; nil when the node knows no such (mined) transaction.
    public func transactionReceipt(_ hash: [UInt8]) throws(RPCError) -> TransactionReceipt? {
        let value = try call("eth_getTransactionReceipt", [.string(Hex.encode(hash))])
        if value == .null { return nil }
        guard case .object = value else { throw .malformed("the receipt is not an object") }
        let status = try value["status"].map { v throws(RPCError) in try quantity(v, "receipt.status") } ?? 1
        let block = try quantity(value["blockNumber"] ?? .null, "receipt.blockNumber")
        var entries: [TransactionReceipt.Entry] = []
        for log in (value["logs"]?.arrayValue ?? []).prefix(TransactionReceipt.maxLogs) {
            guard let addressText = log["address"]?.stringValue, let address = try? EthereumAddress(addressText.lowercased()) else {
                throw .malformed("receipt log address")
            }
            var topics: [[UInt8]] = []
            for topic in log["topics"]?.arrayValue ?? [] {
                guard let text = topic.stringValue, let bytes = try? Hex.decode(text), bytes.count == 32 else { throw .malformed("receipt log topic") }
                topics.append(bytes)
            }
            entries.append(.init(address: address, topics: topics, data: try bytes(log["data"] ?? .string("0x"), "receipt log data")))
        }
        return TransactionReceipt(succeeded: status == 1, blockNumber: block, logs: entries)
    }
}
