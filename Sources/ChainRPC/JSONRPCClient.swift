import Dispatch
import EthereumCore
import Foundation
import Synchronization

/// A JSON-RPC 2.0 client for one chain: single calls, batches (JSON arrays) and the typed calls
/// the indexer needs, over one or several endpoints.
///
/// Transient failures (``RPCError/isTransient``: HTTP 5xx, 429, time-outs, resets, truncated or
/// invalid JSON, "rate limit" errors) are sent again after an exponential, jittered pause, or
/// after the server's `Retry-After`; each retry moves to the next endpoint when there are
/// several. Permanent failures (method not found, invalid params) and answers such as a revert
/// are returned at once. At most `maxConcurrentRequests` HTTP requests are in flight.
///
/// ```swift
/// let client = JSONRPCClient(urls: ["http://127.0.0.1:8545", "http://127.0.0.1:8546"])
/// let head = try client.blockNumber()
/// let logs = try client.logs(LogFilter(fromBlock: 0, toBlock: head, addresses: [factory]))
/// ```
public final class JSONRPCClient: Sendable {
    /// The endpoints, in order of preference.
    public let urls: [String]
    let transport: CurlTransport
    public let policy: RetryPolicy
    private let preferred = Atomic<Int>(0)
    private let inFlight: DispatchSemaphore
    private let counts = Mutex<[String: Int]>([:])

    /// The endpoint requests go to now.
    public var url: String { urls[preferred.load(ordering: .relaxed) % urls.count] }

    /// How many times each method was sent (batch elements counted one by one, retries too),
    /// `"http"` for the number of HTTP round trips, `"retries"` for the sends that repeated one.
    public var requestCounts: [String: Int] { counts.withLock { $0 } }

    private func count(_ methods: some Sequence<String>) {
        counts.withLock { counts in
            counts["http", default: 0] += 1
            for method in methods { counts[method, default: 0] += 1 }
        }
    }

    public convenience init(url: String, transport: CurlTransport = CurlTransport()) {
        self.init(urls: [url], transport: transport)
    }

    public init(urls: [String], transport: CurlTransport = CurlTransport(), policy: RetryPolicy = RetryPolicy(),
                maxConcurrentRequests: Int = 4) {
        precondition(!urls.isEmpty, "a client needs at least one endpoint")
        self.urls = urls
        self.transport = transport
        self.policy = policy
        self.inFlight = DispatchSemaphore(value: max(1, maxConcurrentRequests))
    }

    /// Sends the following requests to the next endpoint (when there are several): used when
    /// the current one answers something doubtful, such as a head that went backwards.
    public func preferNextEndpoint() {
        guard urls.count > 1 else { return }
        preferred.add(1, ordering: .relaxed)
        RPCMetrics.failover()
    }

    /// One request.
    public func call(_ method: String, _ params: [JSONValue]) throws(RPCError) -> JSONValue {
        try perform([method], body: Self.request(id: 1, method, params).serialized()) { (body: [UInt8]) throws(RPCError) in
            try Self.result(of: Self.parse(body))
        }
    }

    /// Several requests in one HTTP round trip; results in request order, each a value or its error.
    public func batch(_ requests: [(method: String, params: [JSONValue])]) throws(RPCError) -> [Result<JSONValue, RPCError>] {
        guard !requests.isEmpty else { return [] }
        let body = JSONValue.array(requests.enumerated().map { Self.request(id: $0.offset, $0.element.method, $0.element.params) })
        return try perform(requests.map(\.method), body: body.serialized()) { (body: [UInt8]) throws(RPCError) in
            guard let answers = try Self.parse(body).arrayValue else { throw .malformed("a batch must be answered with an array") }
            var byID: [Int: JSONValue] = [:]
            for answer in answers {
                guard case .number(let text)? = answer["id"], let id = Int(text) else { throw .malformed("batch answer without a numeric id") }
                byID[id] = answer
            }
            return requests.indices.map { index in
                guard let answer = byID[index] else { return .failure(.malformed("no answer for request \(index)")) }
                return Result { () throws(RPCError) in try Self.result(of: answer) }
            }
        }
    }

