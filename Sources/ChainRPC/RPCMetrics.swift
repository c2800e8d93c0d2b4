import Metrics

/// The client's swift-metrics instruments. With no metrics backend bootstrapped they cost nothing.
///
/// - `agentindex_rpc_requests_total{method, outcome}`: one per method sent (batch elements one
///   by one); outcome `ok`, `rpc_error`, `range_limit`, `rate_limited`, `http_error`, `timeout`,
///   `transport` or `malformed`.
/// - `agentindex_rpc_request_duration_seconds{method}`: time per HTTP round trip (a batch is
///   labelled `batch`).
/// - `agentindex_rpc_retries_total{reason}` and `agentindex_rpc_failovers_total`.
enum RPCMetrics {
    static func record(methods: [String], outcome: String, elapsed: Duration) {
        for method in methods {
            Counter(label: "agentindex_rpc_requests_total", dimensions: [("method", method), ("outcome", outcome)]).increment()
        }
        let label = methods.count == 1 ? methods[0] : "batch"
        Metrics.Timer(label: "agentindex_rpc_request_duration_seconds", dimensions: [("method", label)])
            .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }

    static func retry(reason: String) {
        Counter(label: "agentindex_rpc_retries_total", dimensions: [("reason", reason)]).increment()
    }

    static func failover() {
        Counter(label: "agentindex_rpc_failovers_total").increment()
    }

    /// The outcome label of an error.
    static func outcome(of error: RPCError) -> String {
        if error.rangeLimit != nil { return "range_limit" }
        switch error {
        case .http(let status, _): return status == 429 ? "rate_limited" : "http_error"
        case .rpc: return error.isTransient ? "rate_limited" : "rpc_error"
        case .timeout: return "timeout"
        case .transport: return "transport"
        case .malformed: return "malformed"
        }
    }
}
