import ArgumentParser
import Foundation
import Store

/// `agentindex export …`: data out of the database, in canonical forms.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export data from the database.",
        subcommands: [State.self]
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
}
