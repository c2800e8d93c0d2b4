import GRDB

/// The database schema, as GRDB migrations. A migration, once released, is never edited:
/// later changes are new migrations.
///
/// Tables fall in four groups:
/// - **config**: `chain` (one row per chain: cursor and head), `source` (factories and registries).
/// - **events** (append-only, each row with provenance): `event`, `card_version`.
/// - **derived** (rebuilt from events for the agents a batch touches): `agent`, `agent_source`,
///   `agent_skill`, `agent_tag`, `agent_mode`, `agent_payment`, and the FTS5 table `agent_fts`.
/// - **reputation** (v2): `asset_rule` (config), `card_term` (every valid version's payment
///   terms), `payment` and `rating` (from logs, with provenance; a payment's `counted`/`reason`
///   depend only on events at or before it), `block` (headers of blocks holding payments or
///   ratings, and of the last indexed block), and `agent.score`.
/// - **reorgs** (v3): `block_link` (number, hash, parent of the blocks that may still be
///   reorganised; pruned below the finalized block).
/// - **backfill** (v4): `score_pending` (agents paid or rated in ranges before the target, scored
///   once the follower reaches it).
/// - **ERC-8004** (v7): `erc8004_registry` (config); agents of an Identity Registry live in `agent`
///   beside contract agents (`standard`, keyed `<registry>/<agentId>`), their registration file
///   versions in `card_version` (`uri`, `document_status`); events with provenance in
///   `agent_metadata`, `agent_wallet`, `document_refresh`, `feedback`, `feedback_revocation`,
///   `feedback_response`, `validation_request`, `validation_response`; derived `agent_service`.
/// - **off-chain documents** (v8): `document` (one per URI and kind, with its fetch state),
///   `document_content` (bytes by sha256), `document_attempt` (the last attempts of each), derived
///   `agent_document` (which documents an agent's rows were built from). Not chain data: a
///   rollback leaves them, and a registration version that comes back finds its document.
/// - **change feed** (v9): `change` (append-only: every write that changes an answer appends the
///   agents it changed, in the same transaction; see ``ChangeCapture``), `meta` (the database's
///   random id, part of every ETag).
/// - **bulk backfill** (v10): `chain.bulk` and `suspended_index` (the read indexes dropped while a
///   chain is backfilled in bulk, with their statements; see ``ReadIndexes``).
/// - **payment staging** (v11): `payment_staging` (a bulk backfill's payments, in chain order,
///   until the chain leaves bulk; see ``PaymentStaging``).
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-agents") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2-reputation") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3-block-links") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4-score-pending") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5-reputation-indexes") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("v6-drop-unread-indexes") { db in
            try db.execute(sql: v6)
        }
        migrator.registerMigration("v7-erc8004") { db in
            try db.execute(sql: v7)
            // Every stored agent gets the new derived rows (services, the summary's new fields).
            try AgentDerivation.rederiveAll(in: db)
        }
        migrator.registerMigration("v8-documents") { db in
            try db.execute(sql: v8)
            try AgentDerivation.rederiveAll(in: db)
        }
        migrator.registerMigration("v9-changes") { db in
            try db.execute(sql: v9)
            // The agents already stored open the feed, so a client that reads it from the start sees every one.
            try db.execute(sql: """
                INSERT INTO change (kind, agent_id, chain_id, block_number, block_hash)
                SELECT 'agent-added', a.agent_id, a.chain_id, c.indexed_block,
                       (SELECT hash FROM block_link l WHERE l.chain_id = a.chain_id AND l.number = c.indexed_block)
                FROM agent a LEFT JOIN chain c ON c.chain_id = a.chain_id ORDER BY a.chain_id, a.address
                """)
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(8))))")
        }
        migrator.registerMigration("v10-suspended-indexes") { db in
            try db.execute(sql: v10)
        }
        migrator.registerMigration("v11-payment-staging") { db in
            try db.execute(sql: v11)
        }
        return migrator
    }

    private static let v1 = """
    CREATE TABLE chain (
        chain_id        INTEGER PRIMARY KEY,
        name            TEXT NOT NULL,
        indexed_block   INTEGER,                -- last block whose range is committed; NULL before the first
        head_block      INTEGER,
        caught_up       INTEGER NOT NULL DEFAULT 0,
        updated_at      INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE source (
        chain_id        INTEGER NOT NULL,
        address         TEXT NOT NULL,          -- lowercase 0x…
        kind            TEXT NOT NULL CHECK (kind IN ('factory', 'registry')),
        start_block     INTEGER NOT NULL,
        curated         INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (chain_id, address)
    );

    -- Every decoded event about an agent, with its provenance.
    CREATE TABLE event (
        chain_id        INTEGER NOT NULL,
        block_number    INTEGER NOT NULL,
        log_index       INTEGER NOT NULL,
        block_hash      TEXT NOT NULL,
        tx_hash         TEXT NOT NULL,
        emitter         TEXT NOT NULL,
        agent           TEXT NOT NULL,
        kind            TEXT NOT NULL,          -- created registered unregistered approved revoked card active owner heartbeat
        owner           TEXT,                   -- the owner this event reveals, if any
        flag            INTEGER,                -- ActiveChanged.active
        value           INTEGER,                -- Heartbeat.timestamp
        PRIMARY KEY (chain_id, block_number, log_index, kind)
    ) WITHOUT ROWID;
    CREATE INDEX event_by_agent ON event (chain_id, agent, kind, block_number, log_index);

    -- Every version of every card, valid or not.
    CREATE TABLE card_version (
        id              INTEGER PRIMARY KEY,
        chain_id        INTEGER NOT NULL,
        agent           TEXT NOT NULL,
        block_number    INTEGER NOT NULL,
        log_index       INTEGER NOT NULL,
        block_hash      TEXT NOT NULL,
        tx_hash         TEXT NOT NULL,
        origin          TEXT NOT NULL,          -- log | call | call-latest
        raw             BLOB NOT NULL,
        card_json       TEXT,                   -- A2A JSON of a valid card
        error           TEXT,                   -- why the version is invalid
        UNIQUE (chain_id, agent, block_number, log_index)
    );

    -- Derived: one row per known agent.
    CREATE TABLE agent (
        id              INTEGER PRIMARY KEY,    -- also the rowid of agent_fts
        chain_id        INTEGER NOT NULL,
        address         TEXT NOT NULL,          -- lowercase 0x…
        agent_id        TEXT NOT NULL UNIQUE,   -- eip155:<chain>:<checksummed>
        discovered_block INTEGER NOT NULL,
        owner           TEXT,
        active          INTEGER NOT NULL DEFAULT 1,
        listed          INTEGER NOT NULL DEFAULT 0,
        valid           INTEGER NOT NULL DEFAULT 0,
        invalid_reason  TEXT,
        card_version_id INTEGER,
        card_versions   INTEGER NOT NULL DEFAULT 0,
        last_heartbeat_block INTEGER,
        last_heartbeat_at INTEGER,
        name            TEXT,
        summary_json    TEXT,
        UNIQUE (chain_id, address)
    );
    CREATE INDEX agent_searchable ON agent (listed, valid, active);
    CREATE INDEX agent_owner ON agent (owner);

    CREATE TABLE agent_source (
        agent           INTEGER NOT NULL REFERENCES agent(id),
        source          TEXT NOT NULL,
        kind            TEXT NOT NULL,
        status          TEXT NOT NULL,          -- created registered pending approved revoked unregistered
        listed          INTEGER NOT NULL,
        block_number    INTEGER NOT NULL,
        log_index       INTEGER NOT NULL,
        block_hash      TEXT NOT NULL,
        tx_hash         TEXT NOT NULL,
        PRIMARY KEY (agent, source)
    ) WITHOUT ROWID;
    CREATE INDEX agent_source_kind ON agent_source (kind, listed, agent);

    -- Derived from the current card, for filters. Values are normalised (lowercase).
    CREATE TABLE agent_skill (agent INTEGER NOT NULL, skill_id TEXT NOT NULL, name TEXT NOT NULL);
    CREATE INDEX agent_skill_id ON agent_skill (skill_id, agent);
    CREATE INDEX agent_skill_name ON agent_skill (name, agent);
    CREATE INDEX agent_skill_agent ON agent_skill (agent);
    CREATE TABLE agent_tag (agent INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (tag, agent)) WITHOUT ROWID;
    CREATE INDEX agent_tag_agent ON agent_tag (agent);
    CREATE TABLE agent_mode (agent INTEGER NOT NULL, direction TEXT NOT NULL, mode TEXT NOT NULL,
                             PRIMARY KEY (direction, mode, agent)) WITHOUT ROWID;
    CREATE INDEX agent_mode_agent ON agent_mode (agent);
    CREATE TABLE agent_payment (agent INTEGER NOT NULL, position INTEGER NOT NULL, scheme TEXT NOT NULL,
                                network TEXT NOT NULL, asset TEXT NOT NULL, amount TEXT NOT NULL, pay_to TEXT NOT NULL,
                                PRIMARY KEY (agent, position)) WITHOUT ROWID;
    CREATE INDEX agent_payment_asset ON agent_payment (asset, agent);
    CREATE INDEX agent_payment_network ON agent_payment (network, agent);
    CREATE INDEX agent_payment_pay_to ON agent_payment (pay_to);

    -- Full text over the current valid card; bm25 weights are applied at query time.
    CREATE VIRTUAL TABLE agent_fts USING fts5(
        name, description, skills, tags, provider,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    """

    /// Reputation. Databases indexed before it never fetched payments: their chain data is
    /// cleared and the cursor reset, so the follower indexes everything again on its next start.
    private static let v2 = """
    DELETE FROM agent_fts; DELETE FROM agent_payment; DELETE FROM agent_mode; DELETE FROM agent_tag;
    DELETE FROM agent_skill; DELETE FROM agent_source; DELETE FROM agent; DELETE FROM card_version; DELETE FROM event;
    UPDATE chain SET indexed_block = NULL, caught_up = 0;

    CREATE TABLE asset_rule (
        chain_id        INTEGER NOT NULL,
        asset           TEXT NOT NULL,          -- lowercase 0x…; the zero address is the native coin
        listed          INTEGER NOT NULL,       -- a configured token (payments count)
        dust            TEXT,                   -- smallest counted amount, decimal
        PRIMARY KEY (chain_id, asset)
    ) WITHOUT ROWID;

    -- The payment terms of every valid card version: which payTo an agent named, and when.
    CREATE TABLE card_term (
        chain_id        INTEGER NOT NULL,
        agent           TEXT NOT NULL,
        block_number    INTEGER NOT NULL,
        log_index       INTEGER NOT NULL,
        pay_to          TEXT NOT NULL,
        asset           TEXT NOT NULL
    );
    CREATE INDEX card_term_pay_to ON card_term (chain_id, pay_to, block_number, log_index);
    CREATE INDEX card_term_version ON card_term (chain_id, agent, block_number, log_index);
    CREATE INDEX card_version_position ON card_version (chain_id, agent, block_number, log_index);

    CREATE TABLE payment (
        chain_id        INTEGER NOT NULL,
        agent           TEXT NOT NULL,          -- the agent paid (lowercase)
        block_number    INTEGER NOT NULL,
        log_index       INTEGER NOT NULL,
        block_hash      TEXT NOT NULL,
        tx_hash         TEXT NOT NULL,
        kind            TEXT NOT NULL,          -- native | pay | transfer | x402
        payer           TEXT NOT NULL,
        asset           TEXT NOT NULL,          -- zero address: native coin
        amount          TEXT NOT NULL,          -- exact decimal
        recipient       TEXT NOT NULL,          -- the agent contract or the payTo paid
        evidence        TEXT NOT NULL,          -- token-log | factory-agent-log | agent-log-only
        claimants       INTEGER NOT NULL,       -- agents whose terms name the recipient
        counted         INTEGER NOT NULL DEFAULT 0,
        reason          TEXT,                   -- why not counted
        PRIMARY KEY (chain_id, agent, block_number, log_index)
    ) WITHOUT ROWID;
    CREATE INDEX payment_block ON payment (chain_id, block_number);
    CREATE INDEX payment_tx ON payment (chain_id, tx_hash);

    CREATE TABLE rating (
        chain_id        INTEGER NOT NULL,
        agent           TEXT NOT NULL,
        block_number    INTEGER NOT NULL,
        log_index       INTEGER NOT NULL,
        block_hash      TEXT NOT NULL,
        tx_hash         TEXT NOT NULL,
        rater           TEXT NOT NULL,
        score           INTEGER NOT NULL,
        comment         TEXT NOT NULL,
        PRIMARY KEY (chain_id, agent, block_number, log_index)
    ) WITHOUT ROWID;

    -- Headers of the blocks holding payments or ratings and of every range's last block: the
    -- clock of a reputation at block N is the newest of them at or below N. Never deleted, so a
    -- snapshot at N gives the same file tomorrow.
    CREATE TABLE block (
        chain_id        INTEGER NOT NULL,
        number          INTEGER NOT NULL,
        hash            TEXT NOT NULL,
        timestamp       INTEGER NOT NULL,
        PRIMARY KEY (chain_id, number)
    ) WITHOUT ROWID;

    ALTER TABLE agent ADD COLUMN score REAL NOT NULL DEFAULT 0;
    ALTER TABLE agent ADD COLUMN last_activity_block INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX agent_score ON agent (score DESC, id);
    CREATE INDEX agent_recent ON agent (last_activity_block DESC, id);
    ALTER TABLE chain ADD COLUMN scores_day INTEGER;
    """

    /// Block links for reorg detection. Earlier databases kept no parent hashes: the links of
    /// their stored headers are unknown, so detection starts with the next range.
    private static let v3 = """
    CREATE TABLE block_link (
        chain_id        INTEGER NOT NULL,
        number          INTEGER NOT NULL,
        hash            TEXT NOT NULL,
        parent_hash     TEXT NOT NULL,
        PRIMARY KEY (chain_id, number)
    ) WITHOUT ROWID;
    """

    /// Agents whose score waits for the follower to reach its target: during a backfill a score
    /// would be recomputed for every range that pays the agent (a popular agent's whole history,
    /// hundreds of times); it is computed once instead, at the target's clock.
    ///
    /// `event_by_position`: "an agent's newest event of any kind" (its owner, its last activity)
    /// otherwise walks the whole `event` table in primary-key order.
    private static let v4 = """
    CREATE TABLE score_pending (
        chain_id        INTEGER NOT NULL,
        agent           TEXT NOT NULL,
        PRIMARY KEY (chain_id, agent)
    ) WITHOUT ROWID;
    CREATE INDEX event_by_position ON event (chain_id, agent, block_number, log_index);
    """

    /// Covering indexes for the reputation reads (``ReputationSQL``), so a snapshot of every agent
    /// reads narrow index entries in agent order instead of wide rows, and never sorts:
    /// - `payment_by_payer`: payers per agent and each payer's first counted payment, and the
    ///   totals and volume, without the payment rows' hashes and reasons.
    /// - `card_version.name`: the name of the card current at a block, without parsing its JSON.
    /// - `event_by_position`, now covering: owner, `active` and heartbeat without a row lookup.
    /// - `agent_discovered`: the agents known at a block, in address order.
    private static let v5 = """
    CREATE INDEX payment_by_payer ON payment (chain_id, agent, payer, counted, block_number, log_index, asset, amount);
    ALTER TABLE card_version ADD COLUMN name TEXT;
    UPDATE card_version SET name = json_extract(card_json, '$.name') WHERE card_json IS NOT NULL;
    DROP INDEX card_version_position;
    CREATE INDEX card_version_position ON card_version (chain_id, agent, block_number, log_index, name);
    DROP INDEX event_by_position;
    CREATE INDEX event_by_position ON event (chain_id, agent, block_number, log_index, kind, owner, flag, value);
    CREATE INDEX agent_discovered ON agent (chain_id, address, discovered_block);
    """

    /// Indexes no query reads, dropped: each cost a random page write per row during a backfill.
    /// - `payment_tx`: a transfer finds the `pay()` it backs among the batch's payments in memory.
    /// - `event_by_agent`: `event_by_position` (agent, position, then kind and values) serves every
    ///   per-agent read of events.
    private static let v6 = """
    DROP INDEX payment_tx;
    DROP INDEX event_by_agent;
    """

    /// ERC-8004: the agents of Identity Registries beside contract agents, their registration
    /// files, metadata and wallets, feedback and validations. Keys of `agent.address`: a contract
    /// agent's lowercase address, or `<identity registry, lowercase>/<agentId>`.
    ///
    /// Event tables are keyed by their position (a rollback deletes above a block by key) and
    /// indexed by agent for the reads.
    private static let v7 = """
    ALTER TABLE agent ADD COLUMN standard TEXT NOT NULL DEFAULT 'agent-contract';   -- agent-contract | erc8004
    ALTER TABLE agent ADD COLUMN registry TEXT;              -- ERC-8004: the Identity Registry (lowercase)
    ALTER TABLE agent ADD COLUMN token_id TEXT;              -- ERC-8004: the agentId (decimal)
    ALTER TABLE agent ADD COLUMN agent_wallet TEXT;          -- ERC-8004: the current agentWallet (lowercase)
    ALTER TABLE agent ADD COLUMN document_status TEXT;       -- ERC-8004: ok | invalid | pending | absent
    ALTER TABLE agent ADD COLUMN x402 INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE agent ADD COLUMN registration_mismatch INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX agent_standard ON agent (standard, id);

    ALTER TABLE card_version ADD COLUMN uri TEXT;            -- ERC-8004: the agentURI of this version
    ALTER TABLE card_version ADD COLUMN document_status TEXT;

    CREATE TABLE agent_service (agent INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (name, agent)) WITHOUT ROWID;
    CREATE INDEX agent_service_agent ON agent_service (agent);

    CREATE TABLE erc8004_registry (
        chain_id        INTEGER NOT NULL,
        address         TEXT NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('identity', 'reputation', 'validation')),
        start_block     INTEGER NOT NULL,
        PRIMARY KEY (chain_id, address)
    ) WITHOUT ROWID;

    -- MetadataSet, every key (the plain key from the log's data).
    CREATE TABLE agent_metadata (
        chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL,
        block_hash TEXT NOT NULL, tx_hash TEXT NOT NULL,
        agent TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,
        PRIMARY KEY (chain_id, block_number, log_index)
    ) WITHOUT ROWID;
    CREATE INDEX agent_metadata_agent ON agent_metadata (chain_id, agent, key, block_number, log_index);

    -- MetadataSet of the reserved key agentWallet: where the agent is paid from this position on
    -- (NULL: cleared, or not 20 bytes).
    CREATE TABLE agent_wallet (
        chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL,
        agent TEXT NOT NULL, wallet TEXT,
        PRIMARY KEY (chain_id, block_number, log_index)
    ) WITHOUT ROWID;
    CREATE INDEX agent_wallet_agent ON agent_wallet (chain_id, agent, block_number, log_index, wallet);
    CREATE INDEX agent_wallet_wallet ON agent_wallet (chain_id, wallet, block_number, log_index, agent);

    -- ERC-4906 MetadataUpdate / BatchMetadataUpdate: tokens from_token…to_token (32-byte big-endian,
    -- so BLOB order is numeric order) of a registry should have their document fetched again.
    CREATE TABLE document_refresh (
        chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL,
        block_hash TEXT NOT NULL, tx_hash TEXT NOT NULL,
        registry TEXT NOT NULL, from_token BLOB NOT NULL, to_token BLOB NOT NULL,
        PRIMARY KEY (chain_id, block_number, log_index)
    ) WITHOUT ROWID;

    CREATE TABLE feedback (
        chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL,
        block_hash TEXT NOT NULL, tx_hash TEXT NOT NULL, emitter TEXT NOT NULL,
        agent TEXT NOT NULL, client TEXT NOT NULL, feedback_index INTEGER NOT NULL,
        value TEXT NOT NULL,                    -- the int128, exact decimal
        value_decimals INTEGER NOT NULL,
        tag1 TEXT NOT NULL, tag2 TEXT NOT NULL, endpoint TEXT NOT NULL, feedback_uri TEXT NOT NULL,
        feedback_hash TEXT NOT NULL,
        PRIMARY KEY (chain_id, block_number, log_index)
    ) WITHOUT ROWID;
    CREATE INDEX feedback_agent ON feedback (chain_id, agent, block_number, log_index);
    CREATE INDEX feedback_client ON feedback (chain_id, agent, client, feedback_index);

    CREATE TABLE feedback_revocation (
        chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL,
        block_hash TEXT NOT NULL, tx_hash TEXT NOT NULL,
        agent TEXT NOT NULL, client TEXT NOT NULL, feedback_index INTEGER NOT NULL,
        PRIMARY KEY (chain_id, block_number, log_index)
    ) WITHOUT ROWID;
    CREATE INDEX feedback_revocation_feedback ON feedback_revocation (chain_id, agent, client, feedback_index, block_number);

    CREATE TABLE feedback_response (
        chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL,
        block_hash TEXT NOT NULL, tx_hash TEXT NOT NULL,
        agent TEXT NOT NULL, client TEXT NOT NULL, feedback_index INTEGER NOT NULL,
        responder TEXT NOT NULL, response_uri TEXT NOT NULL, response_hash TEXT NOT NULL,
        PRIMARY KEY (chain_id, block_number, log_index)
    ) WITHOUT ROWID;
    CREATE INDEX feedback_response_feedback ON feedback_response (chain_id, agent, client, feedback_index, block_number, log_index);

    CREATE TABLE validation_request (
        chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL,
        block_hash TEXT NOT NULL, tx_hash TEXT NOT NULL, emitter TEXT NOT NULL,
        agent TEXT NOT NULL, request_hash TEXT NOT NULL, validator TEXT NOT NULL, request_uri TEXT NOT NULL,
        PRIMARY KEY (chain_id, block_number, log_index)
    ) WITHOUT ROWID;
    CREATE INDEX validation_request_agent ON validation_request (chain_id, agent, request_hash);

    CREATE TABLE validation_response (
        chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL,
        block_hash TEXT NOT NULL, tx_hash TEXT NOT NULL,
        agent TEXT NOT NULL, request_hash TEXT NOT NULL, validator TEXT NOT NULL, response INTEGER NOT NULL,
        response_uri TEXT NOT NULL, response_hash TEXT NOT NULL, tag TEXT NOT NULL,
        PRIMARY KEY (chain_id, block_number, log_index)
    ) WITHOUT ROWID;
    CREATE INDEX validation_response_agent ON validation_response (chain_id, agent, request_hash, block_number, log_index);
    """

    /// Off-chain documents: registration files behind `https:`/`ipfs:` URIs, the A2A cards their
    /// A2A services name, domain proofs and feedback files, each fetched by the document fetcher.
    private static let v8 = """
    CREATE TABLE document (
        id INTEGER PRIMARY KEY,
        uri TEXT NOT NULL,
        kind TEXT NOT NULL,                 -- registration | a2a-card | domain-proof | feedback
        status TEXT NOT NULL DEFAULT 'pending',   -- pending | ok | stale | failed | invalid | unsupported | refused
        requested_at INTEGER NOT NULL,      -- when it was first wanted (unix seconds)
        content_sha256 TEXT,                -- of the content served (ok, stale)
        content_keccak TEXT,                -- keccak-256 of that content (feedbackHash is one)
        content_verified INTEGER,           -- ipfs: 1 checked against its CID, 0 unchecked (trusted gateway)
        card_signature TEXT,                -- a2a-card: valid | invalid | unverifiable | absent
        signature_reason TEXT,
        payment_proof TEXT,                 -- feedback: verified | mismatch | unverifiable | absent
        payment_proof_reason TEXT,
        fetched_at INTEGER,                 -- when the content served was fetched or revalidated
        attempted_at INTEGER,               -- the last attempt
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,   -- consecutive failed attempts
        last_error TEXT,
        url TEXT, address TEXT, http_status INTEGER,   -- of the last attempt (after redirects)
        etag TEXT, last_modified TEXT,
        UNIQUE (uri, kind)
    );
    CREATE INDEX document_due ON document (next_attempt_at, status);
    CREATE INDEX document_status ON document (kind, status);
    CREATE INDEX document_content_sha ON document (content_sha256) WHERE content_sha256 IS NOT NULL;

    CREATE TABLE document_content (sha256 TEXT PRIMARY KEY, bytes BLOB NOT NULL);

    CREATE TABLE document_attempt (
        document INTEGER NOT NULL, at INTEGER NOT NULL, url TEXT, address TEXT, http_status INTEGER,
        bytes INTEGER, sha256 TEXT, outcome TEXT NOT NULL, error TEXT
    );
    CREATE INDEX document_attempt_document ON document_attempt (document, at);

    CREATE TABLE agent_document (
        agent INTEGER NOT NULL, document INTEGER NOT NULL, role TEXT NOT NULL,
        PRIMARY KEY (document, agent)
    ) WITHOUT ROWID;
    CREATE INDEX agent_document_agent ON agent_document (agent);
    CREATE INDEX feedback_uri ON feedback (feedback_uri) WHERE feedback_uri <> '';

    -- The x402 payTo of an ERC-8004 agent's A2A card (on this chain) joins its payees, as card_term
    -- rows at the position of the registration version that names the card (origin 'document').
    -- A change queues the payee's transfers to be read again by the follower (payee_refresh).
    ALTER TABLE card_term ADD COLUMN origin TEXT;
    CREATE TABLE payee_refresh (
        chain_id INTEGER NOT NULL, pay_to TEXT NOT NULL, from_block INTEGER NOT NULL,
        PRIMARY KEY (chain_id, pay_to)
    ) WITHOUT ROWID;

    ALTER TABLE agent ADD COLUMN card_signature TEXT;           -- of the A2A card read for it
    ALTER TABLE agent ADD COLUMN domain_verified INTEGER NOT NULL DEFAULT 0;
    """

    private static let v9 = """
    CREATE TABLE change (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused, even after a rollback
        kind            TEXT NOT NULL,          -- agent-added | agent-changed | agent-removed | reputation-changed | document-changed | clock | rollback
        agent_id        TEXT,                   -- the API's id; NULL for clock and rollback
        chain_id        INTEGER NOT NULL,
        block_number    INTEGER,                -- the chain's indexed block when the change was committed
        block_hash      TEXT
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """

    /// Read indexes suspended during a bulk backfill (``ReadIndexes``).
    private static let v10 = """
    ALTER TABLE chain ADD COLUMN bulk INTEGER NOT NULL DEFAULT 0;   -- the last batch was bulk
    CREATE TABLE suspended_index (name TEXT PRIMARY KEY, sql TEXT NOT NULL) WITHOUT ROWID;
    """

    /// A bulk backfill's payments, moved into `payment` when the chain leaves bulk (``PaymentStaging``).
    /// The columns of `payment`, without its key or indexes.
    private static let v11 = """
    CREATE TABLE payment_staging (
        chain_id INTEGER NOT NULL, agent TEXT NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL,
        block_hash TEXT NOT NULL, tx_hash TEXT NOT NULL, kind TEXT NOT NULL, payer TEXT NOT NULL, asset TEXT NOT NULL,
        amount TEXT NOT NULL, recipient TEXT NOT NULL, evidence TEXT NOT NULL, claimants INTEGER NOT NULL,
        counted INTEGER NOT NULL DEFAULT 0, reason TEXT
    );
    """
}
