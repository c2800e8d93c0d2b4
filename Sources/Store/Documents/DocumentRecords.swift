import AgentCards
import EthereumCore
import Foundation
import GRDB

/// How the documents an agent was built from are shown: each with its URI, status, when it was
/// fetched, its sha256, what could be verified and the last error.
enum DocumentRecords {
    struct Linked {
        var kind: DocumentKind
        var json: JSONValue
        var content: [UInt8]?
    }

    /// The agent's documents (registration file, A2A card, domain proof), in that order, with
    /// the content of those that have one.
    static func linked(agent: Int64, in db: Database) throws -> [Linked] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT d.kind, c.bytes, \(columns)
            FROM agent_document l JOIN document d ON d.id = l.document LEFT JOIN document_content c ON c.sha256 = d.content_sha256
            WHERE l.agent = ?
            ORDER BY CASE d.kind WHEN 'registration' THEN 0 WHEN 'a2a-card' THEN 1 ELSE 2 END
            """), arguments: [agent])
        return rows.map { row in
            Linked(kind: DocumentKind(rawValue: row[0]) ?? .registration, json: json(row, from: 2),
                   content: (row[1] as Data?).map { [UInt8]($0) })
        }
    }

    /// The columns ``json(_:from:)`` reads, in its order.
    static let columns = """
        d.uri, d.kind, d.status, d.fetched_at, d.attempted_at, d.next_attempt_at, d.content_sha256, d.content_verified,
        d.card_signature, d.signature_reason, d.last_error, d.url, d.address, d.http_status, d.failures, d.payment_proof,
        d.payment_proof_reason,
        (SELECT outcome FROM document_attempt t WHERE t.document = d.id ORDER BY t.at DESC, t.rowid DESC LIMIT 1)
        """

    /// `{"kind","uri","status","fetchedAt","attemptedAt","nextAttemptAt","sha256","contentVerified","lastError",
    ///   "url","address","httpStatus","failures","lastOutcome"}` (`lastOutcome`: ok, not-modified, failed,
    ///   invalid, unsupported, refused) plus `cardSignature` for a card and `paymentProof` for a feedback file.
    static func json(_ row: Row, from start: Int) -> JSONValue {
        func time(_ index: Int) -> JSONValue { (row[start + index] as Int64?).map { .number(String($0)) } ?? .null }
        func text(_ index: Int) -> JSONValue { (row[start + index] as String?).map(JSONValue.string) ?? .null }
        let kind: String = row[start + 1]
        let next: Int64 = row[start + 5]
        var members: [(String, JSONValue)] = [
            ("kind", .string(kind)), ("uri", text(0)), ("status", text(2)), ("fetchedAt", time(3)), ("attemptedAt", time(4)),
            ("nextAttemptAt", next == AgentStore.never ? .null : .number(String(next))),
            ("sha256", text(6)), ("contentVerified", (row[start + 7] as Bool?).map(JSONValue.bool) ?? .null),
            ("lastError", text(10)), ("url", text(11)), ("address", text(12)), ("httpStatus", time(13)),
            ("failures", time(14)), ("lastOutcome", text(17)),
        ]
        if kind == DocumentKind.a2aCard.rawValue {
            members += [("cardSignature", text(8)), ("signatureReason", text(9))]
        }
        if kind == DocumentKind.feedback.rawValue {
            members += [("paymentProof", text(15)), ("paymentProofReason", text(16))]
        }
        return .object(members)
    }
}

extension AgentStore {
    /// The documents the fetcher holds, for `agentindex documents`: those of `agent` (its
    /// registration file, card, domain proof and feedback files) or all, filtered by `status`.
    public func documentList(agent: AgentID?, status: DocumentStatus?, limit: Int) throws -> [JSONValue] {
        try read { db in
            var sql = "SELECT \(DocumentRecords.columns) FROM document d WHERE 1"
            var arguments: StatementArguments = []
            if let agent {
                sql += """
                     AND (d.id IN (SELECT l.document FROM agent_document l JOIN agent a ON a.id = l.agent
                                   WHERE a.chain_id = ? AND a.address = ?)
                          OR (d.kind = 'feedback' AND d.uri IN (SELECT feedback_uri FROM feedback WHERE chain_id = ? AND agent = ?)))
                    """
                arguments += [Int64(agent.chainID), agent.storeKey, Int64(agent.chainID), agent.storeKey]
            }
            if let status {
                sql += " AND d.status = ?"
                arguments += [status.rawValue]
            }
            sql += " ORDER BY d.id LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { DocumentRecords.json($0, from: 0) }
        }
    }

    /// The fetcher's backlog: documents by kind and status, how many are due, and how long the
    /// oldest never-fetched one has waited (seconds, at `now`).
    public func documentBacklog(now: Int64) throws -> DocumentBacklog {
        try read { db in
            var counts: [String: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT kind, status, count(*) FROM document GROUP BY kind, status") {
                counts[row[0], default: [:]][row[1]] = row[2]
            }
            let due = try Int.fetchOne(db, sql: "SELECT count(*) FROM document WHERE next_attempt_at <= ?", arguments: [now]) ?? 0
            let oldest = try Int64.fetchOne(db, sql: "SELECT min(requested_at) FROM document WHERE status = 'pending'")
            return DocumentBacklog(counts: counts, due: due, oldestPendingAge: oldest.map { max(0, now - $0) })
        }
    }
}

/// The document fetcher's backlog, as `/status` and `/metrics` show it.
public struct DocumentBacklog: Sendable, Hashable {
    /// Documents by kind, then status.
    public var counts: [String: [String: Int]]
    /// Documents due now (pending, retries and refreshes).
    public var due: Int
    /// Seconds the oldest never-fetched document has waited; nil when none waits.
    public var oldestPendingAge: Int64?

    /// Documents never fetched yet, of every kind.
    public var pending: Int { counts.values.reduce(0) { $0 + ($1["pending"] ?? 0) } }

    public var json: JSONValue {
        var kinds: [(String, JSONValue)] = []
        for kind in counts.keys.sorted() {
            let statuses = counts[kind] ?? [:]
            kinds.append((kind, .object(statuses.keys.sorted().map { ($0, JSONValue.number(String(statuses[$0] ?? 0))) })))
        }
        let oldest: JSONValue = oldestPendingAge.map { .number(String($0)) } ?? .null
        return .object([("pending", .number(String(pending))), ("due", .number(String(due))),
                        ("oldestPendingSeconds", oldest), ("byKind", .object(kinds))])
    }
}
