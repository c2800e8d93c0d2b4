import ChainRPC

/// The two streams of logs a range reads, each sized on its own (``StreamSizers``): a sparse
/// stream is not cut to a dense one's ranges.
enum LogStream: String, Sendable {
    /// Factories', registries', agents' and the ERC-8004 registries' logs: what reveals agents.
    case contract
    /// The payment tokens' `Transfer` and `AuthorizationUsed` logs.
    case token
}

/// One ``LogRangeSizer`` per ``LogStream``, learned from one endpoint's answers.
///
/// ```swift
/// var sizers = StreamSizers(maximum: 100_000)
/// sizers[.token].refused(RangeLimit(maxResults: 10_000), span: 100_000)
/// sizers[.contract].size   // still 100,000: the contract stream was not refused
/// ```
struct StreamSizers: Sendable, Hashable {
    var contract: LogRangeSizer
    var token: LogRangeSizer

    init(maximum: UInt64) {
        contract = LogRangeSizer(maximum: maximum)
        token = LogRangeSizer(maximum: maximum)
    }

    subscript(stream: LogStream) -> LogRangeSizer {
        get { stream == .contract ? contract : token }
        set { if stream == .contract { contract = newValue } else { token = newValue } }
    }
}

/// An `eth_getLogs` failure of one stream over `span` blocks: the follower shrinks that stream's
/// range (a refusal) or halves it (a time-out), and reads the range again.
struct StreamFailure: Error, CustomStringConvertible {
    let stream: LogStream
    let span: UInt64
    let error: RPCError
    /// What the read had learned and fetched before it failed (the contract logs read ahead
    /// and the sizes that fetching them taught), kept so the next attempt does not fetch them again.
    var progress: (sizers: StreamSizers, ahead: StreamsAhead)?

    /// The same failure, with the read's progress so far.
    func with(sizers: StreamSizers, ahead: StreamsAhead) -> StreamFailure {
        var failure = self
        failure.progress = (sizers, ahead)
        return failure
    }

    var description: String { "\(stream.rawValue) logs over \(span) blocks: \(error)" }

    /// Runs `body`, wrapping an ``RPCError`` it throws as the failure of `stream` over `span` blocks.
    static func of<T>(_ stream: LogStream, span: UInt64, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RPCError {
            throw StreamFailure(stream: stream, span: span, error: error)
        }
    }
}