    /// Sends `body` until it succeeds, fails permanently, or runs out of attempts.
    ///
    /// `consumer` makes, for each attempt, what takes the answer's body as it arrives (nil: the
    /// body is collected whole); `interpret` then gets what it kept.
    private func perform<T>(_ methods: [String], body: String, consumer: () -> (any ResponseConsumer)? = { nil },
                            interpret: ([UInt8]) throws(RPCError) -> T) throws(RPCError) -> T {
        var attempt = 1
        while true {
            let started = ContinuousClock.now
            count(methods)
            var retryAfter: Duration?
            let outcome = Result { () throws(RPCError) -> T in
                let response = try post(Array(body.utf8), consumer: consumer())
                retryAfter = response.retryAfter
                guard (200..<300).contains(response.status) else {
                    throw .http(status: response.status, body: String(decoding: response.body.prefix(2_000), as: UTF8.self))
                }
                return try interpret(response.body)
            }
            switch outcome {
            case .success(let value):
                RPCMetrics.record(methods: methods, outcome: "ok", elapsed: ContinuousClock.now - started)
                return value
            case .failure(let error):
                RPCMetrics.record(methods: methods, outcome: RPCMetrics.outcome(of: error), elapsed: ContinuousClock.now - started)
                guard error.isTransient, attempt < policy.maxAttempts else { throw error }
                RPCMetrics.retry(reason: RPCMetrics.outcome(of: error))
                counts.withLock { $0["retries", default: 0] += 1 }
                preferNextEndpoint()
                Thread.sleep(forTimeInterval: Self.seconds(policy.delay(attempt: attempt, retryAfter: retryAfter)))
                attempt += 1
            }
        }
    }

    /// One HTTP round trip to the current endpoint, within the concurrency limit.
    private func post(_ body: [UInt8], consumer: (any ResponseConsumer)?) throws(RPCError) -> CurlTransport.Response {
        inFlight.wait()
        defer { inFlight.signal() }
        return try transport.post(url: url, body: body, consumer: consumer)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func parse(_ body: [UInt8]) throws(RPCError) -> JSONValue {
        do { return try JSONValue(parsing: body) } catch { throw .malformed("\(error)") }
    }

    static func request(id: Int, _ method: String, _ params: [JSONValue]) -> JSONValue {
        .object([("jsonrpc", .string("2.0")), ("id", .number(String(id))), ("method", .string(method)), ("params", .array(params))])
    }

    static func result(of answer: JSONValue) throws(RPCError) -> JSONValue {
        if let error = answer["error"] {
            guard case .number(let code)? = error["code"], let number = Int(code) else { throw .malformed("error without a code") }
            throw .rpc(code: number, message: error["message"]?.stringValue ?? "", data: error["data"].map { $0.stringValue ?? $0.serialized() })
        }
        guard let result = answer["result"] else { throw .malformed("answer has neither result nor error") }
        return result
    }
}

// MARK: - Typed calls

extension JSONRPCClient {
    /// `eth_chainId`.
    public func chainID() throws(RPCError) -> UInt64 {
        try quantity(call("eth_chainId", []), "chainId")
    }

    /// `eth_blockNumber`: the head.
    public func blockNumber() throws(RPCError) -> UInt64 {
        try quantity(call("eth_blockNumber", []), "blockNumber")
    }

    /// `eth_getBlockByNumber` without transactions; nil when the node has no such block.
    public func blockHeader(_ tag: BlockTag) throws(RPCError) -> BlockHeader? {
        let value = try call("eth_getBlockByNumber", [tag.json, .bool(false)])
        if value == .null { return nil }
        return try BlockHeader(json: value)
    }

    /// Headers of `numbers`, batched 100 per round trip, in the order asked. A block the node
    /// does not have is an error: the follower only asks for blocks at or below the head.
    public func blockHeaders(_ numbers: [UInt64]) throws(RPCError) -> [BlockHeader] {
        var headers: [BlockHeader] = []
        for start in stride(from: 0, to: numbers.count, by: 100) {
            let chunk = numbers[start..<min(start + 100, numbers.count)]
            let answers = try batch(chunk.map { (method: "eth_getBlockByNumber", params: [BlockTag.number($0).json, .bool(false)]) })
            for (number, answer) in zip(chunk, answers) {
                let value = try answer.get()
                guard value != .null else { throw .malformed("the node has no block \(number)") }
                let header = try BlockHeader(json: value)
                guard header.number == number else { throw .malformed("asked for block \(number), got \(header.number)") }
                headers.append(header)
            }
        }
        return headers
    }

