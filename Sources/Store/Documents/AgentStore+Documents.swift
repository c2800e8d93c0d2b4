import AgentCards
import Foundation
import GRDB

extension AgentStore {
    /// The value of `next_attempt_at` for a document that is never fetched again (IPFS content,
    /// a feedback file once read).
    public static let never: Int64 = Int64.max

    /// Claims up to `limit` documents that are due at `now` and still read by an agent or a
    /// feedback, oldest due first: each is leased until `now + lease` (seconds), so a fetcher
    /// that dies mid-fetch leaves it to be claimed again once the lease ends, never lost.
    public func claimDueDocuments(now: Int64, limit: Int, lease: Int64) throws -> [DocumentTask] {
        try write { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT d.id, d.uri, d.kind, d.status, d.etag, d.last_modified, d.failures, d.content_sha256
                FROM document d INDEXED BY document_due
                WHERE d.next_attempt_at <= ?
                  AND (EXISTS (SELECT 1 FROM agent_document a WHERE a.document = d.id)
                       OR (d.kind = 'feedback' AND EXISTS (SELECT 1 FROM feedback f WHERE f.feedback_uri = d.uri)))
                ORDER BY d.next_attempt_at LIMIT ?
                """), arguments: [now, limit])
            var tasks: [DocumentTask] = []
            for row in rows {
                let id: Int64 = row[0]
                try db.cachedStatement(sql: "UPDATE document SET next_attempt_at = ? WHERE id = ?").execute(arguments: [now + lease, id])
                let held = (row[7] as String?) != nil
                tasks.append(DocumentTask(id: id, uri: row[1], kind: DocumentKind(rawValue: row[2]) ?? .registration,
                                          status: DocumentStatus(rawValue: row[3]) ?? .pending,
                                          etag: held ? row[4] : nil, lastModified: held ? row[5] : nil, failures: row[6]))
            }
            return tasks
        }
    }

    /// Records one attempt at a document in a transaction of its own: the status it leads to,
    /// the content (stored once by sha256), the attempt (the last ``maxAttemptsKept`` are kept),
    /// and, when what the document says changed, the agents built from it are derived again.
    public func applyDocumentResult(_ result: DocumentResult) throws {
        try write { db in
            guard let current = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT status, content_sha256, card_signature, payment_proof FROM document WHERE id = ?
                """), arguments: [result.documentID]) else { return }
            let before = (status: current[0] as String, sha: current[1] as String?, signature: current[2] as String?,
                          proof: current[3] as String?)
            let held = before.sha != nil
            var outcomeText: String
            var error: String?
            var sha: String?
            switch result.outcome {
            case .content(let content):
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO document_content (sha256, bytes) VALUES (?, ?)")
                    .execute(arguments: [content.sha256, Data(content.bytes)])
                try db.cachedStatement(sql: """
                    UPDATE document SET status = 'ok', content_sha256 = ?, content_keccak = ?, content_verified = ?,
                           card_signature = ?, signature_reason = ?, payment_proof = ?, payment_proof_reason = ?,
                           fetched_at = ?, failures = 0, last_error = NULL, etag = ?, last_modified = ?
                    WHERE id = ?
                    """).execute(arguments: [content.sha256, content.keccak256, content.contentVerified, content.cardSignature,
                                             content.signatureReason, content.paymentProof, content.paymentProofReason,
                                             result.attemptedAt, content.etag, content.lastModified, result.documentID])
                outcomeText = "ok"
                sha = content.sha256
            case .notModified:
                try db.cachedStatement(sql: """
                    UPDATE document SET status = CASE WHEN content_sha256 IS NULL THEN status ELSE 'ok' END, fetched_at = ?,
                           failures = 0, last_error = NULL WHERE id = ?
                    """).execute(arguments: [result.attemptedAt, result.documentID])
                outcomeText = "not-modified"
                sha = before.sha
            case .failure(let failure, let reason):
                let status: DocumentStatus = switch failure {
                case .invalid: .invalid
                case .unsupported: .unsupported
                case .failed: held ? .stale : .failed
                case .refused: held ? .stale : .refused
                }
                let dropsContent = failure == .invalid || failure == .unsupported
                try db.cachedStatement(sql: """
                    UPDATE document SET status = ?, failures = failures + 1, last_error = ?,
                           content_sha256 = CASE WHEN ? THEN NULL ELSE content_sha256 END,
                           content_keccak = CASE WHEN ? THEN NULL ELSE content_keccak END
                    WHERE id = ?
                    """).execute(arguments: [status.rawValue, reason, dropsContent, dropsContent, result.documentID])
                outcomeText = failure.rawValue
                error = reason
            }
            try db.cachedStatement(sql: """
                UPDATE document SET attempted_at = ?, next_attempt_at = ?, url = ?, address = ?, http_status = ? WHERE id = ?
                """).execute(arguments: [result.attemptedAt, result.nextAttemptAt ?? Self.never, result.url, result.address,
                                         result.httpStatus, result.documentID])
            try db.cachedStatement(sql: """
                INSERT INTO document_attempt (document, at, url, address, http_status, bytes, sha256, outcome, error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [result.documentID, result.attemptedAt, result.url, result.address, result.httpStatus,
                                         result.bytesOnWire, sha, outcomeText, error])
            try db.cachedStatement(sql: """
                DELETE FROM document_attempt WHERE document = ?1 AND rowid NOT IN
                    (SELECT rowid FROM document_attempt WHERE document = ?1 ORDER BY at DESC, rowid DESC LIMIT ?2)
                """).execute(arguments: [result.documentID, Self.maxAttemptsKept])
            if let old = before.sha, old != sha {
                try db.cachedStatement(sql: """
                    DELETE FROM document_content WHERE sha256 = ?1 AND NOT EXISTS (SELECT 1 FROM document WHERE content_sha256 = ?1)
                    """).execute(arguments: [old])
            }
            let after = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, content_sha256, card_signature FROM document WHERE id = ?"),
                                         arguments: [result.documentID])
            let changed = after?[0] as String? != before.status || after?[1] as String? != before.sha
                || after?[2] as String? != before.signature
            if changed { try Self.rederiveAgents(readingDocument: result.documentID, in: db) }
        }
    }

    /// How many attempts of each document are kept.
    public static let maxAttemptsKept = 10

    /// Derives again the agents whose rows were built from `document`.
    static func rederiveAgents(readingDocument document: Int64, in db: Database) throws {
        let agents = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT a.chain_id, a.address FROM agent_document d JOIN agent a ON a.id = d.agent WHERE d.document = ?
            """), arguments: [document])
        for agent in agents {
            try AgentDerivation(db: db, chainID: UInt64(agent[0] as Int64), address: agent[1], curatedRegistries: []).run()
        }
    }

    /// Makes the documents of `agent` (or every document) due now; with `failedOnly`, only those
    /// whose last attempt failed (`failed`, `stale`, `refused`, `invalid`, `unsupported`).
    /// - Returns: how many documents were requeued.
    @discardableResult
    public func requeueDocuments(agent: AgentID?, failedOnly: Bool) throws -> Int {
        try write { db in
            var sql = "UPDATE document SET next_attempt_at = 0 WHERE 1"
            var arguments: StatementArguments = []
            if failedOnly { sql += " AND status NOT IN ('ok', 'pending')" }
            if let agent {
                sql += """
                     AND (id IN (SELECT d.document FROM agent_document d JOIN agent a ON a.id = d.agent
                                 WHERE a.chain_id = ? AND a.address = ?)
                          OR (kind = 'feedback' AND uri IN (SELECT feedback_uri FROM feedback WHERE chain_id = ? AND agent = ?)))
                    """
                arguments += [Int64(agent.chainID), agent.storeKey, Int64(agent.chainID), agent.storeKey]
            }
            try db.execute(sql: sql, arguments: arguments)
            return db.changesCount
        }
    }

    /// When the next document falls due (unix seconds), or nil when none will.
    public func nextDocumentDue() throws -> Int64? {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT min(next_attempt_at) FROM document INDEXED BY document_due WHERE next_attempt_at < ?",
                               arguments: [Self.never])
        }
    }
}
