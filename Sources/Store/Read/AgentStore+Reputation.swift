import EthereumCore
import Foundation
import GRDB
import Reputation

/// The snapshot row formats, named here so the API needs only the store.
public typealias SnapshotFormat = Reputation.SnapshotFormat

/// What a reputation snapshot is computed at; the manifest is made of it.
public struct SnapshotPlan: Sendable {
    public var chainID: UInt64
    /// Events at or below this block count.
    public var atBlock: UInt64
    /// The header the clock comes from: the newest stored at or below `atBlock`.
    public var clockBlock: UInt64
    public var clockBlockHash: String
    public var clockTime: UInt64
    public var formula: String
    /// Configured tokens and dust thresholds (lowercase asset → decimal), as classified.
    public var tokens: [String]
    public var dust: [(asset: String, amount: String)]
    /// No payment below this block falls in a day window (``ReputationSQL/windowFloor(chainID:clock:in:)``).
    var windowFloor: UInt64 = 0
}

/// Why a reputation cannot be computed at the requested block.
public enum ReputationRequestError: Error, Sendable, CustomStringConvertible, Equatable {
    case aboveIndexed(requested: UInt64, indexed: UInt64)
    case nothingIndexed
    case unknownChain(UInt64)
    case chainRequired([UInt64])
    /// A bulk backfill has staged the chain's payments from `fromBlock` on (``PaymentStaging``):
    /// they join the index when it catches up.
    case paymentsStaged(fromBlock: UInt64)

    public var description: String {
        switch self {
        case .aboveIndexed(let requested, let indexed):
            "block \(requested) is above the indexed height \(indexed); choose a block at or below it"
        case .nothingIndexed: "nothing is indexed yet"
        case .unknownChain(let id): "chain \(id) is not in this database"
        case .chainRequired(let ids): "the database holds chains \(ids.map(String.init).joined(separator: ", ")); name one"
        case .paymentsStaged(let block):
            "a bulk backfill holds the payments from block \(block) on until it catches up; choose a block below it, or ask again then"
        }
    }
}

