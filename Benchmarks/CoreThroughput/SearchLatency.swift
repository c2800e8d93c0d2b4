// `agentindex-bench search DB SECONDS QUERY...`: the discovery queries of `make bench`, run
// in-process through the store (no HTTP, no cache), in turn for SECONDS on one thread. Prints one
// JSON object: p50/p99 in milliseconds and queries per second over the mix, and each query's p50.
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
    // Round robin over the mix, like wrk's script, so a slow query weighs as much as a fast one.
    var latencies: [Double] = []
    var perQuery = Array(repeating: [Double](), count: queries.count)
    let clock = ContinuousClock()
    let started = clock.now
    let until = started + .seconds(seconds)
    var next = 0
    while clock.now < until || latencies.count < queries.count {
        let start = clock.now
        _ = try store.search(queries[next])
        let elapsed = clock.now - start
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3
        latencies.append(milliseconds)
        perQuery[next].append(milliseconds)
        next = (next + 1) % queries.count
    }
    let total = clock.now - started
    func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
    let totalSeconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
    let medians = zip(arguments.dropFirst(2), perQuery).map { query, values in
        String(format: "\"%@\": %.3f", query.replacingOccurrences(of: "\"", with: "\\\""), percentile(values, 0.5))
    }
    print(String(format: #"{"queries": %d, "p50_ms": %.3f, "p99_ms": %.3f, "per_second": %.0f, "p50_ms_by_query": {%@}}"#,
                 latencies.count, percentile(latencies, 0.5), percentile(latencies, 0.99),
                 Double(latencies.count) / totalSeconds, medians.joined(separator: ", ")))
}
