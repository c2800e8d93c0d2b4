import ArgumentParser
import Foundation

/// `agentindex`: the root command. Results go to stdout; an error is one line on stderr and exit 1.
@main
struct AgentIndexCommand: AsyncParsableCommand {
    static let version = "0.4.0"

    static let configuration = CommandConfiguration(
        commandName: "agentindex",
        abstract: "Index AI agents' A2A AgentCards published on Ethereum.",
        version: version,
        subcommands: [RunCommand.self, IndexCommand.self, ServeCommand.self, StatusCommand.self, ExportCommand.self,
                      MCPCommand.self, ABICommand.self, SigCommand.self, CardCommand.self, DocumentsCommand.self]
    )

    /// Parses and runs, mapping every failure to one line on stderr and exit status 1.
    static func main() async {
        AllocatorSettings.apply()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = (error as? CommandFailure)?.message
                ?? fullMessage(for: error).split(separator: "\n").first.map(String.init)
                ?? "\(error)"
            FileHandleOutput.standardError("error: " + message.replacingOccurrences(of: "Error: ", with: ""))
            Foundation.exit(1)
        }
    }
}

/// An error the user can act on, printed as one line.
struct CommandFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Writing to the standard streams.
enum FileHandleOutput {
    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
