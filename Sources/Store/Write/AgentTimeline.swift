import GRDB
import Reputation

/// What payment decisions need to know about one agent's history: whether a followed factory
/// made it, when it was discovered, every owner it had and what it was paid to at each chain
/// position — every card version's payment terms for a contract agent, every wallet of an
/// ERC-8004 agent.
///
/// Loaded once per agent and batch by ``PaymentLedger`` (three indexed reads) instead of a query
/// per payment; answers "at position p" by binary search. Stale as soon as the agent gets a new
/// event, so the ledger forgets it then.
struct AgentTimeline: Sendable {
    var factoryMade = false
    var discoveredBlock: UInt64?
    /// (position, owner), oldest first.
    private(set) var owners: [(ChainPosition, String)] = []
    /// (position of the card version or wallet change, its terms), oldest first; an invalid card
    /// version and a cleared wallet have none.
    private(set) var versions: [(ChainPosition, PaymentLedger.Terms)] = []

    static func load(chain: Int64, agent: String, in db: Database) throws -> AgentTimeline {
        var timeline = AgentTimeline()
        // No agent row: not an agent (yet), so no factory made it either (`created` inserts the row).
        if let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT discovered_block, EXISTS (SELECT 1 FROM event WHERE chain_id = ?1 AND agent = ?2 AND kind = 'created')
            FROM agent WHERE chain_id = ?1 AND address = ?2
            """), arguments: [chain, agent]) {
            timeline.discoveredBlock = UInt64(row[0] as Int64)
            timeline.factoryMade = row[1]
        }
        let owners = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT block_number, log_index, owner FROM event INDEXED BY event_by_position WHERE chain_id = ? AND agent = ? AND owner IS NOT NULL
            ORDER BY block_number, log_index
            """), arguments: [chain, agent])
        while let row = try owners.next() { timeline.owners.append((position(row[0], row[1]), row[2])) }
        if TokenAgent(storeKey: agent) != nil {
            // An ERC-8004 agent is paid to its wallet as of each position, and to the x402 payTo of
            // its A2A card (read off chain) from the registration version that names the card.
            var changes: [(ChainPosition, wallet: String??, card: PaymentLedger.Terms?)] = []
            let wallets = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT block_number, log_index, wallet FROM agent_wallet WHERE chain_id = ? AND agent = ? ORDER BY block_number, log_index
                """), arguments: [chain, agent])
            while let row = try wallets.next() { changes.append((position(row[0], row[1]), .some(row[2] as String?), nil)) }
            var card: (ChainPosition, PaymentLedger.Terms)?
            let terms = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT block_number, log_index, pay_to, asset FROM card_term WHERE chain_id = ? AND agent = ? AND origin = 'document'
                """), arguments: [chain, agent])
            while let row = try terms.next() {
                var current = card?.1 ?? PaymentLedger.Terms()
                current.payTo.insert(row[2])
                current.assets.insert(row[3])
                card = (position(row[0], row[1]), current)
            }
            if let card { changes.append((card.0, nil, card.1)) }
            changes.sort { $0.0 < $1.0 }
            var wallet: String?
            var cardTerms = PaymentLedger.Terms()
            for change in changes {
                if let changed = change.wallet { wallet = changed }
                if let terms = change.card { cardTerms = terms }
                var merged = cardTerms
                if let wallet { merged.payTo.insert(wallet) }
                timeline.versions.append((change.0, merged))
            }
            return timeline
        }

        let versions = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT block_number, log_index FROM card_version WHERE chain_id = ? AND agent = ? ORDER BY block_number, log_index
            """), arguments: [chain, agent])
        var index: [ChainPosition: Int] = [:]
        while let row = try versions.next() {
            let at = position(row[0], row[1])
            index[at] = timeline.versions.count
            timeline.versions.append((at, PaymentLedger.Terms()))
        }
        let terms = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT block_number, log_index, pay_to, asset FROM card_term WHERE chain_id = ? AND agent = ? AND origin IS NULL
            """), arguments: [chain, agent])
        while let row = try terms.next() {
            guard let i = index[position(row[0], row[1])] else { continue }
            timeline.versions[i].1.payTo.insert(row[2])
            timeline.versions[i].1.assets.insert(row[3])
        }
        return timeline
    }

    /// The owner at `position`: the newest one named at or before it.
    func owner(at position: ChainPosition) -> String? {
        Self.last(in: owners, atOrBefore: position)?.1
    }

    /// The terms of the card version current at `position` (empty when none or invalid).
    func terms(at position: ChainPosition) -> PaymentLedger.Terms {
        Self.last(in: versions, atOrBefore: position)?.1 ?? PaymentLedger.Terms()
    }

    private static func last<T>(in list: [(ChainPosition, T)], atOrBefore position: ChainPosition) -> (ChainPosition, T)? {
        var low = 0, high = list.count   // first index whose position is after `position`
        while low < high {
            let mid = (low + high) / 2
            if list[mid].0 <= position { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : list[low - 1]
    }

    private static func position(_ block: Int64, _ logIndex: Int64) -> ChainPosition {
        ChainPosition(block: UInt64(block), logIndex: UInt64(logIndex))
    }
}
