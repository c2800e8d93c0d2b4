import AgentCards
import EthereumCore
import Foundation
import GRDB

/// Stores ERC-8004 events inside ``AgentStore/apply(_:)``'s transaction, each with its provenance.
///
/// What an event changes is said by ``Effect``: identity events change the agent's derived state
/// (owner, listing, document, wallet), feedback changes its reputation; validations and refresh
/// requests are read as they are stored.
struct ERC8004EventWriter {
    let db: Database
    let chainID: UInt64
    let ledger: PaymentLedger
    private var chain: Int64 { Int64(chainID) }

    enum Effect {
        /// The agent's derived state (and so its score) must be recomputed.
        case derive
        /// Only its score moves.
        case score
        case none
    }

    /// Stores `event`; returns what it changes and, for a registration file version, its
    /// `card_version` row id.
    func insert(_ event: ERC8004Event) throws -> (effect: Effect, versionRow: Int64?) {
        let p = event.provenance
        let agent = event.agent.storeKey
        let position: [DatabaseValueConvertible] = [chain, Int64(p.blockNumber), Int64(p.logIndex), p.blockWord.hex,
                                                    p.transactionWord.hex]
        switch event.payload {
        case .transferred(let from, let to):
            try ensureAgent(event)
            let kind = from == .zero ? "minted" : to == .zero ? "burned" : "owner"
            try insertEvent(event, kind: kind, owner: to == .zero ? nil : to.lowercased)
            ledger.forget(agent: agent)
            return (.derive, nil)
        case .registered(let version, let owner):
            try ensureAgent(event)
            try insertEvent(event, kind: "registered", owner: owner.lowercased)
            ledger.forget(agent: agent)
            return (.derive, try insertVersion(version, event))
        case .uriUpdated(let version, _):
            try ensureAgent(event)
            // The same URI set again asks for its document to be read again.
            try AgentStore.refreshDocuments(chain: chain, registry: event.agent.registry.lowercased, first: event.agent.tokenID,
                                            last: event.agent.tokenID, in: db)
            return (.derive, try insertVersion(version, event))
        case .metadataSet(let key, let value):
            try ensureAgent(event)
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO agent_metadata (chain_id, block_number, log_index, block_hash, tx_hash, agent, key, value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: StatementArguments(position + [agent, key, Data(value)]))
            guard key == ERC8004Event.walletKey else { return (.derive, nil) }
            let wallet = event.walletSet?.lowercased
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO agent_wallet (chain_id, block_number, log_index, agent, wallet) VALUES (?, ?, ?, ?, ?)
                """).execute(arguments: [chain, Int64(p.blockNumber), Int64(p.logIndex), agent, wallet])
            ledger.walletChanged(agent: agent, wallet: wallet)
            return (.derive, nil)
        case .documentRefresh(let last):
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO document_refresh (chain_id, block_number, log_index, block_hash, tx_hash, registry,
                                                         from_token, to_token)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: StatementArguments(position + [event.agent.registry.lowercased,
                                                                        Data(event.agent.tokenID.bigEndianBytes),
                                                                        Data(last.bigEndianBytes)]))
            try AgentStore.refreshDocuments(chain: chain, registry: event.agent.registry.lowercased, first: event.agent.tokenID,
                                            last: last, in: db)
            return (.none, nil)
        case .feedback(let f):
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO feedback (chain_id, block_number, log_index, block_hash, tx_hash, emitter, agent, client,
                                                 feedback_index, value, value_decimals, tag1, tag2, endpoint, feedback_uri,
                                                 feedback_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: StatementArguments(position + [
                    event.emitter.lowercased, agent, f.client.lowercased, Int64(clamping: f.index), f.value.description,
                    Int64(f.decimals), f.tag1, f.tag2, f.endpoint, f.uri, Hex.encode(f.hash)]))
            if !f.uri.isEmpty, f.uri.utf8.count <= 1 << 20 {
                // The file behind it is read by the document fetcher (a `data:` URI too, off the chain's path).
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO document (uri, kind, requested_at) VALUES (?, 'feedback', ?)")
                    .execute(arguments: [f.uri, Int64(Date().timeIntervalSince1970)])
            }
            return (.score, nil)
        case .feedbackRevoked(let client, let index):
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO feedback_revocation (chain_id, block_number, log_index, block_hash, tx_hash, agent, client,
                                                            feedback_index)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: StatementArguments(position + [agent, client.lowercased, Int64(clamping: index)]))
            return (.score, nil)
        case .responseAppended(let client, let index, let responder, let uri, let hash):
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO feedback_response (chain_id, block_number, log_index, block_hash, tx_hash, agent, client,
                                                          feedback_index, responder, response_uri, response_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: StatementArguments(position + [agent, client.lowercased, Int64(clamping: index),
                                                                        responder.lowercased, uri, Hex.encode(hash)]))
            return (.none, nil)
        case .validationRequest(let validator, let uri, let hash):
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO validation_request (chain_id, block_number, log_index, block_hash, tx_hash, emitter, agent,
                                                           request_hash, validator, request_uri)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: StatementArguments(position + [event.emitter.lowercased, agent, Hex.encode(hash),
                                                                        validator.lowercased, uri]))
            return (.none, nil)
        case .validationResponse(let validator, let requestHash, let response, let uri, let hash, let tag):
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO validation_response (chain_id, block_number, log_index, block_hash, tx_hash, agent,
                                                            request_hash, validator, response, response_uri, response_hash, tag)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: StatementArguments(position + [agent, Hex.encode(requestHash), validator.lowercased,
                                                                        Int64(response), uri, Hex.encode(hash), tag]))
            return (.none, nil)
        }
    }

    /// The agent's row, made at the first identity event seen for it (its mint, normally).
    private func ensureAgent(_ event: ERC8004Event) throws {
        let token = event.agent
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO agent (chain_id, address, agent_id, discovered_block, standard, registry, token_id)
            VALUES (?, ?, ?, ?, 'erc8004', ?, ?)
            """).execute(arguments: [chain, token.storeKey, AgentID(chainID: chainID, token: token).description,
                                     Int64(event.provenance.blockNumber), token.registry.lowercased, token.tokenID.description])
    }

    private func insertEvent(_ event: ERC8004Event, kind: String, owner: String?) throws {
        let p = event.provenance
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO event (chain_id, block_number, log_index, block_hash, tx_hash, emitter, agent, kind, owner)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [chain, Int64(p.blockNumber), Int64(p.logIndex), p.blockWord.hex,
                                     p.transactionWord.hex, event.emitter.lowercased, event.agent.storeKey, kind, owner])
    }

    /// Stores a registration file version in `card_version` (origin `uri`).
    private func insertVersion(_ version: RegistrationVersion, _ event: ERC8004Event) throws -> Int64 {
        let p = event.provenance
        let document = version.document
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO card_version (chain_id, agent, block_number, log_index, block_hash, tx_hash, origin, raw,
                                                 card_json, name, error, uri, document_status)
            VALUES (?, ?, ?, ?, ?, ?, 'uri', ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [chain, event.agent.storeKey, Int64(p.blockNumber), Int64(p.logIndex), p.blockWord.hex,
                                     p.transactionWord.hex, Data(document.bytes), version.rows?.json, document.file?.name,
                                     document.reason, document.uri, document.status.rawValue])
        return db.lastInsertedRowID
    }
}
