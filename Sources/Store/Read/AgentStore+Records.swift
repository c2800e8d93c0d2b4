import Foundation
import AgentCards
import EthereumCore
import GRDB
import Reputation

extension AgentStore {
    /// The full record of one agent as JSON: current card (A2A JSON; an ERC-8004 agent's
    /// registration file under `registration`), owner, active flag, sources with status and
    /// provenance, provenance of the current card or file, number of versions, the reason it is
    /// invalid if it is, and an ERC-8004 agent's token, wallet, URI, document status, metadata and
    /// services. Nil for an unknown agent.
    ///
    /// The same object, one per line, is what `agentindex export state` writes.
    public func agentRecord(_ id: AgentID) throws -> JSONValue? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: AgentRecordSQL.select + " WHERE a.chain_id = ? AND a.address = ?",
                                             arguments: [Int64(id.chainID), id.storeKey]) else { return nil }
            return try AgentRecordSQL.record(row, clock: AgentRecordSQL.clock(chainID: id.chainID, in: db), in: db)
        }
    }

    /// The current A2A card of an agent as JSON text, or why there is none.
    public enum CardLookup: Sendable {
        case card(String)
        case invalid(reason: String)
        /// An ERC-8004 agent: its A2A card is off-chain, named by its registration file.
        case offChain(reason: String)
        case unknownAgent
    }

    /// Looks up the current card of `id`.
    public func currentCard(_ id: AgentID) throws -> CardLookup {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT a.invalid_reason, c.card_json, a.standard FROM agent a LEFT JOIN card_version c ON c.id = a.card_version_id
                WHERE a.chain_id = ? AND a.address = ?
                """, arguments: [Int64(id.chainID), id.storeKey]) else { return .unknownAgent }
            if row[2] as String == "erc8004" {
                let agent = try Int64.fetchOne(db, sql: "SELECT id FROM agent WHERE chain_id = ? AND address = ?",
                                               arguments: [Int64(id.chainID), id.storeKey]) ?? 0
                let card = try DocumentRecords.linked(agent: agent, in: db).first { $0.kind == .a2aCard }
                if let content = card?.content, let parsed = try? AgentCard(a2aJSON: content) {
                    return .card(parsed.a2aJSON().serialized())
                }
                let status = card.flatMap { $0.json["status"]?.stringValue }
                return .offChain(reason: status.map { "the A2A card its registration file names is \($0)" }
                    ?? "an ERC-8004 agent's A2A card is named by its registration file, which names none or is not read yet")
            }
            if let json: String = row[1] { return .card(json) }
            return .invalid(reason: row[0] ?? "no card yet")
        }
    }

    /// Calls `body` with each agent's record in canonical order (chain id, then lowercase
    /// address), streaming from the database: the same data always gives the same sequence.
    public func forEachAgentRecord(_ body: (JSONValue) throws -> Void) throws {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: AgentRecordSQL.select + " ORDER BY a.chain_id, a.address")
            var clocks: [UInt64: ReputationClock?] = [:]   // one per chain, not one per record
            while let row = try rows.next() {
                let chainID = UInt64(row[1] as Int64)
                if clocks[chainID] == nil { clocks[chainID] = try AgentRecordSQL.clock(chainID: chainID, in: db) }
                try body(try AgentRecordSQL.record(row, clock: clocks[chainID]!, in: db))
            }
        }
    }
}

/// The SQL and JSON shape of an agent record.
enum AgentRecordSQL {
    static let select = """
        SELECT a.id, a.chain_id, a.address, a.agent_id, a.owner, a.active, a.listed, a.valid, a.invalid_reason,
               a.card_versions, a.discovered_block, a.last_heartbeat_block, a.last_heartbeat_at,
               c.card_json, c.origin, c.block_number, c.block_hash, c.tx_hash, c.log_index,
               a.standard, a.registry, a.token_id, a.agent_wallet, a.document_status, a.registration_mismatch,
               a.summary_json, c.uri
        FROM agent a LEFT JOIN card_version c ON c.id = a.card_version_id
        """

    /// The clock of a record's reputation: the chain's indexed block; nil before the first range.
    static func clock(chainID: UInt64, in db: Database) throws -> ReputationClock? {
        do {
            let plan = try AgentStore.plan(chainID: chainID, atBlock: nil, in: db)
            return ReputationClock(block: plan.atBlock, timestamp: plan.clockTime)
        } catch ReputationRequestError.nothingIndexed {
            return nil
        }
    }

    /// The record of `row`, its reputation computed at `clock` (null when nil).
    static func record(_ row: Row, clock: ReputationClock?, in db: Database) throws -> JSONValue {
        let id: Int64 = row[0]
        let chain: Int64 = row[1]
        let key: String = row[2]
        let token = TokenAgent(storeKey: key)
        var members: [(String, JSONValue)] = [
            ("id", .string(row[3])),
            ("standard", .string(row[19])),
            ("chainId", .number(String(chain))),
            ("address", token == nil ? .string(checksummed(key)) : .null),
            ("registry", token.map { .string($0.registry.checksummed) } ?? .null),
            ("tokenId", token.map { .string($0.tokenID.description) } ?? .null),
            ("owner", (row[4] as String?).map { .string(checksummed($0)) } ?? .null),
            ("active", .bool(row[5])),
            ("listed", .bool(row[6])),
            ("valid", .bool(row[7])),
            ("invalidReason", (row[8] as String?).map(JSONValue.string) ?? .null),
            ("discoveredBlock", .number(String(row[10] as Int64))),
        ]
        if let block: Int64 = row[11] {
            members.append(("lastHeartbeat", .object([("blockNumber", .number(String(block))),
                                                      ("timestamp", .number(String(row[12] as Int64? ?? 0)))])))
        } else {
            members.append(("lastHeartbeat", .null))
        }
        members.append(("sources", .array(try sources(agent: id, in: db))))
        members.append(("cardVersions", .number(String(row[9] as Int64))))
        if let origin: String = row[14] {
            members.append(("cardProvenance", .object([
                ("origin", .string(origin)),
                ("blockNumber", .number(String(row[15] as Int64))),
                ("blockHash", .string(row[16])),
                ("transactionHash", .string(row[17])),
                ("logIndex", .number(String(row[18] as Int64))),
            ])))
        } else {
            members.append(("cardProvenance", .null))
        }
        var document = (row[13] as String?).flatMap { try? JSONValue(parsing: $0) } ?? .null
        let linked = token == nil ? [] : try DocumentRecords.linked(agent: id, in: db)
        var card = token == nil ? document : .null
        for entry in linked {
            guard let content = entry.content else { continue }
            switch entry.kind {
            case .registration: document = (try? RegistrationFile(json: content))?.json() ?? document
            case .a2aCard: card = (try? AgentCard(a2aJSON: content))?.a2aJSON() ?? .null
            default: break
            }
        }
        members.append(("card", card))
        let summary = (row[25] as String?).flatMap { try? JSONValue(parsing: $0) }
        members.append(("services", summary?["services"] ?? .array([])))
        members.append(("x402Support", summary?["x402Support"] ?? .bool(false)))
        if let token {
            members += [
                ("agentWallet", (row[22] as String?).map { .string(checksummed($0)) } ?? .null),
                ("agentURI", (row[26] as String?).map(JSONValue.string) ?? .null),
                ("documentStatus", (row[23] as String?).map(JSONValue.string) ?? .null),
                ("registration", document),
                ("registrationMismatch", .bool(row[24])),
                ("metadata", try metadata(chain: chain, agent: key, in: db)),
                ("documentRefreshBlock", try refreshBlock(chain: chain, token: token, in: db).map { .number(String($0)) } ?? .null),
                ("cardSignature", summary?["cardSignature"] ?? .null),
                ("domainVerified", summary?["domainVerified"] ?? .bool(false)),
                ("documents", .array(linked.map(\.json))),
            ]
        } else {
            members += [("agentWallet", .null), ("agentURI", .null), ("documentStatus", .null), ("registration", .null),
                        ("registrationMismatch", .bool(false)), ("metadata", .object([])), ("documentRefreshBlock", .null),
                        ("cardSignature", .null), ("domainVerified", .bool(false)), ("documents", .array([]))]
        }
        let reputation = try clock.map {
            try ReputationSQL.reputation(chainID: UInt64(chain), address: key, clock: $0, in: db).json
        }
        members.append(("reputation", reputation ?? .null))
        return .object(members)
    }

    /// An ERC-8004 agent's metadata: the last value set for each key, by key, as `0x` hex and,
    /// when the bytes are UTF-8, as text.
    private static func metadata(chain: Int64, agent: String, in db: Database) throws -> JSONValue {
        var latest: [String: Data] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT key, value FROM agent_metadata INDEXED BY agent_metadata_agent WHERE chain_id = ? AND agent = ?
            ORDER BY key, block_number, log_index
            """, arguments: [chain, agent])
        while let row = try rows.next() { latest[row[0]] = row[1] }
        return .object(latest.sorted { $0.key < $1.key }.map { key, value in
            let text = String(validating: [UInt8](value), as: UTF8.self)
            return (key, .object([("hex", .string(Hex.encode(value))), ("text", text.map(JSONValue.string) ?? .null)]))
        })
    }

    /// The newest block whose `MetadataUpdate`/`BatchMetadataUpdate` asked for the agent's
    /// document to be fetched again.
    private static func refreshBlock(chain: Int64, token: TokenAgent, in db: Database) throws -> Int64? {
        let tokenBytes = Data(token.tokenID.bigEndianBytes)
        return try Int64.fetchOne(db, sql: """
            SELECT max(block_number) FROM document_refresh WHERE chain_id = ? AND registry = ? AND from_token <= ? AND to_token >= ?
            """, arguments: [chain, token.registry.lowercased, tokenBytes, tokenBytes])
    }

    private static func sources(agent: Int64, in db: Database) throws -> [JSONValue] {
        try Row.fetchAll(db, sql: """
            SELECT source, kind, status, listed, block_number, block_hash, tx_hash, log_index FROM agent_source
            WHERE agent = ? ORDER BY source
            """, arguments: [agent]).map { row in
            .object([
                ("kind", .string(row[1])),
                ("address", .string(checksummed(row[0]))),
                ("status", .string(row[2])),
                ("listed", .bool(row[3])),
                ("blockNumber", .number(String(row[4] as Int64))),
                ("blockHash", .string(row[5])),
                ("transactionHash", .string(row[6])),
                ("logIndex", .number(String(row[7] as Int64))),
            ])
        }
    }

    static func checksummed(_ lowercase: String) -> String {
        (try? EthereumAddress(lowercase))?.checksummed ?? lowercase
    }
}
