import Metrics

/// The follower's swift-metrics instruments, labelled by chain name. Exported by `/metrics`
/// when the command line bootstraps the Prometheus backend.
///
/// - `agentindex_head_block`, `agentindex_indexed_block`, `agentindex_lag_blocks` (gauges)
/// - `agentindex_logs_processed_total`, `agentindex_events_total`, `agentindex_invalid_cards_total`
/// - `agentindex_reorgs_total`, `agentindex_reorg_depth_blocks` (histogram of depths)
/// - `agentindex_range_refusals_total` (a provider refused a range: it was split)
/// - `agentindex_lagging_node_total` (head behind the indexed block, or logs missing that the bloom promised)
struct FollowerMetrics {
    let dimensions: [(String, String)]

    init(chain: String) {
        dimensions = [("chain", chain)]
    }

    func positions(head: UInt64?, indexed: UInt64?) {
        if let head { Gauge(label: "agentindex_head_block", dimensions: dimensions).record(Double(head)) }
        if let indexed { Gauge(label: "agentindex_indexed_block", dimensions: dimensions).record(Double(indexed)) }
        if let head, let indexed {
            Gauge(label: "agentindex_lag_blocks", dimensions: dimensions).record(Double(head > indexed ? head - indexed : 0))
        }
    }

    func range(logs: Int, events: Int, invalidCards: Int) {
        Counter(label: "agentindex_logs_processed_total", dimensions: dimensions).increment(by: logs)
        Counter(label: "agentindex_events_total", dimensions: dimensions).increment(by: events)
        if invalidCards > 0 { Counter(label: "agentindex_invalid_cards_total", dimensions: dimensions).increment(by: invalidCards) }
    }

    func reorg(depth: UInt64) {
        Counter(label: "agentindex_reorgs_total", dimensions: dimensions).increment()
        Recorder(label: "agentindex_reorg_depth_blocks", dimensions: dimensions).record(Double(depth))
    }

    func rangeRefused() {
        Counter(label: "agentindex_range_refusals_total", dimensions: dimensions).increment()
    }

    func laggingNode() {
        Counter(label: "agentindex_lagging_node_total", dimensions: dimensions).increment()
    }
}
