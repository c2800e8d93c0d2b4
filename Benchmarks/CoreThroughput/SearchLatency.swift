// `agentindex-bench search DB SECONDS QUERY...`: the discovery queries of `make bench`, run
// in-process through the store (no HTTP), each for SECONDS/count seconds on one thread. Prints
// one JSON object: p50/p99 in milliseconds and queries per second over the whole mix.
import DiscoveryAPI
import Foundation
import Store

func searchLatency(_ arguments: [String]) throws {
    guard arguments.count >= 3, let seconds = Double(arguments[1]) else {
        FileHandle.standardError.write(Data("usage: agentindex-bench search DB SECONDS QUERY...\n".utf8))
        exit(2)
    }
    let store = try AgentStore(path: arguments[0], readOnly: true)
    let queries = try arguments.dropFirst(2).map { try AgentQuery(queryString: $0) }
    var latencies: [Double] = []
    let clock = ContinuousClock()
    let started = clock.now
    for query in queries {
        let until = clock.now + .seconds(seconds / Double(queries.count))
        while clock.now < until {
            let start = clock.now
            _ = try store.search(query)
            let elapsed = clock.now - start
            latencies.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)
        }
    }
    let total = clock.now - started
    latencies.sort()
    let percentile = { (p: Double) in latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
    let totalSeconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
    print(String(format: #"{"queries": %d, "p50_ms": %.3f, "p99_ms": %.3f, "per_second": %.0f}"#,
                 latencies.count, percentile(0.5), percentile(0.99), Double(latencies.count) / totalSeconds))
}
