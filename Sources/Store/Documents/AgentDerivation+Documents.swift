import AgentCards
import EthereumCore
import Foundation
import GRDB

/// A document an agent's rows are built from, as the derivation reads it.
struct LinkedDocument {
    var id: Int64
    var status: DocumentStatus
    var content: [UInt8]?
    var lastError: String?
    var cardSignature: String?
}

extension AgentDerivation {
    /// The document at `uri` of `kind`, made `pending` (due now) the first time it is wanted.
    func document(_ uri: String, kind: DocumentKind) throws -> LinkedDocument {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO document (uri, kind, requested_at) VALUES (?, ?, ?)")
            .execute(arguments: [uri, kind.rawValue, Int64(Date().timeIntervalSince1970)])
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT d.id, d.status, c.bytes, d.last_error, d.card_signature
            FROM document d LEFT JOIN document_content c ON c.sha256 = d.content_sha256
            WHERE d.uri = ? AND d.kind = ?
            """), arguments: [uri, kind.rawValue])!
        let status = DocumentStatus(rawValue: row[1]) ?? .pending
        return LinkedDocument(id: row[0], status: status, content: status.hasContent ? (row[2] as Data?).map { [UInt8]($0) } : nil,
                              lastError: row[3], cardSignature: row[4])
    }

    /// Replaces the agent's `agent_document` rows.
    func linkDocuments(agentID: Int64, _ links: [(document: Int64, kind: DocumentKind)]) throws {
        try db.cachedStatement(sql: "DELETE FROM agent_document WHERE agent = ?").execute(arguments: [agentID])
        for link in links {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO agent_document (agent, document, role) VALUES (?, ?, ?)")
                .execute(arguments: [agentID, link.document, link.kind.rawValue])
        }
    }

    /// The URL of the domain proof for an A2A endpoint: `https://{host}/.well-known/agent-registration.json`,
    /// or nil when the endpoint is not an `https:` URL with a host.
    static func domainProofURL(forEndpoint endpoint: String) -> String? {
        let lowered = endpoint.lowercased()
        guard lowered.hasPrefix("https://") else { return nil }
        let rest = endpoint.dropFirst(8)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        return "https://" + authority.lowercased() + "/.well-known/agent-registration.json"
    }
}

extension AgentStore {
    /// Marks the documents of the tokens `first…last` of `registry` due now (ERC-4906
    /// `MetadataUpdate` / `BatchMetadataUpdate`, and a `URIUpdated`): their registration files,
    /// cards and domain proofs are fetched again.
    static func refreshDocuments(chain: Int64, registry: String, first: UInt256, last: UInt256, in db: Database) throws {
        let keys: [String]
        if first == last {
            keys = [registry + "/" + first.description]
        } else {
            keys = try String.fetchAll(db.cachedStatement(sql: """
                SELECT address FROM agent WHERE chain_id = ? AND registry = ? AND standard = 'erc8004'
                """), arguments: [chain, registry]).filter { key in
                guard let slash = key.firstIndex(of: "/"), let token = UInt256(decimal: key[key.index(after: slash)...]) else { return false }
                return token >= first && token <= last
            }
        }
        for key in keys {
            try db.cachedStatement(sql: """
                UPDATE document SET next_attempt_at = 0
                WHERE kind <> 'feedback' AND next_attempt_at > 0
                  AND id IN (SELECT d.document FROM agent_document d JOIN agent a ON a.id = d.agent WHERE a.chain_id = ? AND a.address = ?)
                """).execute(arguments: [chain, key])
        }
    }
}

extension AgentDerivation {
    /// Keeps the agent's `card_term` rows of origin `document` equal to the x402 terms its A2A
    /// card names for this chain (token terms only: a native-coin payment to an EOA leaves no log),
    /// at the position of the registration version that names the card. When they change, every
    /// payTo that came or went is queued (`payee_refresh`) for the follower to read its transfers
    /// again from that position, so payments are attributed as if the current card had named it
    /// since that version.
    func syncCardPayees(card: AgentCard?, versionID: Int64?) throws {
        let chain = Int64(chainID)
        var wanted: [(payTo: String, asset: String, block: Int64, logIndex: Int64)] = []
        if let card, let versionID,
           let at = try Row.fetchOne(db.cachedStatement(sql: "SELECT block_number, log_index FROM card_version WHERE id = ?"),
                                     arguments: [versionID]) {
            var seen = Set<String>()
            for terms in card.payments where X402Network.chainID(terms.network) == chainID && terms.asset != .zero {
                let key = terms.payTo.lowercased + terms.asset.lowercased
                if seen.insert(key).inserted { wanted.append((terms.payTo.lowercased, terms.asset.lowercased, at[0], at[1])) }
            }
        }
        let existing = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT pay_to, asset, block_number, log_index FROM card_term WHERE chain_id = ? AND agent = ? AND origin = 'document'
            """), arguments: [chain, address]).map { (payTo: $0[0] as String, asset: $0[1] as String, block: $0[2] as Int64, logIndex: $0[3] as Int64) }
        func keys(_ rows: [(payTo: String, asset: String, block: Int64, logIndex: Int64)]) -> Set<String> {
            Set(rows.map { "\($0.payTo)/\($0.asset)/\($0.block)/\($0.logIndex)" })
        }
        guard keys(existing) != keys(wanted) else { return }
        try db.cachedStatement(sql: "DELETE FROM card_term WHERE chain_id = ? AND agent = ? AND origin = 'document'")
            .execute(arguments: [chain, address])
        for row in wanted {
            try db.cachedStatement(sql: """
                INSERT INTO card_term (chain_id, agent, block_number, log_index, pay_to, asset, origin) VALUES (?, ?, ?, ?, ?, ?, 'document')
                """).execute(arguments: [chain, address, row.block, row.logIndex, row.payTo, row.asset])
        }
        var from: [String: Int64] = [:]
        for row in existing + wanted { from[row.payTo] = min(from[row.payTo] ?? .max, row.block) }
        for (payTo, block) in from {
            try db.cachedStatement(sql: """
                INSERT INTO payee_refresh (chain_id, pay_to, from_block) VALUES (?, ?, ?)
                ON CONFLICT (chain_id, pay_to) DO UPDATE SET from_block = min(from_block, excluded.from_block)
                """).execute(arguments: [chain, payTo, block])
        }
    }
}
