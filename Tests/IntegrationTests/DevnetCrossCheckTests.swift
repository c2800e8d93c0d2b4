import AgentCards
import EthereumCore
import Foundation
import Testing

/// Checks against the independent Python side: Vyper's compiled ABI, eth-abi's encodings, and
/// transactions signed by the real local EVM.
@Suite(.serialized) struct DevnetCrossCheckTests {
    /// abi/ is the interface the indexer is built against: it must equal what the sources compile to.
    @Test(arguments: ["Agent", "AgentFactory", "AgentRegistry", "MockUSDC"])
    func committedABIMatchesCompiledContracts(contract: String) throws {
        let compiled = try runCommand(Paths.devnet, ["abi", "--contract", contract])
        #expect(compiled.status == 0, "\(compiled.stderr)")
        let committed = try JSONValue(parsing: Paths.read("abi/\(contract).json"))
        #expect(try JSONValue(parsing: compiled.stdout) == committed, "abi/\(contract).json drifted: run `make abi`")
        _ = try ContractABI(json: Paths.read("abi/\(contract).json"))
    }

    /// The devnet's ERC-8004 registries stand in for the reference contracts: every event they
    /// declare is the reference's (signature and indexed flags; Vyper renames `from`/`to` and the
    /// reserved `value`), they declare every event the indexer follows, and every function
    /// ../shared/reference/erc8004/FACTS.md names has the reference's signature and outputs.
    @Test(arguments: [
        ("IdentityRegistry", ["register", "setAgentURI", "setMetadata", "getMetadata", "setAgentWallet", "unsetAgentWallet",
                              "getAgentWallet", "transferFrom", "safeTransferFrom", "approve", "setApprovalForAll", "ownerOf", "tokenURI"]),
        ("ReputationRegistry", ["giveFeedback", "revokeFeedback", "appendResponse", "getIdentityRegistry", "getLastIndex", "readFeedback"]),
        ("ValidationRegistry", ["validationRequest", "validationResponse", "getIdentityRegistry", "getValidationStatus"]),
    ])
    func devnetERC8004RegistriesMatchTheReference(contract: String, functions: [String]) throws {
        let compiled = try runCommand(Paths.devnet, ["abi", "--contract", contract])
        #expect(compiled.status == 0, "\(compiled.stderr)")
        let ours = try ContractABI(json: compiled.stdout)
        let reference = try ContractABI(json: Paths.read("abi/erc8004/\(contract).abi.json"))
        for event in ours.allEvents {
            let standard = try #require(reference.events[event.name], "\(contract) declares \(event.name), which the reference does not")
            #expect(event.signature == standard.signature && event.inputs.map(\.indexed) == standard.inputs.map(\.indexed), "\(event.name)")
        }
        let followed = ["IdentityRegistry": ["Transfer", "Registered", "URIUpdated", "MetadataSet", "MetadataUpdate", "BatchMetadataUpdate"],
                        "ReputationRegistry": ["NewFeedback", "FeedbackRevoked", "ResponseAppended"],
                        "ValidationRegistry": ["ValidationRequest", "ValidationResponse"]][contract] ?? []
        for name in followed { #expect(ours.events[name] != nil, "\(contract) must emit \(name)") }
        for name in functions {
            func overloads(_ abi: ContractABI) -> Set<String> {
                Set(abi.allFunctions.filter { $0.name == name }.map { $0.signature + "->" + $0.outputs.map(\.type.canonical).joined(separator: ",") })
            }
            #expect(!overloads(reference).isEmpty && overloads(ours) == overloads(reference), "\(contract).\(name)")
        }
    }

    @Test func agentABIHasTheSpecifiedInterface() throws {
        let agent = try ContractABI(json: Paths.read("abi/Agent.json"))
        let card = "(string,string,string,string,string,string,string,string,string,(bool,bool,bool),string[],string[],"
            + "(string,string,string,string[],string[],string[],string[])[],(string,string,bool,string)[],(string,string,address,uint256,address)[])"
        #expect(agent.functions["getAgentCard"]?.outputs.map(\.type.canonical) == [card])
        #expect(agent.functions["updateCard"]?.signature == "updateCard(\(card))")
        #expect(agent.events["AgentCardUpdated"]?.signature == "AgentCardUpdated(address,bytes)")
        #expect(agent.events["PaymentReceived"]?.signature == "PaymentReceived(address,address,uint256)")
        #expect(agent.events["Rated"]?.signature == "Rated(address,uint8,string)")
        let factory = try ContractABI(json: Paths.read("abi/AgentFactory.json"))
        #expect(factory.events["AgentCreated"]?.signature == "AgentCreated(address,address,uint256)")
        #expect(factory.functions["createAgent"]?.signature == "createAgent(\(card))")
        let usdc = try ContractABI(json: Paths.read("abi/MockUSDC.json"))
        #expect(usdc.functions["transferWithAuthorization"]?.signature
                == "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)")
        #expect(usdc.events["AuthorizationUsed"]?.signature == "AuthorizationUsed(address,bytes32)")
    }

    /// eth-abi encodes random values of random types; Swift decodes them to the same JSON and
    /// re-encodes them to the same bytes.
    @Test func ethABIVectorsDecodeAndEncodeIdentically() throws {
        let generated = try runCommand(Paths.devnet, ["abi-vectors", "--count", "400", "--seed", "2026"])
        #expect(generated.status == 0, "\(generated.stderr)")
        var checked = 0
        for line in generated.stdout.split(separator: "\n") {
            let vector = try JSONValue(parsing: String(line))
            let types = try vector["types"]!.arrayValue!.map { try ABIType($0.stringValue!) }
            let data = try Hex.decode(vector["hex"]!.stringValue!)
            let decoded = try ABIDecoder.decode(types, from: data)
            #expect(JSONValue.array(decoded.map(\.json)) == vector["values"]!, "\(types)")
            #expect(try ABIEncoder.encode(decoded, as: types) == data, "\(types)")
            checked += 1
        }
        #expect(checked == 400)
    }

