import EthereumCore
import Foundation
import Testing

/// A running `agentindex serve|run` on a free port. Call ``stop()`` when done (use `defer`).
final class AgentIndexProcess: @unchecked Sendable {
    let process: Process
    let baseURL: String
    private let output: Pipe

    /// Starts `agentindex <arguments> --listen 127.0.0.1:0` and waits for its "listening" line.
    init(_ arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.binary)
        process.arguments = arguments + ["--listen", "127.0.0.1:0", "--log-level", "warning"]
        output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        var url: String?
        var buffer = Data()
        while url == nil {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw DevnetError.exited(process.isRunning ? -1 : process.terminationStatus) }
            buffer.append(chunk)
            for line in buffer.split(separator: UInt8(ascii: "\n")) {
                if let json = try? JSONValue(parsing: Array(line)), json["event"]?.stringValue == "listening" {
                    url = json["url"]?.stringValue
                }
            }
        }
        baseURL = url!
    }

    /// Sends SIGTERM and waits; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { stop() }

    /// GET `path`: the status and the parsed JSON body.
    func get(_ path: String) throws -> (status: Int, body: JSONValue) {
        let result = try runCommand("/usr/bin/curl", ["-s", "-g", "-w", "\n%{http_code}", baseURL + path])
        let parts = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(parts.last ?? "") ?? 0
        let body = parts.dropLast().joined(separator: "\n")
        return (status, try JSONValue(parsing: body))
    }
}

extension Devnet {
    /// The flags that point `agentindex` at this devnet's factory, both registries, its ERC-8004
    /// registries and its USDC.
    var indexFlags: [String] {
        let contracts = info["contracts"]
        func source(_ name: String) -> String {
            "\(contracts?[name]?["address"]?.stringValue ?? "")@\(contracts?[name]?["startBlock"].map { $0.serialized() } ?? "0")"
        }
        var flags = ["--rpc", rpcURL.absoluteString, "--chain-id", info["chainId"]?.serialized() ?? "31337",
                     "--factory", source("factory"), "--registry", source("openRegistry"), "--registry", source("curatedRegistry"),
                     "--poll-interval", "200ms", "--token", contracts?["usdc"]?["address"]?.stringValue ?? ""]
        for (flag, name) in [("--erc8004-identity", "identityRegistry"), ("--erc8004-reputation", "reputationRegistry"),
                             ("--erc8004-validation", "validationRegistry")] where contracts?[name] != nil {
            flags += [flag, source(name)]
        }
        return flags
    }

    /// The checksummed address of a demo agent by name.
    func agent(named name: String) -> String? {
        info["agents"]?.arrayValue?.first { $0["name"]?.stringValue == name }?["address"]?.stringValue
    }
}

/// A temporary directory removed on deinit.
final class TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("agentindex-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A devnet seeded with `scenario`, indexed once (`index --once`, documents not fetched) into
/// `index.sqlite` of a new temporary directory. Stop the devnet when done (use `defer`).
func indexedDevnet(_ scenario: String = "demo") throws -> (devnet: Devnet, dir: TemporaryDirectory, db: String) {
    let devnet = try Devnet(scenario: scenario)
    let dir = try TemporaryDirectory()
    let db = dir.path("index.sqlite")
    let indexed = try runCommand(Paths.binary, ["index", "--once", "--db", db, "--log-level", "warning", "--no-fetch"] + devnet.indexFlags)
    #expect(indexed.status == 0, "\(indexed.stderr)")
    return (devnet, dir, db)
}
