import AgentCards
import ArgumentParser
import EthereumCore

/// `agentindex card …`: AgentCards as the indexer reads them.
struct CardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card",
        abstract: "Decode and validate on-chain AgentCards.",
        subcommands: [Decode.self]
    )

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode ABI-encoded (AgentCard) bytes — getAgentCard() return data or AgentCardUpdated.card — and print A2A JSON.")
        @Argument(help: "0x-prefixed ABI-encoded (AgentCard).") var data: String

        func run() throws {
            let bytes: [UInt8]
            do { bytes = try Hex.decode(data) } catch { throw CommandFailure("data: \(error)") }
            do {
                print(try AgentCard(abiEncoded: bytes).a2aJSON().serialized())
            } catch {
                throw CommandFailure("invalid card: \(error)")
            }
        }
    }
}
