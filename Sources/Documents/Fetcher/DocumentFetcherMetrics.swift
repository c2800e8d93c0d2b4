import Metrics
import Store

/// The document fetcher's swift-metrics instruments (exported by `/metrics`):
///
/// - `agentindex_document_fetches_total{kind, outcome}`: attempts by document kind and outcome
///   (`ok`, `not-modified`, `failed`, `invalid`, `unsupported`, `refused`)
/// - `agentindex_document_fetch_seconds{kind}`: how long attempts took
/// - `agentindex_documents{kind, status}`, `agentindex_documents_due`,
///   `agentindex_documents_oldest_pending_seconds` (gauges, from ``record(backlog:)``)
enum DocumentFetcherMetrics {
    static func attempt(_ result: DocumentResult, kind: DocumentKind, seconds: Double) {
        let outcome: String = switch result.outcome {
        case .content: "ok"
        case .notModified: "not-modified"
        case .failure(let failure, _): failure.rawValue
        }
        Counter(label: "agentindex_document_fetches_total", dimensions: [("kind", kind.rawValue), ("outcome", outcome)]).increment()
        Recorder(label: "agentindex_document_fetch_seconds", dimensions: [("kind", kind.rawValue)]).record(seconds)
    }

    /// Sets the backlog gauges.
    static func record(backlog: DocumentBacklog) {
        for kind in DocumentKind.allCases {
            for status in ["pending", "ok", "stale", "failed", "invalid", "unsupported", "refused"] {
                Gauge(label: "agentindex_documents", dimensions: [("kind", kind.rawValue), ("status", status)])
                    .record(Double(backlog.counts[kind.rawValue]?[status] ?? 0))
            }
        }
        Gauge(label: "agentindex_documents_due").record(Double(backlog.due))
        Gauge(label: "agentindex_documents_oldest_pending_seconds").record(Double(backlog.oldestPendingAge ?? 0))
    }
}
