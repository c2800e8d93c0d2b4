import ArgumentParser
import EthereumCore
import Foundation

/// `agentindex abi …`: selectors, topics, decoding and encoding in the project's JSON convention.
struct ABICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abi",
        abstract: "Selectors, event topics, ABI decoding and encoding.",
        subcommands: [Selector.self, Topic.self, Decode.self, Encode.self]
    )

    struct Selector: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the 4-byte selector of a function signature.")
        @Argument(help: "A signature such as 'transfer(address,uint256)'.") var signature: String

        func run() throws {
            print(Hex.encode(ABISignature.selector(try canonical(signature))))
        }
    }

    struct Topic: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the 32-byte topic0 of an event signature.")
        @Argument(help: "A signature such as 'Transfer(address,address,uint256)'.") var signature: String

        func run() throws {
            print(Hex.encode(ABISignature.topic(try canonical(signature))))
        }
    }

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode ABI data as JSON: a JSON array with one element per type.")
        @Argument(help: "Types: '(string,uint256[])' or 'string,uint256[]'.") var types: String
        @Argument(help: "0x-prefixed ABI-encoded data.") var data: String

        func run() throws {
            let parsed = try parseTypes(types)
            let bytes: [UInt8]
            do { bytes = try Hex.decode(data) } catch { throw CommandFailure("data: \(error)") }
            do {
                let values = try ABIDecoder.decode(parsed, from: bytes)
                print(JSONValue.array(values.map(\.json)).serialized())
            } catch {
                throw CommandFailure("cannot decode: \(error)")
            }
        }
    }

    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encode a JSON array of values (one per type) as ABI data.")
        @Argument(help: "Types: '(string,uint256[])' or 'string,uint256[]'.") var types: String
        @Argument(help: #"A JSON array of values, e.g. '["hi", ["1","2"]]'."#) var json: String

        func run() throws {
            let parsed = try parseTypes(types)
            let document: JSONValue
            do { document = try JSONValue(parsing: json) } catch { throw CommandFailure("json: \(error)") }
            guard let items = document.arrayValue else { throw CommandFailure("json: expected an array with one value per type") }
            do {
                let value = try ABIValue(json: .array(items), as: .tuple(parsed))
                print(Hex.encode(try ABIEncoder.encode(value.elements ?? [], as: parsed)))
            } catch {
                throw CommandFailure("cannot encode: \(error)")
            }
        }
    }
}

/// A type list, written with or without the outer parentheses.
func parseTypes(_ text: String) throws -> [ABIType] {
    do {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("("), trimmed.hasSuffix(")"), case .tuple(let members) = try ABIType(trimmed) {
            return members
        }
        return try ABIType.list(trimmed)
    } catch {
        throw CommandFailure("types: \(error)")
    }
}

func canonical(_ signature: String) throws -> String {
    do { return try ABISignature.canonical(signature) } catch { throw CommandFailure("signature: \(error)") }
}
