import ChainRPC
import EthereumCore
import Store

/// The node's chain no longer contains a block the follower indexed.
struct ReorgDetected: Error, CustomStringConvertible {
    /// A height whose stored hash the node contradicts (the parent of the first new block, or
    /// the node's head).
    var height: UInt64
    var reason: String
    var description: String { "reorg detected at block \(height): \(reason)" }
}

extension ChainFollower {
    /// The headers of `from...to`, checked to form one chain whose first parent is the stored
    /// hash of `from − 1`. A first parent that differs is a reorg; headers that do not link to
    /// each other are an inconsistent answer, read again.
    func linkedHeaders(from: UInt64, to: UInt64) throws -> [BlockHeader] {
        let headers = try client.blockHeaders(Array(from...to))
        if from > 0, let parent = try store.blockHash(chainID: config.chainID, number: from - 1), headers[0].parentHash != parent {
            throw ReorgDetected(height: from - 1, reason: "block \(from)'s parent is not the indexed block \(from - 1)")
        }
        for (previous, header) in zip(headers, headers.dropFirst()) where header.parentHash != previous.hash {
            throw RPCError.malformed("headers \(previous.number) and \(header.number) do not link; reading them again")
        }
        return headers
    }

    /// Nothing new to index: checks that the indexed tip is still the node's block at that
    /// height (a reorg to a branch of equal length changes no number, only hashes).
    func verifyTip(head: UInt64) throws {
        guard let cursor, cursor > reorgFloor(head: head),
              let stored = try store.blockHash(chainID: config.chainID, number: cursor),
              let header = try client.blockHeader(.number(cursor)), header.hash != stored else { return }
        try resolveReorg(ReorgDetected(height: cursor, reason: "the node's block \(cursor) is not the one indexed"))
    }

    /// The node's head is below the indexed block. When the node's block at its head is the one
    /// indexed, the node lags: wait for it (and prefer another endpoint). When it differs, the
    /// chain was reorganised to a branch that is (so far) shorter.
    func headBehindCursor(head: UInt64) throws {
        let stored = try store.blockHash(chainID: config.chainID, number: head)
        let header = try client.blockHeader(.number(head))
        guard let stored, let header, header.hash != stored else {
            laggingAnswer("the head \(head) is below the indexed block \(cursor.map(String.init) ?? "-")")
            client.preferNextEndpoint()
            return
        }
        try resolveReorg(ReorgDetected(height: head, reason: "the node's block \(head) is not the one indexed"))
    }

    /// Finds the common ancestor of the stored links and the node's chain, confirms it, and
    /// rolls the store back to it. Never rolls back below the node's finalized block.
    func resolveReorg(_ reorg: ReorgDetected) throws {
        let ancestor = try commonAncestor()
        if let cursor, ancestor >= cursor {
            laggingAnswer("block \(reorg.height) looked reorganised, but every indexed block is still the node's")
            throw RPCError.malformed("the node's answers about block \(reorg.height) disagree; asking again")
        }
        // Not on one answer's word: read the first diverging block again, from another endpoint
        // when there is one. If it now matches what is stored, the node was inconsistent.
        client.preferNextEndpoint()
        if let storedNext = try store.blockHash(chainID: config.chainID, number: ancestor + 1),
           let again = try client.blockHeader(.number(ancestor + 1)), again.hash == storedNext {
            laggingAnswer("block \(ancestor + 1) changed and changed back")
            throw RPCError.malformed("the node's answers about block \(ancestor + 1) disagree; asking again")
        }
        if let finalized, ancestor < finalized {
            throw RPCError.malformed("a reorg below the finalized block \(finalized) (to \(ancestor)) was reported; not rolling back")
        }
        let summary = try store.rollback(chainID: config.chainID, toBlock: ancestor)
        try loadState()
        statistics.reorgs += 1
        statistics.deepestReorg = max(statistics.deepestReorg, summary.depth)
        metrics.reorg(depth: summary.depth)
        updateProgress { $0.indexedBlock = ancestor; $0.reorgs += 1 }
        logger.warning("reorg: rolled back", metadata: [
            "chain": "\(config.name)", "detectedAt": "\(reorg.height)", "ancestor": "\(ancestor)", "depth": "\(summary.depth)",
            "removedRows": "\(summary.removedRows)", "removedAgents": "\(summary.removedAgents)",
            "rederivedAgents": "\(summary.rederivedAgents)",
        ])
    }

    /// The highest stored block whose hash the node still has; walks the stored links newest
    /// first, 32 headers per batch. Without a match, the block below the oldest link (the
    /// finalized block, which links are kept down to).
    private func commonAncestor() throws -> UInt64 {
        let head = try client.blockNumber()
        let links = try store.blockLinks(chainID: config.chainID).filter { $0.number <= head }
        for chunk in Self.chunks(links, of: 32) {
            let headers = try client.blockHeaders(chunk.map(\.number))
            for (link, header) in zip(chunk, headers) where link.hash == header.hash {
                return link.number
            }
        }
        let oldest = links.last?.number ?? cursor ?? 0
        return max(oldest, 1) - 1
    }
}
