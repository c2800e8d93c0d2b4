import EthereumCore
import Foundation

/// A running devnet (Tests/Devnet) on a free port. Call ``stop()`` when done (use `defer`).
final class Devnet: @unchecked Sendable {
    let process: Process
    /// The JSON line `devnet start` printed: chain id, RPC URL, contracts, agents.
    let info: JSONValue
    let rpcURL: URL

    /// Starts a devnet with `scenario` (on `chainID`, default 31337) and waits until it has printed its description.
    init(scenario: String = "demo", chainID: UInt64? = nil) throws {
        (process, info) = try startDevnetCommand(["start", "--port", "0", "--scenario", scenario]
                                                 + (chainID.map { ["--chain-id", String($0)] } ?? []))
        guard let url = info["rpcUrl"]?.stringValue.flatMap(URL.init(string:)) else { throw DevnetError.noURL }
        rpcURL = url
    }

    /// Stops the devnet and waits for it to exit.
    func stop() {
        terminate(process)
    }

    deinit { stop() }

    /// One JSON-RPC call; returns `result` or throws the node's error.
    func call(_ method: String, _ params: [JSONValue]) throws -> JSONValue {
        let body = JSONValue.object([("jsonrpc", .string("2.0")), ("id", .number("1")), ("method", .string(method)), ("params", .array(params))])
        let response = try post(body.serialized())
        if let error = response["error"] { throw DevnetError.rpc(error.serialized()) }
        return response["result"] ?? .null
    }

    /// Posts raw JSON text and parses the answer.
    func post(_ text: String) throws -> JSONValue {
        let result = try runCommand("/usr/bin/curl", ["-s", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", text, rpcURL.absoluteString])
        guard result.status == 0 else { throw DevnetError.http(result.stderr) }
        return try JSONValue(parsing: result.stdout)
    }
}

/// Runs `Tests/Devnet/devnet ARGUMENTS` and waits for the JSON line it prints once it serves.
func startDevnetCommand(_ arguments: [String]) throws -> (Process, JSONValue) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Paths.devnet)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.standardError
    try process.run()
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
        let chunk = out.fileHandleForReading.availableData
        if chunk.isEmpty { throw DevnetError.exited(process.isRunning ? -1 : process.terminationStatus) }
        line.append(chunk)
    }
    return (process, try JSONValue(parsing: Array(line.prefix { $0 != UInt8(ascii: "\n") })))
}

/// Stops a child process with SIGTERM (SIGKILL after 5 s) and waits for it.
func terminate(_ process: Process) {
    guard process.isRunning else { return }
    process.terminate()
    let deadline = Date().addingTimeInterval(5)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
}

enum DevnetError: Error {
    case exited(Int32)
    case noURL
    case rpc(String)
    case http(String)
}
