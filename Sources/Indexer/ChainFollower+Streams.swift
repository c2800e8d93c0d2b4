import ChainRPC
import EthereumCore
import Store

/// What a range takes from each stream (``ChainFollower/sliceRange(from:limit:nearHead:known:watch:sizers:ahead:)``).
struct RangeSlices {
    /// The range's last block.
    var to: UInt64
    /// The contract logs of the range.
    var contract: ContractLogs
    /// The token logs of the range when they were read ahead (for ``tokens``); nil: read them
    /// once the range's payees are known.
    var tokenLogs: [Log]?
    /// The tokens `tokenLogs` were read for.
    var tokens: Set<EthereumAddress> = []
    /// What stays read ahead once the range is taken.
    var ahead: StreamsAhead
    /// The streams' sizes once their answers taught them.
    var sizers: StreamSizers
    /// The range's first block.
    var from: UInt64
    /// Whether the range was read near the head (nothing is read ahead there).
    var nearHead: Bool

    /// What was read ahead, the range included: kept when the range's read fails. Made again
    /// from the range's logs and ``ahead`` only then, so no copy of the logs is held meanwhile
    /// (one was, and taking the range out of the read-ahead copied the rest).
    var whole: StreamsAhead {
        if nearHead { return StreamsAhead(from: from) }
        var token = ahead.token
        if let tokenLogs { token.putBack(tokenLogs, from: from) }
        var contract = ahead.contract
        contract.putBack(self.contract, from: from)
        return StreamsAhead(contract: contract, token: token)
    }
}

extension ChainFollower {
    /// Decides where the range that starts at `from` ends, and reads what each stream needs for
    /// it in that stream's own ranges.
    ///
    /// Near the head both streams read the same range, no wider than either allows. Far from it:
    /// - the contract stream is read ahead in its ranges until it covers the token stream's
    ///   range, or holds an answer's worth of logs (the provider's result limit, at most
    ///   ``rangeLogLimit``: one transaction's worth of agents); the range ends where its contract
    ///   logs reach that many, or ``rangeBytes`` (cards carried in logs);
    /// - a token stream denser than that is read over exactly the range, after its contract
    ///   events (with their payees and the ``LogSieve``);
    /// - a sparser one is read ahead in its own range (``TokenLogsAhead``), when its answer does
    ///   not depend on the payees known so far.
    ///
    /// Far from the head the read takes the logs read ahead: `ahead` is left empty, so the logs
    /// have one owner and taking the range out of them does not copy the rest.
    func sliceRange(from: UInt64, limit: UInt64, nearHead: Bool, known: [EthereumAddress: UInt64], watch: PaymentWatch,
                    sizers: StreamSizers, ahead: inout StreamsAhead) throws -> RangeSlices {
        var sizers = sizers
        if nearHead {
            let to = min(limit, from + min(sizers.contract.size, sizers.token.size) - 1)
            let chunk = try StreamFailure.of(.contract, span: to - from + 1) {
                try fetchContractLogs(from: from, to: to, known: known)
            }
            sizers.contract.succeeded(largestAnswer: chunk.largest, span: to - from + 1, bytes: chunk.logs.bytes,
                                      byteLimit: contractAnswerBytes)
            return RangeSlices(to: to, contract: chunk.logs, ahead: StreamsAhead(from: to + 1), sizers: sizers, from: from,
                               nearHead: true)
        }
        var contract = ahead.contract.from == from ? ahead.contract : ContractLogsAhead(from: from)
        var token = ahead.token.from == from && ahead.token.tokens == watch.tokens ? ahead.token : TokenLogsAhead(from: from)
        ahead = StreamsAhead(from: from)
        let wanted = min(limit, token.isEmpty ? from + sizers.token.size - 1 : token.to)
        // A range holds about one answer's worth of contract logs at most (the provider's result
        // limit, or `rangeLogLimit`), however sparse the token stream.
        let logLimit = min(rangeLogLimit, sizers.contract.resultLimit ?? .max)
        while contract.to < wanted, contract.isEmpty || contract.logs.count < logLimit && contract.bytes < contractAheadBytes {
            let start = contract.to &+ 1
            let end = min(limit, start + sizers.contract.size - 1)
            let chunk: (logs: ContractLogs, largest: Int)
            do {
                chunk = try StreamFailure.of(.contract, span: end - start + 1) {
                    try fetchContractLogs(from: start, to: end, known: known)
                }
            } catch let failure as StreamFailure {
                throw failure.with(sizers: sizers, ahead: StreamsAhead(contract: contract, token: token))
            }
            sizers.contract.succeeded(largestAnswer: chunk.largest, span: end - start + 1, bytes: chunk.logs.bytes,
                                      byteLimit: contractAnswerBytes)
            contract.append(chunk.logs, through: end)
            logger.debug("contract logs read ahead", metadata: ["from": "\(start)", "to": "\(end)", "logs": "\(chunk.logs.count)",
                                                                "largestAnswer": "\(chunk.largest)", "next": "\(sizers.contract.size)"])
        }
        let contractEnd = min(contract.to, contract.block(reaching: logLimit, bytes: rangeBytes) ?? .max)
        if canReadTokensAhead(watch) {
            // A token stream sparser than the contract stream is read ahead in its own ranges;
            // a buffer that ends before the contract logs do, with few logs left, is extended
            // once (so a range is not cut short where a token range happens to end).
            let extend = token.isEmpty ? wanted > contractEnd : token.to < contractEnd && token.logs.count < logLimit / 2
            if extend {
                let start = token.to &+ 1
                let end = min(limit, start + sizers.token.size - 1)
                let (filters, _) = tokenFilters(from: start, to: end, watch: watch)
                var tally = RangeTally()
                let logs: [Log]
                do {
                    logs = try StreamFailure.of(.token, span: end - start + 1) { try self.logs(filters, tally: &tally) }
                } catch let failure as StreamFailure {
                    throw failure.with(sizers: sizers, ahead: StreamsAhead(contract: contract, token: token))
                }
                sizers.token.succeeded(largestAnswer: tally.largestAnswer, span: end - start + 1)
                token.append(logs.sorted { ($0.blockNumber, $0.logIndex) < ($1.blockNumber, $1.logIndex) }, through: end, tokens: watch.tokens)
                logger.debug("token logs read ahead", metadata: ["from": "\(start)", "to": "\(end)", "logs": "\(logs.count)",
                                                                 "next": "\(sizers.token.size)"])
            }
        }
        let to = token.isEmpty ? min(wanted, contractEnd) : min(contractEnd, token.to)
        let slice = contract.take(through: to)
        let tokenLogs = token.isEmpty ? nil : token.take(through: to)
        return RangeSlices(to: to, contract: slice, tokenLogs: tokenLogs, tokens: token.tokens,
                           ahead: StreamsAhead(contract: contract, token: token), sizers: sizers, from: from, nearHead: false)
    }

    /// Whether the token stream can be read ahead: its filter names only tokens (recipients are
    /// matched here, above the address-filter limit), so the answer does not depend on payees.
    func canReadTokensAhead(_ watch: PaymentWatch) -> Bool {
        !watch.tokens.isEmpty && watch.recipientCount > addressFilterLimit
    }
}
