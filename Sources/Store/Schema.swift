import GRDB

/// The database schema, as GRDB migrations. A migration, once released, is never edited:
/// later changes are new migrations.
///
/// Tables fall in three groups:
/// - **config**: `chain` (one row per chain: cursor and head), `source` (factories and registries).
/// - **events** (append-only, each row with provenance): `event`, `card_version`.
/// - **derived** (rebuilt from events for the agents a batch touches): `agent`, `agent_source`,
///   `agent_skill`, `agent_tag`, `agent_mode`, `agent_payment`, and the FTS5 table `agent_fts`.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-agents") { db in
            try db.execute(sql: v1)
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
}
