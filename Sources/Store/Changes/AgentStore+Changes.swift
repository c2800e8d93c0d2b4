import EthereumCore
import GRDB

/// One row of the change feed: something an API answer shows changed, committed at `seq`.
///
/// ```json
/// {"seq":42,"kind":"agent-changed","agentId":"eip155:8453/erc721:0x8004…/7","chainId":8453,"blockNumber":41700001,"blockHash":"0x…"}
/// ```
public struct Change: Hashable, Sendable {
    public var seq: Int64
    /// `agent-added`, `agent-changed`, `agent-removed`, `reputation-changed`, `document-changed`,
    /// `clock` or `rollback` (see ``ChangeCapture``).
    public var kind: String
    /// The agent's API id; nil for `clock` and `rollback`.
    public var agentID: String?
    public var chainID: UInt64
    /// The chain's indexed block when the change was committed (for `rollback`: the block rolled back to).
    public var blockNumber: UInt64?
    public var blockHash: String?

    public var json: JSONValue {
        .object([("seq", .number(String(seq))), ("kind", .string(kind)), ("agentId", agentID.map(JSONValue.string) ?? .null),
                 ("chainId", .number(String(chainID))), ("blockNumber", blockNumber.map { .number(String($0)) } ?? .null),
                 ("blockHash", blockHash.map(JSONValue.string) ?? .null)])
    }
}

extension AgentStore {
    /// The changes after `since`, oldest first, at most `limit`. A seq is visible only once its
    /// transaction committed, and transactions commit in seq order (one writer), so paging by
    /// the last seq seen never skips a change.
    ///
    /// ```swift
    /// var since: Int64 = 0
    /// for change in try store.changes(since: since, limit: 500) { since = change.seq; … }
    /// ```
    public func changes(since: Int64, limit: Int) throws -> [Change] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT seq, kind, agent_id, chain_id, block_number, block_hash FROM change WHERE seq > ? ORDER BY seq LIMIT ?
                """), arguments: [since, limit]).map { row in
                Change(seq: row[0], kind: row[1], agentID: row[2], chainID: UInt64(row[3] as Int64),
                       blockNumber: (row[4] as Int64?).map(UInt64.init), blockHash: row[5])
            }
        }
    }

    /// The last seq of the feed (0 when empty) and the database's random id: together they name
    /// the state every answer reflects (the API's ETag).
    public func feedPosition() throws -> (databaseID: String, lastSeq: Int64) {
        try read { db in
            let id = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'database_id'") ?? "0"
            let last = try Int64.fetchOne(db, sql: "SELECT seq FROM change ORDER BY seq DESC LIMIT 1") ?? 0
            return (id, last)
        }
    }
}

/// What an answer reflects: the database, the change feed's last seq and each chain's indexed head.
public struct AnswerStamp: Hashable, Sendable {
    public var databaseID: String
    public var lastSeq: Int64
    public var heads: [IndexedHead]
}

extension AgentStore {
    /// The current ``AnswerStamp``, read again only when something was committed since the last
    /// call (SQLite's `data_version`, as the search cache does): the API asks for it on every
    /// request (ETag, signed answers), and most requests come between commits.
    public func answerStamp() throws -> AnswerStamp {
        let version = try dataVersion()
        if let cached = stampCache.withLock({ $0 }), cached.version == version { return cached.stamp }
        let position = try feedPosition()
        let stamp = AnswerStamp(databaseID: position.databaseID, lastSeq: position.lastSeq, heads: try indexedHeads())
        stampCache.withLock { $0 = (version, stamp) }
        return stamp
    }
}
