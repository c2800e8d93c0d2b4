import GRDB

/// Captures, inside every write transaction, which agents' answers it changed, and appends them
/// to the change feed (`change`) before the transaction commits.
///
/// TEMP triggers on the writer's connection note each touched agent once per kind in
/// `temp.change_pending` as rows are written; ``flush(_:)``, run at the end of every write
/// (``AgentStore/write(_:)``), turns the notes into `change` rows stamped with each chain's
/// indexed block. Triggers see every statement, so no write path can forget to report a change.
///
/// Kinds:
/// - `agent-added`, `agent-changed`, `agent-removed`: the agent's record (card, listing, sources,
///   registration file, metadata, owner, …).
/// - `reputation-changed`: its payments, ratings, feedback or score.
/// - `document-changed`: an off-chain document its record or feedback shows.
/// - `clock` (no agent): the chain's indexed block moved; every record's reputation is now as
///   of `blockNumber` (windows and recency follow the chain's clock).
/// - `rollback` (no agent): the chain was rolled back to `blockNumber`; the agents it touched
///   follow as their own changes.
enum ChangeCapture {
    /// Creates the pending table and the triggers on the writer's connection (TEMP objects live as
    /// long as the connection).
    static func install(_ db: Database) throws {
        // In memory: a backfill notes an agent for each of a million payments, and a temp file
        // (SQLite's default) would put every note through the file system.
        try db.execute(sql: """
            PRAGMA temp_store = MEMORY;
            CREATE TEMP TABLE IF NOT EXISTS change_pending (
                kind TEXT NOT NULL, agent_id TEXT NOT NULL, chain_id INTEGER NOT NULL, agent_key TEXT NOT NULL DEFAULT '',
                UNIQUE (kind, chain_id, agent_key, agent_id));
            """)
        // An agent named by its (chain, store key), as the event tables name it: noted as it is, its
        // API id looked up once per agent when the notes are flushed, not once per row.
        func byKey(_ kind: String, _ row: String) -> String {
            "INSERT OR IGNORE INTO change_pending (kind, agent_id, chain_id, agent_key) VALUES ('\(kind)', '', \(row).chain_id, \(row).agent);"
        }
        var triggers: [(name: String, event: String, body: String)] = [
            ("agent_added", "AFTER INSERT ON agent",
             "INSERT OR IGNORE INTO change_pending (kind, agent_id, chain_id) VALUES ('agent-added', NEW.agent_id, NEW.chain_id);"),
            ("agent_removed", "AFTER DELETE ON agent",
             "INSERT OR IGNORE INTO change_pending (kind, agent_id, chain_id) VALUES ('agent-removed', OLD.agent_id, OLD.chain_id);"),
            ("agent_scored", "AFTER UPDATE OF score, last_activity_block ON agent",
             "INSERT OR IGNORE INTO change_pending (kind, agent_id, chain_id) VALUES ('reputation-changed', NEW.agent_id, NEW.chain_id);"),
            ("agent_changed", """
             AFTER UPDATE OF owner, active, listed, valid, invalid_reason, card_version_id, card_versions, last_heartbeat_block,
                 last_heartbeat_at, name, summary_json, standard, registry, token_id, agent_wallet, document_status, x402,
                 registration_mismatch, card_signature, domain_verified ON agent
             """,
             "INSERT OR IGNORE INTO change_pending (kind, agent_id, chain_id) VALUES ('agent-changed', NEW.agent_id, NEW.chain_id);"),
            ("clock", "AFTER UPDATE OF indexed_block ON chain WHEN OLD.indexed_block IS NOT NEW.indexed_block",
             "INSERT OR IGNORE INTO change_pending (kind, agent_id, chain_id) VALUES ('clock', '', NEW.chain_id);"),
            ("document_changed", "AFTER UPDATE ON document", """
             INSERT OR IGNORE INTO change_pending (kind, agent_id, chain_id)
                 SELECT 'document-changed', a.agent_id, a.chain_id FROM agent_document d JOIN agent a ON a.id = d.agent WHERE d.document = NEW.id;
             INSERT OR IGNORE INTO change_pending (kind, agent_id, chain_id)
                 SELECT 'document-changed', a.agent_id, a.chain_id FROM feedback f JOIN agent a ON a.chain_id = f.chain_id AND a.address = f.agent
                 WHERE NEW.kind = 'feedback' AND f.feedback_uri = NEW.uri;
             """),
        ]
        for (verb, row) in [("INSERT", "NEW"), ("DELETE", "OLD")] {
            triggers.append(("agent_document_\(verb.lowercased())", "AFTER \(verb) ON agent_document", """
                INSERT OR IGNORE INTO change_pending (kind, agent_id, chain_id)
                    SELECT 'document-changed', a.agent_id, a.chain_id FROM agent a WHERE a.id = \(row).agent;
                """))
            for table in ["payment", "rating", "feedback", "feedback_revocation", "feedback_response", "validation_request", "validation_response"] {
                triggers.append(("\(table)_\(verb.lowercased())", "AFTER \(verb) ON \(table)", byKey("reputation-changed", row)))
            }
        }
        triggers.append(("payment_reclassified", "AFTER UPDATE OF counted, reason ON payment", byKey("reputation-changed", "NEW")))
        for trigger in triggers {
            try db.execute(sql: "CREATE TEMP TRIGGER IF NOT EXISTS change_\(trigger.name) \(trigger.event) BEGIN \(trigger.body) END;")
        }
    }

    /// Notes a rollback of `chainID` (its agents follow as their own changes).
    static func noteRollback(chainID: Int64, in db: Database) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO change_pending (kind, agent_id, chain_id) VALUES ('rollback', '', ?)", arguments: [chainID])
    }

    /// Appends the pending notes to `change`, in the order they were noted, each stamped with its
    /// chain's indexed block and that block's hash; clears the notes.
    static func flush(_ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM change_pending)") == true else { return }
        try db.execute(sql: """
            INSERT INTO change (kind, agent_id, chain_id, block_number, block_hash)
            SELECT kind, id, chain_id, block_number, block_hash FROM (
                SELECT p.rowid AS position, p.kind,
                       CASE WHEN p.agent_key = '' THEN nullif(p.agent_id, '')
                            ELSE (SELECT a.agent_id FROM agent a WHERE a.chain_id = p.chain_id AND a.address = p.agent_key) END AS id,
                       p.agent_key, p.chain_id, c.indexed_block AS block_number,
                       coalesce((SELECT hash FROM block_link l WHERE l.chain_id = p.chain_id AND l.number = c.indexed_block),
                                (SELECT hash FROM block b WHERE b.chain_id = p.chain_id AND b.number = c.indexed_block)) AS block_hash
                FROM change_pending p LEFT JOIN chain c ON c.chain_id = p.chain_id)
            WHERE agent_key = '' OR id IS NOT NULL      -- an agent the same write deleted is reported by its agent-removed row
            GROUP BY kind, chain_id, coalesce(id, '')
            ORDER BY min(position);
            DELETE FROM change_pending;
            """)
    }
}
