import Metrics
import Prometheus

/// The process's metrics: swift-metrics instruments (ChainRPC, Indexer) recorded into one
/// Prometheus registry, which `GET /metrics` renders.
enum ProcessMetrics {
    static let registry = PrometheusCollectorRegistry()

    /// Installs the Prometheus backend; call once, before any instrument is made.
    static func bootstrap() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
        ]
        factory.valueHistogramBuckets["agentindex_reorg_depth_blocks"] = [1, 2, 3, 5, 8, 13, 21, 34, 64, 128, 256]
        MetricsSystem.bootstrap(factory)
    }
}
