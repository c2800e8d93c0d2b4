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
    /// - the current wallet, the `x402Support` flag and whether the file lists another agent.
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
        let status = (version?[4] as String?).flatMap(RegistrationDocument.Status.init(rawValue:)) ?? .absent
        var file: RegistrationFile?
        var rows: CardRows?
        if status == .ok, let versionID {
            if let known = batchRegistrations[versionID], let parsed = known.document.file {
                file = parsed
                rows = known.rows
            } else if let json: String = version?[1] {
                file = try? RegistrationFile(json: Array(json.utf8))
            }
        }
        if versionID != previousVersion || file == nil || rebuildSearch {
            try rebuildSearchRows(agentID: id, rows: file.map { rows ?? CardRows(registration: $0) },
                                  replacing: previousVersion != nil || rebuildSearch)
        }
        let wallet = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT wallet FROM agent_wallet INDEXED BY agent_wallet_agent WHERE chain_id = ? AND agent = ?
            ORDER BY block_number DESC, log_index DESC LIMIT 1
            """), arguments: [chain, address]).flatMap { $0[0] as String? }
        let mismatch = file?.isMismatched(agentID: token.tokenID, registry: token.registryID(chainID: chainID)) ?? false
        let active = file?.active ?? true
        let summary = AgentSummary.json(id: AgentID(chainID: chainID, token: token), token: token, file: file, status: status,
                                        uri: version?[3], wallet: wallet, mismatch: mismatch, owner: owner, active: active,
                                        sources: sources)
        try db.cachedStatement(sql: """
            UPDATE agent SET owner = ?, active = ?, listed = ?, valid = ?, invalid_reason = ?, card_version_id = ?,
                             card_versions = ?, name = ?, summary_json = ?, x402 = ?, agent_wallet = ?, document_status = ?,
                             registration_mismatch = ?
            WHERE id = ?
            """).execute(arguments: [owner, active, listed, status != .invalid, status == .invalid ? version?[2] as String? : nil,
                                     versionID, versions, file?.name, summary, file?.x402Support ?? false, wallet,
                                     status.rawValue, mismatch, id])
    }
}
