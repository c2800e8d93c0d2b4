import EthereumCore
import Foundation
import GRDB

/// One page of an agent's payments, newest first.
public struct PaymentPage: Sendable {
    /// Each payment as JSON: provenance, payer, asset, exact amount, and whether it counts.
    public var payments: [JSONValue]
    /// Pass back as `cursor` for the next page; nil on the last page.
    public var nextCursor: String?
}

extension AgentStore {
    /// The payments to `id`, newest first, `limit` per page; nil for an unknown agent.
    ///
    /// ```json
    /// {"txHash":"0x…","blockNumber":41,"blockHash":"0x…","logIndex":2,"blockTime":1700000123,
    ///  "kind":"x402","payer":"0x…","asset":"0x…","amount":"2500000","recipient":"0x…",
    ///  "evidence":"token-log","counted":true,"reason":null}
    /// ```
    /// - Throws: ``StoreError/invalidCursor`` for a cursor that is not a position `<block>.<logIndex>`.
    public func payments(_ id: AgentID, limit: Int, cursor: String?) throws -> PaymentPage? {
        let after = try PositionCursor.parse(cursor).map { ($0.block, $0.logIndex) }
        return try read { db in
            let chain = Int64(id.chainID)
            let agent = id.storeKey
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM agent WHERE chain_id = ? AND address = ?)",
                                    arguments: [chain, agent]) == true else { return nil }
            let (block, log) = after ?? (Int64.max, Int64.max)
            let rows = try Row.fetchAll(db, sql: """
                SELECT p.tx_hash, p.block_number, p.block_hash, p.log_index, b.timestamp, p.kind, p.payer, p.asset, p.amount,
                       p.recipient, p.evidence, p.counted, p.reason
                FROM payment p LEFT JOIN block b ON b.chain_id = p.chain_id AND b.number = p.block_number
                WHERE p.chain_id = ? AND p.agent = ? AND (p.block_number, p.log_index) < (?, ?)
                ORDER BY p.block_number DESC, p.log_index DESC LIMIT ?
                """, arguments: [chain, agent, block, log, limit + 1])
            let items = rows.prefix(limit).map(Self.paymentJSON)
            var next: String?
            if rows.count > limit, let last = rows.prefix(limit).last {
                next = PositionCursor(block: last[1], logIndex: last[3]).encoded
            }
            return PaymentPage(payments: Array(items), nextCursor: next)
        }
    }

    private static func paymentJSON(_ row: Row) -> JSONValue {
        func address(_ text: String) -> JSONValue { .string(AgentRecordSQL.checksummed(text)) }
        func integer(_ value: Int64) -> JSONValue { .number(String(value)) }
        let blockTime: JSONValue = (row[4] as Int64?).map(integer) ?? .null
        let reason: JSONValue = (row[12] as String?).map(JSONValue.string) ?? .null
        let members: [(String, JSONValue)] = [
            ("txHash", .string(row[0])),
            ("blockNumber", integer(row[1])),
            ("blockHash", .string(row[2])),
            ("logIndex", integer(row[3])),
            ("blockTime", blockTime),
            ("kind", .string(row[5])),
            ("payer", address(row[6])),
            ("asset", address(row[7])),
            ("amount", .string(row[8])),
            ("recipient", address(row[9])),
            ("evidence", .string(row[10])),
            ("counted", .bool(row[11])),
            ("reason", reason),
        ]
        return .object(members)
    }
}