extension AgentStore {
    /// The reputation of `id` at `atBlock` (the indexed block when nil) as the API's JSON
    /// (``AgentReputation/json``); nil for an unknown agent.
    ///
    /// - Throws: ``ReputationRequestError`` when the block is above the indexed height.
    public func reputation(_ id: AgentID, atBlock: UInt64? = nil) throws -> JSONValue? {
        try read { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM agent WHERE chain_id = ? AND address = ?)",
                                    arguments: [Int64(id.chainID), id.storeKey]) == true else { return nil }
            let plan = try Self.plan(chainID: id.chainID, atBlock: atBlock, in: db)
            let clock = ReputationClock(block: plan.atBlock, timestamp: plan.clockTime)
            return try ReputationSQL.reputation(chainID: id.chainID, address: id.storeKey, clock: clock, in: db).json
        }
    }

    /// Resolves the chain (the only one when `chainID` is nil) and the block of a snapshot: `atBlock`,
    /// or the indexed block — while a bulk backfill stages payments (``PaymentStaging``), the block
    /// before the first staged one.
    ///
    /// - Throws: ``ReputationRequestError`` (`paymentsStaged` for a block asked for at or above the
    ///   first staged payment).
    public func snapshotPlan(chainID: UInt64?, atBlock: UInt64?) throws -> SnapshotPlan {
        try read { db in
            let chains = try Int64.fetchAll(db, sql: "SELECT chain_id FROM chain ORDER BY chain_id").map(UInt64.init)
            let chain: UInt64
            if let chainID {
                guard chains.contains(chainID) else { throw ReputationRequestError.unknownChain(chainID) }
                chain = chainID
            } else {
                guard chains.count == 1 else {
                    throw chains.isEmpty ? ReputationRequestError.nothingIndexed : ReputationRequestError.chainRequired(chains)
                }
                chain = chains[0]
            }
            return try Self.plan(chainID: chain, atBlock: atBlock, in: db)
        }
    }

    static func plan(chainID: UInt64, atBlock: UInt64?, in db: Database) throws -> SnapshotPlan {
        guard let indexed = try Int64.fetchOne(db, sql: "SELECT indexed_block FROM chain WHERE chain_id = ?",
                                               arguments: [Int64(chainID)]).map(UInt64.init) else {
            throw ReputationRequestError.nothingIndexed
        }
        var block = atBlock ?? indexed
        guard block <= indexed else { throw ReputationRequestError.aboveIndexed(requested: block, indexed: indexed) }
        if let staged = try PaymentStaging.firstBlock(chainID: chainID, in: db), block >= staged {
            // No block asked for: the newest one whose payments are all in the index.
            guard atBlock == nil, staged > 0 else { throw ReputationRequestError.paymentsStaged(fromBlock: staged) }
            block = staged - 1
        }
        let clock = try ReputationSQL.clock(chainID: chainID, atBlock: block, in: db)
        let assets = try paymentAssets(chainID: chainID, in: db)
        let floor = try clock.map { try ReputationSQL.windowFloor(chainID: chainID, clock: $0.clock, in: db) } ?? 0
        return SnapshotPlan(
            chainID: chainID, atBlock: block, clockBlock: clock?.header ?? 0, clockBlockHash: clock?.hash ?? "",
            clockTime: clock?.clock.timestamp ?? 0, formula: ScoreFormula.version,
            tokens: assets.tokens.map(\.lowercased).sorted(),
            dust: assets.dust.map { ($0.key.lowercased, $0.value.description) }.sorted { $0.asset < $1.asset },
            windowFloor: floor)
    }

    /// Writes the snapshot rows of `plan` after the agent `afterAddress` (lowercase; nil from the
    /// start), at most `limit` agents, and returns the text, the last address and the row count.
    /// Agents come in address order; each chunk is one read, and rows at or below an indexed
    /// block never change, so chunks join into one consistent snapshot.
    public func snapshotChunk(_ plan: SnapshotPlan, format: SnapshotFormat, afterAddress: String?,
                              limit: Int) throws -> (text: String, lastAddress: String?, rows: Int) {
        let addresses = try snapshotAddresses(plan, after: afterAddress, limit: limit)
        return (try snapshotRows(plan, format: format, addresses: addresses), addresses.last, addresses.count)
    }

    /// The lowercase addresses of the agents in the snapshot of `plan` (known at its block), in
    /// address order: those after `after`, at most `limit` of them.
    public func snapshotAddresses(_ plan: SnapshotPlan, after: String? = nil, limit: Int = .max) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT address FROM agent \(try ReadIndexes.indexedBy("agent_discovered", in: db))
                WHERE chain_id = ? AND discovered_block <= ? AND address > ? ORDER BY address LIMIT ?
                """, arguments: [Int64(plan.chainID), Int64(clamping: plan.atBlock), after ?? "", Int64(clamping: limit)])
        }
    }

    /// The snapshot rows of `plan` for `addresses`: consecutive addresses of
    /// ``snapshotAddresses(_:after:limit:)``, so their rows are read by key range. One read, which
    /// may run beside others: rows at or below an indexed block never change.
    public func snapshotRows(_ plan: SnapshotPlan, format: SnapshotFormat, addresses: [String]) throws -> String {
        try read { db in
            let clock = ReputationClock(block: plan.atBlock, timestamp: plan.clockTime)
            let reputations = try ReputationSQL.reputations(chainID: plan.chainID, addresses: addresses, clock: clock,
                                                            windowFloor: plan.windowFloor, contiguous: true, in: db)
            var text = ""
            for reputation in reputations { text += format.line(reputation) }
            return text
        }
    }
}

extension SnapshotPlan {
    /// The manifest written beside a snapshot file: everything needed to reproduce it.
    ///
    /// ```json
    /// {"chainId":1337,"blockNumber":83,"blockHash":"0x…","clock":{"blockNumber":83,"timestamp":1700000000},
    ///  "formula":"rep-v2","tool":"agentindex 0.4.0","format":"csv","columns":[…],"rows":28,"sha256":"…",
    ///  "tokens":["0x…"],"dust":{"0x…":"10000"}}
    /// ```
    /// `blockHash` is the hash of `blockNumber` when the database holds its header (always for
    /// the indexed block), else null; the clock's block then says which header set the time.
    public func manifest(format: SnapshotFormat, tool: String, rows: Int, sha256: String) -> JSONValue {
        .object([
            ("chainId", .number(String(chainID))),
            ("blockNumber", .number(String(atBlock))),
            ("blockHash", clockBlock == atBlock && !clockBlockHash.isEmpty ? .string(clockBlockHash) : .null),
            ("clock", .object([("blockNumber", .number(String(clockBlock))),
                               ("blockHash", clockBlockHash.isEmpty ? .null : .string(clockBlockHash)),
                               ("timestamp", .number(String(clockTime)))])),
            ("formula", .string(formula)),
            ("tool", .string(tool)),
            ("format", .string(format.rawValue)),
            ("columns", .array(SnapshotFormat.columns.map(JSONValue.string))),
            ("rows", .number(String(rows))),
            ("sha256", .string(sha256)),
            ("tokens", .array(tokens.map(JSONValue.string))),
            ("dust", .object(dust.map { ($0.asset, .string($0.amount)) })),
        ])
    }
}
