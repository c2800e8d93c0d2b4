import GRDB

/// How far the follower got on one chain, and what it found.
public struct ChainStatus: Sendable {
    public var chainID: UInt64
    public var name: String
    /// The last block whose range is committed; nil before the first.
    public var indexedBlock: UInt64?
    public var headBlock: UInt64?
    public var caughtUp: Bool
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
}

extension AgentStore {
    /// The status of every chain in the database, by chain id.
    public func status() throws -> [ChainStatus] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT chain_id, name, indexed_block, head_block, caught_up FROM chain ORDER BY chain_id")
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
                    return ChainStatus(chainID: UInt64(chain), name: row[1], indexedBlock: (row[2] as Int64?).map(UInt64.init),
                                       headBlock: (row[3] as Int64?).map(UInt64.init), caughtUp: row[4],
                                       agents: counts?[0] ?? 0, searchable: counts?[1] ?? 0, invalid: invalid,
                                       erc8004Agents: counts?[2] ?? 0, pendingDocuments: counts?[3] ?? 0)
                }
        }
    }
}
