import AgentCards
import EthereumCore
import GRDB

extension AgentDerivation {
    /// Rebuilds an ERC-8004 agent's derived rows from its token's events:
    /// - owner: the newest owner a mint, transfer or `Registered` named;
    /// - listed while its NFT exists (minted and not burned since), with the Identity Registry as
    ///   its source (`erc8004`, status `registered` or `burned`);
    /// - the current registration file: the newest `Registered`/`URIUpdated` version. Valid unless
    ///   the file is invalid (a pending or absent file leaves the agent visible by id and by filters,
    ///   not by text); active unless the file says `active: false`;
    /// - the current wallet, the `x402Support` flag and whether the file lists another agent;
    /// - for a file behind an `https:`/`ipfs:` URI, the document fetcher's copy (status `pending`
    ///   until there is one); for a file with an A2A service, the card it names (skills, tags,
    ///   modes and x402 terms join the search rows) and the domain proof of the card's host.
    func runERC8004(id: Int64, previousVersion: Int64?) throws {
        guard let token = TokenAgent(storeKey: address) else { return }
        let chain = Int64(chainID)
        let owner = try String.fetchOne(db.cachedStatement(sql: """
            SELECT owner FROM event INDEXED BY event_by_position WHERE chain_id = ? AND agent = ? AND owner IS NOT NULL
            ORDER BY block_number DESC, log_index DESC LIMIT 1
            """), arguments: [chain, address])
        let standing = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT kind, block_number, log_index, block_hash, tx_hash FROM event INDEXED BY event_by_position
            WHERE chain_id = ? AND agent = ? AND kind IN ('minted', 'registered', 'burned')
            ORDER BY block_number DESC, log_index DESC LIMIT 1
            """), arguments: [chain, address])
        let sources = standing.map { row in
            [SourceMembership(source: token.registry.lowercased, kind: .erc8004,
                              status: row[0] as String == "burned" ? .burned : .registered,
                              blockNumber: row[1], logIndex: row[2], blockHash: row[3], transactionHash: row[4])]
        } ?? []
        try storeSources(sources, agentID: id)
        let listed = sources.contains { $0.listed }

        let version = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, card_json, error, uri, document_status FROM card_version WHERE chain_id = ? AND agent = ?
            ORDER BY block_number DESC, log_index DESC LIMIT 1
            """), arguments: [chain, address])
        let versions = try Int64.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM card_version WHERE chain_id = ? AND agent = ?"),
                                          arguments: [chain, address]) ?? 0
        let versionID: Int64? = version?[0]
        var status = (version?[4] as String?).flatMap(RegistrationDocument.Status.init(rawValue:)) ?? .absent
        var invalidReason: String? = status == .invalid ? version?[2] as String? : nil
        var file: RegistrationFile?
        var rows: CardRows?
        var links: [(document: Int64, kind: DocumentKind)] = []
        if status == .ok, let versionID {
            if let known = batchRegistrations[versionID], let parsed = known.document.file {
                file = parsed
                rows = known.rows
            } else if let json: String = version?[1] {
                file = try? RegistrationFile(json: Array(json.utf8))
            }
        } else if status == .pending, let uri: String = version?[3] {
            // Behind a URI: the document fetcher's copy, once it has one.
            let document = try document(uri, kind: .registration)
            links.append((document.id, .registration))
            status = document.status
            if let content = document.content {
                do { file = try RegistrationFile(json: content) } catch {
                    status = .invalid
                    invalidReason = error.description
                }
            } else if status == .invalid {
                invalidReason = document.lastError
            }
        }
        // The A2A card the file's (first) A2A service names, and the domain proof of its host.
        var card: AgentCard?
        var cardSignature: String?
        var domainVerified = false
        if let file, let a2a = file.services.first(where: { $0.name.lowercased() == "a2a" && !$0.endpoint.isEmpty }) {
            let cardDocument = try document(a2a.endpoint, kind: .a2aCard)
            links.append((cardDocument.id, .a2aCard))
            if let content = cardDocument.content, let parsed = try? AgentCard(a2aJSON: content) {
                card = parsed
                cardSignature = cardDocument.cardSignature
            }
            if let proofURL = Self.domainProofURL(forEndpoint: a2a.endpoint) {
                let proof = try document(proofURL, kind: .domainProof)
                links.append((proof.id, .domainProof))
                if let content = proof.content, let parsed = try? DomainProof(json: content) {
                    domainVerified = parsed.lists(agentID: token.tokenID, registry: token.registryID(chainID: chainID))
                }
            }
        }
        try linkDocuments(agentID: id, links)
        try syncCardPayees(card: card, versionID: versionID)
        if card != nil || !links.isEmpty || versionID != previousVersion || file == nil || rebuildSearch {
            try rebuildSearchRows(agentID: id, rows: file.map { file in card.map { CardRows(registration: file, card: $0) } ?? rows ?? CardRows(registration: file) },
                                  replacing: previousVersion != nil || rebuildSearch || !links.isEmpty)
        }
        let wallet = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT wallet FROM agent_wallet INDEXED BY agent_wallet_agent WHERE chain_id = ? AND agent = ?
            ORDER BY block_number DESC, log_index DESC LIMIT 1
            """), arguments: [chain, address]).flatMap { $0[0] as String? }
        let mismatch = file?.isMismatched(agentID: token.tokenID, registry: token.registryID(chainID: chainID)) ?? false
        let active = file?.active ?? true
        let x402 = (file?.x402Support ?? false) || !(card?.payments.isEmpty ?? true)
        let summary = AgentSummary.json(id: AgentID(chainID: chainID, token: token), token: token, file: file, card: card,
                                        status: status, uri: version?[3], wallet: wallet, mismatch: mismatch, owner: owner,
                                        active: active, sources: sources, cardSignature: cardSignature, domainVerified: domainVerified)
        try db.cachedStatement(sql: """
            UPDATE agent SET owner = ?, active = ?, listed = ?, valid = ?, invalid_reason = ?, card_version_id = ?,
                             card_versions = ?, name = ?, summary_json = ?, x402 = ?, agent_wallet = ?, document_status = ?,
                             registration_mismatch = ?, card_signature = ?, domain_verified = ?
            WHERE id = ?
            """).execute(arguments: [owner, active, listed, status != .invalid, invalidReason,
                                     versionID, versions, file?.name, summary, x402, wallet,
                                     status.rawValue, mismatch, cardSignature, domainVerified, id])
    }
}
