import AgentCards
import EthereumCore
import Foundation
import GRDB
import Reputation

/// A payee whose transfers must be read again from `fromBlock`: an ERC-8004 agent's card named it,
/// or stopped naming it, after the follower had passed that block.
public struct PayeeRefresh: Sendable, Hashable {
    public var payTo: EthereumAddress
    public var fromBlock: UInt64
}

extension AgentStore {
    /// The payees of `chainID` waiting for their transfers to be read again, lowest block first.
    public func payeeRefreshes(chainID: UInt64, limit: Int = 16) throws -> [PayeeRefresh] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT pay_to, from_block FROM payee_refresh WHERE chain_id = ? ORDER BY from_block, pay_to LIMIT ?",
                             arguments: [Int64(chainID), limit]).compactMap { row in
                (try? EthereumAddress(row[0] as String)).map { PayeeRefresh(payTo: $0, fromBlock: UInt64(row[1] as Int64)) }
            }
        }
    }

    /// Attributes again, in one transaction, every token transfer to `refresh.payTo` from its
    /// block through `throughBlock` (all of them, as the follower just read them): the payments
    /// stored for that recipient are replaced by what the terms and wallets now say, and the
    /// agents concerned are scored again. Refused (false) when the cursor moved past
    /// `throughBlock` meanwhile: the follower reads again.
    @discardableResult
    public func applyPayeeRefresh(chainID: UInt64, _ refresh: PayeeRefresh, throughBlock: UInt64,
                                  transfers: [TokenTransfer], blocks: [BlockStamp]) throws -> Bool {
        let done = try write { db -> Bool in
            let chain = Int64(chainID)
            guard try Int64.fetchOne(db, sql: "SELECT indexed_block FROM chain WHERE chain_id = ?", arguments: [chain]) == Int64(throughBlock) else {
                return false
            }
            let payTo = refresh.payTo.lowercased
            let from = Int64(refresh.fromBlock)
            var affected = Set<String>()
            // Staged payments (a bulk backfill, ``PaymentStaging``) name the recipient by its bytes: a scan.
            let payToBytes = Data(refresh.payTo.bytes)
            let staged: StatementArguments = [chain, payTo, from, payToBytes]
            for (table, agent, recipient, arguments) in [("payment", "agent", "recipient = ?2", [chain, payTo, from]),
                                                         ("payment_staging", PaymentStaging.text("agent"), "recipient IN (?2, ?4)", staged)] {
                affected.formUnion(try String.fetchAll(db, sql: """
                    SELECT DISTINCT \(agent) FROM \(table) WHERE chain_id = ?1 AND \(recipient) AND block_number >= ?3 AND evidence = 'token-log'
                    """, arguments: arguments))
                try db.execute(sql: "DELETE FROM \(table) WHERE chain_id = ?1 AND \(recipient) AND block_number >= ?3 AND evidence = 'token-log'",
                               arguments: arguments)
            }
            for stamp in blocks {
                try db.cachedStatement(sql: "INSERT OR REPLACE INTO block (chain_id, number, hash, timestamp) VALUES (?, ?, ?, ?)")
                    .execute(arguments: [chain, Int64(stamp.number), Hex.encode(stamp.hash), Int64(clamping: stamp.timestamp)])
            }
            let ledger = PaymentLedger(db: db, chainID: chainID)
            let assets = try Self.paymentAssets(chainID: chainID, in: db)
            let listed = Set(assets.tokens.map(\.lowercased))
            for transfer in transfers.sorted(by: { $0.provenance < $1.provenance }) where transfer.to == refresh.payTo {
                affected.formUnion(try ledger.recordTransfer(transfer, listedTokens: listed))
            }
            try ledger.flush(assets: assets)
            if let clock = try ReputationSQL.clock(chainID: chainID, atBlock: throughBlock, in: db)?.clock {
                try updateScores(chainID: chainID, addresses: affected.sorted(), clock: clock, in: db)
            }
            try db.execute(sql: "DELETE FROM payee_refresh WHERE chain_id = ? AND pay_to = ? AND from_block >= ?",
                           arguments: [chain, payTo, from])
            return true
        }
        // Timelines and claims carried between batches may predate the card's terms.
        historyCache.clear()
        return done
    }
}