    /// `eth_getLogs`, read straight into ``Log``s (``LogsAnswerReader``).
    public func logs(_ filter: LogFilter) throws(RPCError) -> [Log] {
        try logs([filter])[0]
    }

    /// Several `eth_getLogs` in one batch; the logs of each filter, in filter order. The first
    /// failing filter's error is thrown: a range is either complete or retried.
    public func logs(_ filters: [LogFilter]) throws(RPCError) -> [[Log]] {
        try logs(filters, sieve: nil).map(\.logs)
    }

    /// ``logs(_:)``, dropping what `sieve` drops as each answer is read: a log it drops is
    /// counted in ``LogsAnswer/read`` and never built.
    public func logs(_ filters: [LogFilter], sieve: LogSieve?) throws(RPCError) -> [LogsAnswer] {
        guard !filters.isEmpty else { return [] }
        let single = filters.count == 1
        let body = single ? Self.request(id: 1, "eth_getLogs", [filters[0].json])
            : .array(filters.enumerated().map { Self.request(id: $0.offset, "eth_getLogs", [$0.element.json]) })
        // The answer is read as it arrives (``LogsAnswerStream``): its body is never held whole.
        var stream = LogsAnswerStream(sieve: sieve)
        let answers = try perform(Array(repeating: "eth_getLogs", count: filters.count), body: body.serialized(),
                                  consumer: { stream = LogsAnswerStream(sieve: sieve); return stream }) {
            (_: [UInt8]) throws(RPCError) in
            let answers = try stream.answers(requests: single ? nil : filters.count)
            if single { _ = try answers[0].get() }   // a lone request's error is retried like any call's
            return answers
        }
        var all: [LogsAnswer] = []
        for answer in answers { all.append(try answer.get()) }
        return all
    }

    /// Reads one `eth_getLogs` answer's body whole (for benchmarks and tools).
    public static func readLogs(_ body: [UInt8], sieve: LogSieve?) throws(RPCError) -> LogsAnswer {
        try LogsAnswerReader.read(body, requests: nil, sieve: sieve)[0].get()
    }

    /// Reads one `eth_getLogs` answer as ``logs(_:sieve:)`` does, its body arriving in `chunks`
    /// (for tests and tools: it reads as ``readLogs(_:sieve:)`` reads the whole body).
    ///
    /// ```swift
    /// let answer = try JSONRPCClient.readLogs(chunks: [Array(body[..<100]), Array(body[100...])], sieve: nil)
    /// ```
    public static func readLogs(chunks: some Sequence<[UInt8]>, sieve: LogSieve?) throws(RPCError) -> LogsAnswer {
        let stream = LogsAnswerStream(sieve: sieve)
        for chunk in chunks { chunk.withUnsafeBytes { stream.append($0) } }
        return try stream.answers(requests: nil)[0].get()
    }

    /// `eth_call` of `data` on `to` at `block`; returns the return data.
    public func ethCall(to: EthereumAddress, data: [UInt8], block: BlockTag = .latest) throws(RPCError) -> [UInt8] {
        let tx = JSONValue.object([("to", .string(to.lowercased)), ("data", .string(Hex.encode(data)))])
        return try bytes(call("eth_call", [tx, block.json]), "eth_call result")
    }
}

func quantity(_ value: JSONValue, _ field: String) throws(RPCError) -> UInt64 {
    guard let text = value.stringValue, let number = UInt256(hex: text)?.uint64Value else {
        throw .malformed("\(field) is not a hex quantity: \(value.serialized().prefix(80))")
    }
    return number
}

func bytes(_ value: JSONValue, _ field: String) throws(RPCError) -> [UInt8] {
    guard let text = value.stringValue, let decoded = try? Hex.decode(text) else { throw .malformed("\(field) is not hex data") }
    return decoded
}

func hash(_ value: JSONValue?, _ field: String) throws(RPCError) -> [UInt8] {
    guard let value else { throw .malformed("\(field) is missing") }
    let decoded = try bytes(value, field)
    guard decoded.count == 32 else { throw .malformed("\(field) is not 32 bytes") }
    return decoded
}
