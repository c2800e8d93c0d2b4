import EthereumCore
import Foundation
import Testing

/// A running fault-injecting JSON-RPC proxy (`devnet proxy`, Tests/Devnet/agentdevnet/faultproxy.py)
/// in front of a devnet. Call ``stop()`` when done (use `defer`).
final class FaultProxy: @unchecked Sendable {
    let process: Process
    let url: String

    /// Starts the proxy in front of `devnet` with `options` (e.g. `["--error-rate", "0.3"]`).
    init(_ devnet: Devnet, _ options: [String]) throws {
        let info: JSONValue
        (process, info) = try startDevnetCommand(["proxy", "--upstream", devnet.rpcURL.absoluteString, "--port", "0"] + options)
        guard let url = info["rpcUrl"]?.stringValue else { throw DevnetError.noURL }
        self.url = url
    }

    /// What the proxy forwarded and injected: requests, methods, faults, refused, lagged, emptied.
    func stats() throws -> JSONValue {
        try JSONValue(parsing: runCommand("/usr/bin/curl", ["-s", url]).stdout)
    }

    func stop() { terminate(process) }

    deinit { stop() }
}

extension Devnet {
    /// ``indexFlags`` with the RPC URL replaced by `url` (a proxy in front of this devnet).
    func indexFlags(through url: String) -> [String] {
        var flags = indexFlags
        if let index = flags.firstIndex(of: "--rpc") { flags[index + 1] = url }
        return flags
    }

    /// The head block number.
    func head() throws -> Int {
        Int(try call("eth_blockNumber", []).stringValue?.dropFirst(2) ?? "", radix: 16) ?? -1
    }
}

/// The last stdout line of a command: its caught-up report.
func lastLine(_ result: CommandResult) throws -> JSONValue {
    try JSONValue(parsing: result.stdout.split(separator: "\n").last.map(String.init) ?? "")
}

/// Indexes `flags` into a fresh database in `dir` with `index --once` and returns `export state`.
func freshExport(_ dir: TemporaryDirectory, _ name: String, _ flags: [String]) throws -> String {
    let db = dir.path(name)
    let indexed = try runCommand(Paths.binary, ["index", "--once", "--db", db, "--log-level", "warning"] + flags)
    guard indexed.status == 0 else { throw DevnetError.exited(indexed.status) }
    return try agentindex("export", "state", "--db", db).stdout
}

/// Expects the databases `first` and `second` to hold the same: `export state` and `export
/// reputation` byte for byte, and not empty.
func expectSameExports(_ first: String, _ second: String, in dir: TemporaryDirectory,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
    let state = try agentindex("export", "state", "--db", first).stdout
    let otherState = try agentindex("export", "state", "--db", second).stdout
    #expect(!state.isEmpty && state == otherState, "export state differs", sourceLocation: sourceLocation)
    let a = dir.path("first-reputation.csv"), b = dir.path("second-reputation.csv")
    _ = try agentindex("export", "reputation", "--db", first, "--out", a)
    _ = try agentindex("export", "reputation", "--db", second, "--out", b)
    #expect(try String(contentsOfFile: a, encoding: .utf8) == String(contentsOfFile: b, encoding: .utf8),
            "export reputation differs", sourceLocation: sourceLocation)
}

extension JSONValue {
    /// The element at `index` of an array.
    subscript(index: Int) -> JSONValue? {
        guard let items = arrayValue, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// The members of an object.
    var objectValue: [(String, JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }
}
