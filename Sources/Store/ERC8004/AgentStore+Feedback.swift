import EthereumCore
import Foundation
import GRDB
import Reputation

/// One page of an agent's history served by the API (feedback, validations), newest first.
public struct HistoryPage: Sendable {
    public var items: [JSONValue]
    /// Pass back as `cursor` for the next page; nil on the last page.
    public var nextCursor: String?
}

extension AgentStore {
    /// Responses shown per feedback or validation request; ``responseCount`` says how many there are.
    static let responsesShown = 32

    /// The ERC-8004 feedback given to `id`, newest first, `limit` per page; nil for an unknown agent.
    ///
    /// ```json
    /// {"client":"0x…","feedbackIndex":1,"value":"87.5","rawValue":"8750","valueDecimals":2,"rating":true,
    ///  "tag1":"starred","tag2":"","endpoint":"https://…","feedbackURI":"ipfs://…","feedbackHash":"0x…",
    ///  "verified":true,"revoked":false,"revocation":null,"responses":[…],"responseCount":1,"registry":"0x…",
    ///  "blockNumber":90,"blockHash":"0x…","transactionHash":"0x…","logIndex":3,"blockTime":1700000123}
    /// ```
    /// `verified`: the client had a counted payment to the agent before the feedback (it never
    /// changes once true: later payments come after). `value` is exact (`rawValue / 10^valueDecimals`).
    /// - Throws: ``StoreError/invalidCursor`` for a cursor that is not a position `<block>.<logIndex>`.
    public func feedback(_ id: AgentID, limit: Int, cursor: String?) throws -> HistoryPage? {
        let after = try PositionCursor.parse(cursor)
        return try read { db in
            let chain = Int64(id.chainID)
            let agent = id.storeKey
            guard try Self.agentExists(chain: chain, key: agent, in: db) else { return nil }
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.client, f.feedback_index, f.value, f.value_decimals, f.tag1, f.tag2, f.endpoint, f.feedback_uri,
                       f.feedback_hash, f.emitter, f.block_number, f.block_hash, f.tx_hash, f.log_index, b.timestamp,
                       EXISTS (SELECT 1 FROM payment q \(try ReadIndexes.indexedBy("payment_by_payer", in: db))
                               WHERE q.chain_id = f.chain_id AND q.agent = f.agent AND q.payer = f.client AND q.counted = 1
                                 AND q.block_number <= f.block_number
                                 AND (q.block_number < f.block_number OR q.log_index < f.log_index)) AS verified
                FROM feedback f \(try ReadIndexes.indexedBy("feedback_agent", in: db))
                LEFT JOIN block b ON b.chain_id = f.chain_id AND b.number = f.block_number
                WHERE f.chain_id = ? AND f.agent = ? AND (f.block_number, f.log_index) < (?, ?)
                ORDER BY f.block_number DESC, f.log_index DESC LIMIT ?
                """, arguments: [chain, agent, after?.block ?? .max, after?.logIndex ?? .max, limit + 1])
            var items: [JSONValue] = []
            for row in rows.prefix(limit) {
                let client: String = row[0]
                let index: Int64 = row[1]
                let revocation = try Row.fetchOne(db, sql: """
                    SELECT block_number, block_hash, tx_hash, log_index FROM feedback_revocation INDEXED BY feedback_revocation_feedback
                    WHERE chain_id = ? AND agent = ? AND client = ? AND feedback_index = ? ORDER BY block_number LIMIT 1
                    """, arguments: [chain, agent, client, index])
                let (responses, count) = try Self.responses(chain: chain, agent: agent, client: client, index: index, in: db)
                let value = FeedbackValue(raw: Int256(decimal: row[2] as String) ?? Int256(0), decimals: UInt8(clamping: row[3] as Int64))
                let members: [(String, JSONValue)] = [
                    ("client", .string(AgentRecordSQL.checksummed(client))),
                    ("feedbackIndex", .number(String(index))),
                    ("value", .string(value.decimalString)),
                    ("rawValue", .string(row[2])),
                    ("valueDecimals", .number(String(row[3] as Int64))),
                    ("rating", .bool(value.isRating)),
                    ("tag1", .string(row[4])),
                    ("tag2", .string(row[5])),
                    ("endpoint", .string(row[6])),
                    ("feedbackURI", .string(row[7])),
                    ("feedbackHash", .string(row[8])),
                    ("verified", .bool(row[15])),
                    ("revoked", .bool(revocation != nil)),
                    ("revocation", revocation.map { Self.provenance($0, 0) } ?? .null),
                    ("responses", .array(responses)),
                    ("responseCount", .number(String(count))),
                    ("registry", .string(AgentRecordSQL.checksummed(row[9]))),
                    ("feedbackFile", try Self.feedbackFile(uri: row[7], hash: row[8], in: db)),
                ]
                items.append(.object(members + Self.provenanceMembers(row, 10) + [
                    ("blockTime", (row[14] as Int64?).map { .number(String($0)) } ?? .null)]))
            }
            let next = rows.count > limit ? rows.prefix(limit).last.map {
                PositionCursor(block: $0[10], logIndex: $0[13]).encoded
            } : nil
            return HistoryPage(items: items, nextCursor: next)
        }
    }

    /// What the document fetcher found behind a feedback's `feedbackURI`: its status, whether its
    /// keccak-256 is the `feedbackHash` (null when the hash is zero or the file unread), and its
    /// `proofOfPayment` verdict. Null when the feedback names no file.
    static func feedbackFile(uri: String, hash: String, in db: Database) throws -> JSONValue {
        guard !uri.isEmpty else { return .null }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT status, content_keccak, payment_proof, payment_proof_reason, fetched_at, last_error, content_verified
            FROM document WHERE uri = ? AND kind = 'feedback'
            """), arguments: [uri]) else { return .null }
        let zero = hash.isEmpty || hash.dropFirst(2).allSatisfy { $0 == "0" }
        let keccak: String? = row[1]
        return .object([
            ("status", .string(row[0])),
            ("hashMatches", zero || keccak == nil ? .null : .bool(keccak == hash)),
            ("paymentProof", (row[2] as String?).map(JSONValue.string) ?? .null),
            ("paymentProofReason", (row[3] as String?).map(JSONValue.string) ?? .null),
            ("contentVerified", (row[6] as Bool?).map(JSONValue.bool) ?? .null),
            ("fetchedAt", (row[4] as Int64?).map { .number(String($0)) } ?? .null),
            ("lastError", (row[5] as String?).map(JSONValue.string) ?? .null),
        ])
    }

    /// The validation requests about `id` and their responses, newest request first, `limit` per
    /// page; nil for an unknown agent. A response names its request by hash; the last response
    /// stands (`response`), all are listed (`responses`, oldest first). A response whose request
    /// was not indexed (made before the registry's start block) is listed with `request: null`.
    ///
    /// ```json
    /// {"requestHash":"0x…","validator":"0x…","requestURI":"ipfs://…","request":{"blockNumber":…},
    ///  "response":{"response":85,"responseURI":"…","responseHash":"0x…","tag":"zk","blockNumber":…},
    ///  "responses":[…],"responseCount":1}
    /// ```
    public func validations(_ id: AgentID, limit: Int, cursor: String?) throws -> HistoryPage? {
        let after = try PositionCursor.parse(cursor)
        return try read { db in
            let chain = Int64(id.chainID)
            let agent = id.storeKey
            guard try Self.agentExists(chain: chain, key: agent, in: db) else { return nil }
            // Each request hash once, at its first position (the request, or its first response).
            let keys = try Row.fetchAll(db, sql: """
                SELECT request_hash, min(block_number * 4294967296 + log_index) AS first FROM (
                    SELECT request_hash, block_number, log_index FROM validation_request WHERE chain_id = ?1 AND agent = ?2
                    UNION ALL
                    SELECT request_hash, block_number, log_index FROM validation_response WHERE chain_id = ?1 AND agent = ?2)
                GROUP BY request_hash
                HAVING first < ?3
                ORDER BY first DESC LIMIT ?4
                """, arguments: [chain, agent, after.map(\.packed) ?? Int64.max, limit + 1])
            var items: [JSONValue] = []
            for key in keys.prefix(limit) {
                let hash: String = key[0]
                let request = try Row.fetchOne(db, sql: """
                    SELECT validator, request_uri, emitter, block_number, block_hash, tx_hash, log_index FROM validation_request
                    WHERE chain_id = ? AND agent = ? AND request_hash = ? ORDER BY block_number, log_index LIMIT 1
                    """, arguments: [chain, agent, hash])
                let responses = try Row.fetchAll(db, sql: """
                    SELECT response, response_uri, response_hash, tag, validator, block_number, block_hash, tx_hash, log_index
                    FROM validation_response WHERE chain_id = ? AND agent = ? AND request_hash = ? ORDER BY block_number, log_index
                    """, arguments: [chain, agent, hash]).map(Self.validationResponse)
                let validator: String? = (request?[0] as String?) ?? responses.first?["validator"]?.stringValue
                let requestURI: String? = request?[1]
                let registry: String? = request?[2]
                let members: [(String, JSONValue)] = [
                    ("requestHash", .string(hash)),
                    ("validator", validator.map { .string(AgentRecordSQL.checksummed($0)) } ?? .null),
                    ("requestURI", requestURI.map(JSONValue.string) ?? .null),
                    ("registry", registry.map { .string(AgentRecordSQL.checksummed($0)) } ?? .null),
                    ("request", request.map { Self.provenance($0, 3) } ?? .null),
                    ("response", responses.last ?? .null),
                    ("responses", .array(Array(responses.suffix(Self.responsesShown)))),
                    ("responseCount", .number(String(responses.count))),
                ]
                items.append(.object(members))
            }
            let next = keys.count > limit ? keys.prefix(limit).last.map { row -> String in
                let first: Int64 = row[1]
                return PositionCursor(block: first / 4_294_967_296, logIndex: first % 4_294_967_296).encoded
            } : nil
            return HistoryPage(items: items, nextCursor: next)
        }
    }

    private static func validationResponse(_ row: Row) -> JSONValue {
        let members: [(String, JSONValue)] = [
            ("response", .number(String(row[0] as Int64))), ("responseURI", .string(row[1])),
            ("responseHash", .string(row[2])), ("tag", .string(row[3])), ("validator", .string(AgentRecordSQL.checksummed(row[4]))),
        ]
        return .object(members + provenanceMembers(row, 5))
    }

    static func agentExists(chain: Int64, key: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM agent WHERE chain_id = ? AND address = ?)", arguments: [chain, key]) == true
    }

    /// The responses to one feedback, oldest first (at most ``responsesShown``), and how many there are.
    private static func responses(chain: Int64, agent: String, client: String, index: Int64,
                                  in db: Database) throws -> ([JSONValue], Int) {
        let rows = try Row.fetchAll(db, sql: """
            SELECT responder, response_uri, response_hash, block_number, block_hash, tx_hash, log_index
            FROM feedback_response INDEXED BY feedback_response_feedback
            WHERE chain_id = ? AND agent = ? AND client = ? AND feedback_index = ? ORDER BY block_number, log_index
            """, arguments: [chain, agent, client, index])
        let shown = rows.prefix(responsesShown).map { row -> JSONValue in
            let members: [(String, JSONValue)] = [("responder", .string(AgentRecordSQL.checksummed(row[0]))),
                                                  ("responseURI", .string(row[1])), ("responseHash", .string(row[2]))]
            return .object(members + provenanceMembers(row, 3))
        }
        return (shown, rows.count)
    }

    /// `blockNumber`, `blockHash`, `transactionHash`, `logIndex` from columns `start…start+3` of `row`.
    static func provenanceMembers(_ row: Row, _ start: Int) -> [(String, JSONValue)] {
        [("blockNumber", .number(String(row[start] as Int64))), ("blockHash", .string(row[start + 1])),
         ("transactionHash", .string(row[start + 2])), ("logIndex", .number(String(row[start + 3] as Int64)))]
    }

    static func provenance(_ row: Row, _ start: Int) -> JSONValue { .object(provenanceMembers(row, start)) }
}
