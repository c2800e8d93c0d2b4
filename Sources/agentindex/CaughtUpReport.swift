import EthereumCore
import Foundation
import Indexer

/// The line `index` and `run` print on stdout when a chain has caught up: machine-readable
/// (tests and scripts wait for it), with the throughput figures.
enum CaughtUpReport {
    static func line(_ follower: ChainFollower, elapsed: Duration) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let stats = follower.statistics
        let rpc = follower.client.requestCounts.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.number(String($0.value))) }
        func number(_ value: UInt64?) -> JSONValue { value.map { .number(String($0)) } ?? .null }
        return JSONValue.object([
            ("event", .string("caughtUp")),
            ("chain", .string(follower.config.name)),
            ("chainId", .number(String(follower.config.chainID))),
            ("indexedBlock", number(follower.indexedBlock)),
            ("headBlock", number(follower.head)),
            ("ranges", .number(String(stats.ranges))),
            ("blocks", .number(String(stats.blocks))),
            ("logs", .number(String(stats.logs))),
            ("events", .number(String(stats.events))),
            ("skippedLogs", .number(String(stats.skippedLogs))),
            ("cardCalls", .number(String(stats.cardCalls))),
            ("seconds", .number(String(format: "%.3f", seconds))),
            ("logsPerSecond", .number(String(format: "%.0f", seconds > 0 ? Double(stats.logs) / seconds : 0))),
            ("reorgs", .number(String(stats.reorgs))),
            ("rangeRefusals", .number(String(stats.rangeRefusals))),
            ("invalidCards", .number(String(stats.invalidCards))),
            ("peakRSSMegabytes", .number(String(format: "%.1f", peakRSSMegabytes()))),
            ("rpcRequests", .object(rpc)),
        ]).serialized()
    }

    /// The process's peak resident set size so far (getrusage; kilobytes on Linux).
    static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func print(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
