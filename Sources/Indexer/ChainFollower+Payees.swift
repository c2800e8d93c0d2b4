import ChainRPC
import EthereumCore
import Store

extension ChainFollower {
    /// Reads again the transfers to payees whose claims changed off the chain's path (an ERC-8004
    /// agent's A2A card, read by the document fetcher, named a new x402 payTo or dropped one):
    /// every transfer of a watched token to the payee from the block the change applies from
    /// through the cursor, attributed again in one transaction. The payee joins the watch list.
    ///
    /// Runs on the follower's thread between ranges, so no range commits meanwhile.
    /// - Returns: whether any payee was refreshed (the watch list may have changed).
    @discardableResult
    func refreshPayees() throws -> Bool {
        let jobs = try store.payeeRefreshes(chainID: config.chainID)
        guard !jobs.isEmpty, let cursor else { return false }
        watch = try store.paymentWatch(chainID: config.chainID)
        for job in jobs {
            var transfers: [TokenTransfer] = []
            var times: [UInt64: BlockStamp] = [:]
            var tally = RangeTally()
            var from = max(job.fromBlock, config.startBlock)
            let single = PaymentWatch(tokens: watch.tokens, recipients: [job.payTo])
            while from <= cursor {
                let to = min(cursor, from + max(sizers.token.size, 1) - 1)
                do {
                    let found = try fetchTransfers(from: from, to: to, watch: single, tally: &tally)
                    transfers += found.transfers
                    times.merge(found.times) { a, _ in a }
                    from = to + 1
                } catch let error as RPCError where error.rangeLimit != nil && to > from {
                    sizers.token.refused(error.rangeLimit!, span: to - from + 1)
                }
            }
            let missing = Set(transfers.map(\.provenance.blockNumber)).subtracting(times.keys).sorted()
            let headers = try client.blockHeaders(missing).map { BlockStamp(number: $0.number, hash: $0.hash, timestamp: $0.timestamp) }
            let applied = try store.applyPayeeRefresh(chainID: config.chainID, job, throughBlock: cursor, transfers: transfers,
                                                      blocks: Array(times.values) + headers)
            logger.info("payee refreshed", metadata: ["payTo": "\(job.payTo.checksummed)", "fromBlock": "\(job.fromBlock)",
                                                      "throughBlock": "\(cursor)", "transfers": "\(transfers.count)", "applied": "\(applied)"])
        }
        watch = try store.paymentWatch(chainID: config.chainID)
        return true
    }
}