    /// Every transaction in the demo chain: the sender recovered from (r, s, v) equals `from`.
    /// And a card read with eth_call is the same bytes the AgentCardUpdated log carried.
    @Test func devnetTransactionsAndCards() throws {
        let devnet = try Devnet(scenario: "demo")
        defer { devnet.stop() }
        #expect(try devnet.call("eth_chainId", []) == .string("0x7a69"))
        let head = try Int(devnet.call("eth_blockNumber", []).stringValue!.dropFirst(2), radix: 16)!
        #expect(head > 50)

        var recovered = 0
        for number in [1, 3, head / 2, head] {
            let block = try devnet.call("eth_getBlockByNumber", [.string("0x" + String(number, radix: 16)), .bool(true)])
            for tx in block["transactions"]!.arrayValue! {
                let sender = try SignedTransaction(rpc: tx).recoverSender()
                #expect(sender == (try EthereumAddress(tx["from"]!.stringValue!)))
                recovered += 1
            }
        }
        #expect(recovered >= 4)

        let agentABI = try ContractABI(json: Paths.read("abi/Agent.json"))
        let getCard = agentABI.functions["getAgentCard"]!
        let updated = agentABI.events["AgentCardUpdated"]!
        let agent = devnet.info["agents"]!.arrayValue![0]["address"]!.stringValue!
        let callResult = try devnet.call("eth_call", [.object([("to", .string(agent)), ("data", .string(Hex.encode(getCard.selector)))]), .string("latest")])
        let cardBytes = try Hex.decode(callResult.stringValue!)
        let logs = try devnet.call("eth_getLogs", [.object([
            ("fromBlock", .string("0x0")), ("toBlock", .string("latest")), ("address", .string(agent)),
            ("topics", .array([.string(Hex.encode(updated.topic0))]))])])
        let log = logs.arrayValue!.last!
        let decodedLog = try updated.decodeLog(topics: log["topics"]!.arrayValue!.map { try Hex.decode($0.stringValue!) },
                                               data: Hex.decode(log["data"]!.stringValue!))
        #expect(decodedLog["card"] == .bytes(cardBytes))
        let card = try getCard.decodeOutput(cardBytes)
        #expect(card[0].elements?[0] == .string("LexTranslate"))

        // The domain model reads the same layout, and every demo agent's card is valid.
        #expect(getCard.outputs.map(\.type) == [AgentCard.abiType])
        for entry in devnet.info["agents"]!.arrayValue! {
            let address = entry["address"]!.stringValue!
            let raw = try devnet.call("eth_call", [.object([("to", .string(address)), ("data", .string(Hex.encode(getCard.selector)))]), .string("latest")])
            let decoded = try AgentCard(abiEncoded: Hex.decode(raw.stringValue!))
            #expect(decoded.name == entry["name"]!.stringValue!)
            #expect(!decoded.skills.isEmpty)
        }
        let printed = try agentindex("card", "decode", callResult.stringValue!)
        #expect(printed.status == 0)
        let a2a = try JSONValue(parsing: printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(a2a["name"] == .string("LexTranslate"))
        #expect(a2a["capabilities"]?["extensions"]?.arrayValue?.last?["params"]?["accepts"]?.arrayValue?.first?["payTo"] != nil)
        let refused = try agentindex("card", "decode", "0x" + String(repeating: "ff", count: 64))
        #expect(refused.status == 1 && refused.stderr.hasPrefix("error: invalid card: card does not decode"))

        // logIndex is block-wide and increasing; a range past the head is an error.
        let all = try devnet.call("eth_getLogs", [.object([("fromBlock", .string("0x0")), ("toBlock", .string("latest"))])]).arrayValue!
        var lastByBlock: [String: Int] = [:]
        for entry in all {
            let blockHash = entry["blockHash"]!.stringValue!
            let index = Int(entry["logIndex"]!.stringValue!.dropFirst(2), radix: 16)!
            #expect(index == (lastByBlock[blockHash].map { $0 + 1 } ?? 0))
            lastByBlock[blockHash] = index
        }
        #expect(throws: DevnetError.self) {
            try devnet.call("eth_getLogs", [.object([("fromBlock", .string("0x0")), ("toBlock", .string("0x" + String(head + 10, radix: 16)))])])
        }
    }
}

extension SignedTransaction {
    /// Reads a transaction object as JSON-RPC returns it.
    init(rpc tx: JSONValue) throws {
        func quantity(_ key: String) -> UInt256? { tx[key]?.stringValue.flatMap { UInt256(hex: $0) } }
        let accessList = try (tx["accessList"]?.arrayValue ?? []).map { entry in
            SignedTransaction.AccessListEntry(
                address: try EthereumAddress(entry["address"]!.stringValue!),
                storageKeys: try entry["storageKeys"]!.arrayValue!.map { try Hex.decode($0.stringValue!) })
        }
        self.init(
            type: UInt8(quantity("type")?.uint64Value ?? 0), chainID: quantity("chainId"), nonce: quantity("nonce")!,
            gasPrice: quantity("gasPrice"), maxPriorityFeePerGas: quantity("maxPriorityFeePerGas"), maxFeePerGas: quantity("maxFeePerGas"),
            gas: quantity("gas")!, to: try tx["to"]?.stringValue.map { try EthereumAddress($0) }, value: quantity("value")!,
            input: try Hex.decode(tx["input"]!.stringValue!), accessList: accessList,
            v: quantity("v")!, r: quantity("r")!, s: quantity("s")!)
    }
}
