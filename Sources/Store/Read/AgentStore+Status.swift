import EthereumCore
import GRDB

/// How far the follower got on one chain, and what it found.
public struct ChainStatus: Sendable {
    public var chainID: UInt64
    public var name: String
    /// The last block whose range is committed; nil before the first.
    public var indexedBlock: UInt64?
    public var headBlock: UInt64?
    public var caughtUp: Bool
    /// The follower's last batch on this chain was bulk: the read indexes are suspended until it
    /// nears the head (``ReadIndexes``); answers are the same, some slower.
    public var bulkBackfill: Bool
    /// The block of the first payment a bulk backfill holds staged (``PaymentStaging``); nil when
    /// none is. The API's payment lists show payments below it, and reputations are answered at
    /// the block before it, until the backfill catches up.
    public var paymentsStagedFrom: UInt64?
    /// Agents known (listed or not, valid or not).
    public var agents: Int
    /// Agents a search can find: listed, with a valid card (active or not).
    public var searchable: Int
    /// Agents whose current card is invalid, with the reason.
    public var invalid: [(id: String, reason: String)]
    /// ERC-8004 agents (also counted in ``agents``).
    public var erc8004Agents: Int
    /// ERC-8004 agents whose registration file is behind a URI not fetched yet.
    public var pendingDocuments: Int
    /// The ERC-8004 registries followed, in kind order.
    public var erc8004Registries: [ERC8004Registry]
    /// The ERC-20 tokens whose payments count, in address order.
    public var tokens: [EthereumAddress]
}

extension AgentStore {
    /// The status of every chain in the database, by chain id.
    public func status() throws -> [ChainStatus] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT chain_id, name, indexed_block, head_block, caught_up, bulk FROM chain ORDER BY chain_id")
                .map { row in
                    let chain: Int64 = row[0]
                    let counts = try Row.fetchOne(db, sql: """
                        SELECT count(*), coalesce(sum(listed AND valid), 0), coalesce(sum(standard = 'erc8004'), 0),
                               coalesce(sum(document_status = 'pending'), 0)
                        FROM agent WHERE chain_id = ?
                        """, arguments: [chain])
                    let invalid = try Row.fetchAll(db, sql: """
                        SELECT agent_id, invalid_reason FROM agent WHERE chain_id = ? AND valid = 0 ORDER BY address
                        """, arguments: [chain]).map { (id: $0[0] as String, reason: $0[1] as String? ?? "unknown") }
                    let registries = try Row.fetchAll(db, sql: """
                        SELECT kind, address, start_block FROM erc8004_registry WHERE chain_id = ? ORDER BY address
                        """, arguments: [chain]).compactMap { row -> ERC8004Registry? in
                        guard let kind = ERC8004Registry.Kind(rawValue: row[0]), let address = try? EthereumAddress(row[1] as String) else {
                            return nil
                        }
                        return ERC8004Registry(kind: kind, address: address, startBlock: UInt64(row[2] as Int64))
                    }.sorted { ERC8004Registry.Kind.allCases.firstIndex(of: $0.kind)! < ERC8004Registry.Kind.allCases.firstIndex(of: $1.kind)! }
                    let tokens = try Self.paymentAssets(chainID: UInt64(chain), in: db).tokens.sorted()
                    return ChainStatus(chainID: UInt64(chain), name: row[1], indexedBlock: (row[2] as Int64?).map(UInt64.init),
                                       headBlock: (row[3] as Int64?).map(UInt64.init), caughtUp: row[4], bulkBackfill: row[5],
                                       paymentsStagedFrom: try PaymentStaging.firstBlock(chainID: UInt64(chain), in: db),
                                       agents: counts?[0] ?? 0, searchable: counts?[1] ?? 0, invalid: invalid,
                                       erc8004Agents: counts?[2] ?? 0, pendingDocuments: counts?[3] ?? 0,
                                       erc8004Registries: registries, tokens: tokens)
                }
        }
    }
}

/// The block an answer reflects on one chain: the last indexed block and its hash.
public struct IndexedHead: Hashable, Sendable {
    public var chainID: UInt64
    public var number: UInt64
    /// `0x…`; nil when the follower holds no header for it (never, once a range has committed).
    public var hash: String?

    /// `<chainId>:<number>:<hash>`, the form of the `AgentIndex-Block` header.
    public var headerValue: String { "\(chainID):\(number):\(hash ?? "unknown")" }
}

extension AgentStore {
    /// Each chain's last indexed block and its hash, by chain id; chains with nothing indexed yet
    /// are left out.
    ///
    /// ```swift
    /// try store.indexedHeads().map(\.headerValue)   // ["31337:83:0x5c1f…"]
    /// ```
    public func indexedHeads() throws -> [IndexedHead] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT c.chain_id, c.indexed_block,
                       coalesce((SELECT hash FROM block_link l WHERE l.chain_id = c.chain_id AND l.number = c.indexed_block),
                                (SELECT hash FROM block b WHERE b.chain_id = c.chain_id AND b.number = c.indexed_block))
                FROM chain c WHERE c.indexed_block IS NOT NULL ORDER BY c.chain_id
                """)).map { IndexedHead(chainID: UInt64($0[0] as Int64), number: UInt64($0[1] as Int64), hash: $0[2]) }
        }
    }
}
