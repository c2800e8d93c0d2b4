import ChainRPC
import EthereumCore

/// Checks the logs a node returned against the blooms of the blocks they came from: a block
/// whose bloom says it may hold a log of a followed contract, when no such log came, is asked
/// again by block hash (from another endpoint when there are several). A lagging node answers
/// `eth_getLogs` from an index that is behind its headers; its empty answer must not be taken
/// as "nothing happened".
///
/// Blooms have false positives, so a block asked again that still has no log is accepted.
struct LogCompleteness {
    let sources: [EthereumAddress]
    let agents: [EthereumAddress: UInt64]
    /// The topic0s of every event followed, for asking a block again.
    let topics: [[UInt8]]

    /// Bloom bit positions per address, kept by the follower across ranges (one keccak per
    /// address per run, not per block).
    typealias BitCache = [EthereumAddress: [Int]]

    func verify(headers: [BlockHeader], logs: [Log], client: JSONRPCClient, bits cache: inout BitCache,
                onLag: (String) -> Void) throws {
        var returned: [[UInt8]: Set<EthereumAddress>] = [:]   // block hash → addresses whose logs came
        for log in logs { returned[log.blockHash, default: []].insert(log.address) }
        let watched = watchedAddresses(bits: &cache)
        var suspects: [(header: BlockHeader, addresses: [EthereumAddress])] = []
        for header in headers {
            guard let bloom = header.logsBloom else { continue }
            let came = returned[header.hash] ?? []
            var missing: [EthereumAddress] = []
            for watch in watched where watch.from <= header.number && bloom.mayContain(bits: watch.bits) && !came.contains(watch.address) {
                missing.append(watch.address)
                if missing.count > 250 { break }
            }
            // A bloom that matches hundreds of our contracts is saturated: it says nothing.
            if !missing.isEmpty, missing.count <= 250 { suspects.append((header, missing)) }
        }
        guard !suspects.isEmpty else { return }
        let filters = suspects.prefix(16).map { LogFilter(blockHash: $0.header.hash, addresses: $0.addresses, topics: [topics]) }
        client.preferNextEndpoint()
        let again = try client.logs(filters)
        if let block = zip(suspects, again).first(where: { !$0.1.isEmpty })?.0.header.number {
            onLag("logs of block \(block) were missing from eth_getLogs")
            throw RPCError.malformed("eth_getLogs left out logs of block \(block) that its bloom holds; reading the range again")
        }
    }

    /// Every followed address with the first block its logs count from and its bloom bits
    /// (looked up once per range, not once per block: 100k agents × 64 headers near the head).
    private func watchedAddresses(bits cache: inout BitCache) -> [(address: EthereumAddress, from: UInt64, bits: [Int])] {
        let all = sources.map { ($0, UInt64(0)) } + agents.map { ($0.key, $0.value) }
        return all.map { address, from in
            let bits = cache[address] ?? LogsBloom.bits(of: address.bytes)
            cache[address] = bits
            return (address, from, bits)
        }
    }
}
