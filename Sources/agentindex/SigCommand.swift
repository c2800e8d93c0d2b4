import ArgumentParser
import EthereumCore

/// `agentindex sig …`: signature recovery.
struct SigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sig",
        abstract: "Recover signers of secp256k1 signatures.",
        subcommands: [Recover.self, PersonalHash.self]
    )

    struct Recover: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the checksummed address that signed a 32-byte hash.")
        @Argument(help: "The 32-byte hash, 0x-prefixed.") var hash: String
        @Argument(help: "The 65-byte signature r‖s‖v, v as 0/1 or 27/28.") var signature: String

        func run() throws {
            do {
                let address = try Secp256k1.recoverAddress(hash: try Hex.decode(hash), signature: try Hex.decode(signature))
                print(address.checksummed)
            } catch {
                throw CommandFailure("cannot recover: \(error)")
            }
        }
    }

    struct PersonalHash: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "personal-hash",
            abstract: "Print the EIP-191 hash of a personal message (UTF-8 text).")
        @Argument(help: "The message text.") var message: String

        func run() {
            print(Hex.encode(Secp256k1.personalMessageHash(Array(message.utf8))))
        }
    }
}
