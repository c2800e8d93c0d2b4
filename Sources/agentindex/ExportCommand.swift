import ArgumentParser
import Crypto
import EthereumCore
import Foundation
import Store
import Synchronization

/// `agentindex export …`: data out of the database, in canonical forms.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export data from the database.",
        subcommands: [State.self, ReputationSnapshot.self]
    )

    /// `agentindex export state --db PATH [--out FILE]`.
    struct State: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every agent with its current card, status and provenance, as JSON Lines.",
            discussion: "Ordered by chain id, then lowercase address; keys in a fixed order; the same chain always gives the same bytes."
        )

        @Option(name: .long, help: "The SQLite database file.")
        var db: String

        @Option(name: .long, help: "Write to this file instead of stdout.")
        var out: String?

        func run() throws {
            let store = try AgentStore(path: db, readOnly: true)
            let output: FileHandle
            if let out {
                guard FileManager.default.createFile(atPath: out, contents: nil) else { throw CommandFailure("cannot write \(out)") }
                output = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            } else {
                output = .standardOutput
            }
            var buffer = Data()
            try store.forEachAgentRecord { record in
                buffer.append(contentsOf: record.serialized().utf8)
                buffer.append(0x0A)
                if buffer.count > 1 << 16 { output.write(buffer); buffer.removeAll(keepingCapacity: true) }
            }
            output.write(buffer)
            if out != nil { try output.close() }
        }
    }

    /// `agentindex export reputation --db PATH [--at-block N] --format csv|jsonl --out FILE`.
    struct ReputationSnapshot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reputation",
            abstract: "A reputation snapshot at a block, as CSV or JSON Lines, with FILE.manifest.json beside it.",
            discussion: """
                Counts only events at or below --at-block (default: the indexed block). The same database, block and \
                formula always give the same bytes. The manifest names the chain, the block and its hash, the formula, \
                the tool, the columns, the row count and the file's sha256.
                """
        )

        @Option(name: .long, help: "The SQLite database file.")
        var db: String

        @Option(name: .customLong("at-block"), help: "Count events at or below this block (default: the indexed block).")
        var atBlock: UInt64?

        @Option(name: .customLong("chain-id"), help: "The chain, when the database holds several.")
        var chainID: UInt64?

        @Option(name: .long, help: "csv or jsonl.")
        var format: String = "csv"

        @Option(name: .long, help: "The snapshot file to write; the manifest goes to FILE.manifest.json, its signature to FILE.manifest.json.sig.")
        var out: String

        @Option(name: .customLong("signing-key"), help: "The key file that signs the manifest (default: <db>.key; created, mode 0600, when absent).")
        var signingKey: String?

        func run() throws {
            guard let format = SnapshotFormat(rawValue: format) else { throw CommandFailure("--format must be csv or jsonl") }
            let started = ContinuousClock.now
            let store = try AgentStore(path: db, readOnly: true)
            let plan: SnapshotPlan
            do { plan = try store.snapshotPlan(chainID: chainID, atBlock: atBlock) } catch let error as ReputationRequestError {
                throw CommandFailure("export reputation: \(error)")
            }
            guard FileManager.default.createFile(atPath: out, contents: nil) else { throw CommandFailure("cannot write \(out)") }
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            var hasher = SHA256()
            func write(_ text: String) {
                let data = Data(text.utf8)
                hasher.update(data: data)
                output.write(data)
            }
            write(format.header)
            let addresses = try store.snapshotAddresses(plan)
            let chunks = stride(from: 0, to: addresses.count, by: 512).map { Array(addresses[$0..<min($0 + 512, addresses.count)]) }
            let width = 8 * max(1, ProcessInfo.processInfo.activeProcessorCount)   // chunks in flight: evens out busy agents
            for start in stride(from: 0, to: chunks.count, by: width) {
                let window = Array(chunks[start..<min(start + width, chunks.count)])
                for text in try Self.rows(store, plan, format, window) { write(text) }
            }
            let rows = addresses.count
            try output.close()
            let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            let manifest = plan.manifest(format: format, tool: "agentindex \(AgentIndexCommand.version)", rows: rows, sha256: digest)
            let manifestBytes = Data((manifest.serialized() + "\n").utf8)
            guard FileManager.default.createFile(atPath: out + ".manifest.json", contents: manifestBytes) else {
                throw CommandFailure("cannot write \(out).manifest.json")
            }
            let signature = try ManifestSignature.make(manifest: Array(manifestBytes), plan: plan,
                                                       signer: SigningKeyFile.signer(at: signingKey ?? db + ".key"))
            guard FileManager.default.createFile(atPath: out + ".manifest.json.sig", contents: Data((signature.serialized() + "\n").utf8)) else {
                throw CommandFailure("cannot write \(out).manifest.json.sig")
            }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(JSONValue.object([
                ("event", .string("exported")), ("file", .string(out)), ("rows", .number(String(rows))),
                ("blockNumber", .number(String(plan.atBlock))), ("sha256", .string(digest)),
                ("seconds", .number(String(format: "%.3f", seconds))),
            ]).serialized())
        }

        /// The rows of each chunk of addresses, in order, computed side by side on every core:
        /// each chunk is its own read of rows that never change.
        static func rows(_ store: AgentStore, _ plan: SnapshotPlan, _ format: SnapshotFormat,
                         _ chunks: [[String]]) throws -> [String] {
            let results = Mutex<[Result<String, any Error>?]>(Array(repeating: nil, count: chunks.count))
            DispatchQueue.concurrentPerform(iterations: chunks.count) { index in
                let result = Result { try store.snapshotRows(plan, format: format, addresses: chunks[index]) }
                results.withLock { $0[index] = result }
            }
            return try results.withLock { $0 }.map { try $0!.get() }
        }
    }
}
