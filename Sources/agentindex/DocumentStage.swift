import ChainRPC
import Documents
import EthereumCore
import Foundation
import Indexer
import Logging
import Store

/// The document fetcher as the commands run it: the config's fetch policy, and payment proofs
/// checked against the configured chains' RPC endpoints.
enum DocumentStage {
    /// A fetcher for `store`, or nil when the config turns fetching off.
    static func fetcher(store: AgentStore, config: AppConfig, logger: Logger) -> DocumentFetcher? {
        guard config.fetchEnabled else { return nil }
        return DocumentFetcher(store: store, policy: config.fetch, payments: ChainPaymentLookup(chains: config.chains),
                               logger: Logger(label: "agentindex.documents"))
    }
}

/// Checks feedback files' payment proofs with `eth_getTransactionReceipt` on the configured
/// chains: the `Transfer`s of the chain's configured payment tokens in the transaction.
struct ChainPaymentLookup: PaymentLookup {
    private let chains: [UInt64: (client: JSONRPCClient, tokens: Set<EthereumAddress>)]
    private static let transferTopic = Keccak256.hash(Array("Transfer(address,address,uint256)".utf8))

    init(chains: [ChainConfig]) {
        var map: [UInt64: (JSONRPCClient, Set<EthereumAddress>)] = [:]
        for chain in chains where !chain.rpcURLs.isEmpty {
            map[chain.chainID] = (JSONRPCClient(urls: chain.rpcURLs, maxConcurrentRequests: 2), Set(chain.tokens))
        }
        self.chains = map
    }

    func transfers(chainID: UInt64, transaction: [UInt8]) throws -> TransactionTransfers? {
        guard let chain = chains[chainID] else { return nil }
        guard let receipt = try chain.client.transactionReceipt(transaction) else { return .unknown }
        guard receipt.succeeded else { return .reverted }
        let moves = receipt.logs.compactMap { log -> TokenMove? in
            guard chain.tokens.contains(log.address), log.topics.count == 3, log.topics[0] == Self.transferTopic, log.data.count == 32,
                  let from = try? EthereumAddress(word: log.topics[1]), let to = try? EthereumAddress(word: log.topics[2]),
                  let value = UInt256(bigEndian: log.data) else { return nil }
            return TokenMove(token: log.address, from: from, to: to, value: value)
        }
        return .moved(moves)
    }
}
