import AgentCards
@testable import ChainRPC
import EthereumCore
import Foundation
@testable import Indexer
import Store
import Testing

/// The ERC-8004 registries' logs decode to events; hostile or foreign logs are skipped with a
/// reason or kept with what they say, never lost and never a crash.
@Suite("ERC-8004 log decoding")
struct ERC8004LogDecoderTests {
    static let identity = try! EthereumAddress("0x8004A169FB4a3325136EB29fA0ceB6D2e539a432")
    static let reputation = try! EthereumAddress("0x8004BAa17C55a88189AE136b182e5fdA19dE9b63")
    static let owner = try! EthereumAddress("0x00000000000000000000000000000000000000a1")
    let decoder = ERC8004LogDecoder()

    /// A log of `event` from `address`: the indexed values as topics, the others ABI-encoded, as a
    /// node serves them (`string` values may be any bytes).
    func log(_ event: ABIEvent, _ address: EthereumAddress, _ values: [ABIValue], logIndex: UInt64 = 0) throws -> Log {
        var topics = [event.topic0]
        var data: [ABIValue] = [], types: [ABIType] = []
        for (input, value) in zip(event.inputs, values) {
            if input.indexed {
                if case .bytes(let raw) = value { topics.append(Keccak256.hash(raw)) } else {
                    topics.append(try ABIEncoder.encode([value], as: [input.type]))
                }
            } else {
                data.append(value)
                types.append(input.type == .string ? .bytes : input.type)
            }
        }
        return try Log(Log.Fields(address: address.bytes, topics: topics.map { TopicWord($0)! }, data: ABIEncoder.encode(data, as: types),
                                  blockNumber: 7, blockHash: TopicWord([UInt8](repeating: 7, count: 32)),
                                  transactionHash: TopicWord([UInt8](repeating: 1, count: 32)),
                                  transactionIndex: 0, logIndex: logIndex, removed: false, blockTimestamp: nil))
    }

    func event(_ log: Log, _ kind: ERC8004Registry.Kind = .identity) -> ERC8004Event? {
        try? decoder.event(log, registry: kind, identity: Self.identity).get()
    }

    @Test("Registered with a data: URI is decoded and parsed on the spot; the agent is the registry's token")
    func registered() throws {
        let uri = "data:application/json;base64," + Data(#"{"name":"Quill"}"#.utf8).base64EncodedString()
        let decoded = try #require(event(log(ERC8004Events.registered, Self.identity,
                                             [.uint(UInt256(7)), .bytes(Array(uri.utf8)), .address(Self.owner)])))
        #expect(decoded.agent == TokenAgent(registry: Self.identity, tokenID: UInt256(7)))
        guard case .registered(let version, let owner) = decoded.payload else { Issue.record("not Registered"); return }
        #expect(owner == Self.owner && version.document.file?.name == "Quill" && version.rows?.text.name == "quill")
        // A URI that is not UTF-8 is an invalid version of the file, never a lost registration.
        let bad = try #require(event(log(ERC8004Events.uriUpdated, Self.identity, [.uint(UInt256(7)), .bytes([0xff, 0xfe]), .address(Self.owner)])))
        #expect(bad.registrationVersion?.document.reason == "agentURI is not valid UTF-8")
    }

    @Test("ERC-721 transfers, metadata with its plain key, and refresh requests")
    func identityEvents() throws {
        let mint = try #require(event(log(ERC8004Events.transfer, Self.identity, [.address(.zero), .address(Self.owner), .uint(UInt256(3))])))
        #expect(mint.payload == .transferred(from: .zero, to: Self.owner) && mint.agent.tokenID == UInt256(3))
        let wallet = try #require(event(log(ERC8004Events.metadataSet, Self.identity,
                                            [.uint(UInt256(3)), .bytes(Array("agentWallet".utf8)), .bytes(Array("agentWallet".utf8)),
                                             .bytes(Self.owner.bytes)])))
        #expect(wallet.walletSet == Self.owner)
        let batch = try #require(event(log(ERC8004Events.batchMetadataUpdate, Self.identity, [.uint(UInt256(2)), .uint(UInt256(9))])))
        #expect(batch.agent.tokenID == UInt256(2) && batch.payload == .documentRefresh(lastTokenID: UInt256(9)))
        // An ERC-20-shaped Transfer (three topics) from the registry is not an NFT transfer.
        var erc20 = try log(ERC8004Events.transfer, Self.identity, [.address(.zero), .address(Self.owner), .uint(UInt256(3))])
        erc20 = try Log(Log.Fields(address: erc20.address.bytes, topics: Array(erc20.topics.prefix(3)),
                                   data: ABIEncoder.encode([.uint(UInt256(3))], as: [.uint(256)]), blockNumber: 7,
                                   blockHash: erc20.blockWord, transactionHash: erc20.transactionWord, transactionIndex: 0, logIndex: 0,
                                   removed: false, blockTimestamp: nil))
        #expect(throws: LogDecoder.Skipped.self) { try decoder.event(erc20, registry: .identity, identity: Self.identity).get() }
    }

    @Test("feedback keeps its exact signed value and odd text; events are only taken from their own registry")
    func reputationEvents() throws {
        let values: [ABIValue] = [.uint(UInt256(5)), .address(Self.owner), .uint(UInt256(2)), .int(Int256(decimal: "-1234")!),
                                  .uint(UInt256(2)), .bytes(Array("starred".utf8)), .bytes(Array("starred".utf8)),
                                  .bytes([0x41, 0xff, 0x42]), .bytes(Array("https://x".utf8)), .bytes([]),
                                  .fixedBytes([UInt8](repeating: 9, count: 32))]
        let feedbackLog = try log(ERC8004Events.newFeedback, Self.reputation, values)
        let decoded = try #require(event(feedbackLog, .reputation))
        guard case .feedback(let f) = decoded.payload else { Issue.record("not feedback"); return }
        #expect(f.value == Int256(decimal: "-1234")! && f.decimals == 2 && f.index == 2 && f.tag1 == "starred")
        #expect(f.tag2 == "A\u{FFFD}B", "bytes that are not UTF-8 are kept with a replacement character")
        #expect(decoded.agent == TokenAgent(registry: Self.identity, tokenID: UInt256(5)), "the agent is a token of the bound identity registry")
        #expect(decoded.emitter == Self.reputation)
        #expect(throws: LogDecoder.Skipped.self) { try decoder.event(feedbackLog, registry: .identity, identity: Self.identity).get() }
        let truncated = try Log(Log.Fields(address: Self.reputation.bytes, topics: feedbackLog.topics, data: Array(feedbackLog.data.prefix(40)),
                                           blockNumber: 7, blockHash: feedbackLog.blockWord, transactionHash: feedbackLog.transactionWord,
                                           transactionIndex: 0, logIndex: 0, removed: false, blockTimestamp: nil))
        #expect(throws: LogDecoder.Skipped.self) { try decoder.event(truncated, registry: .reputation, identity: Self.identity).get() }
    }

    @Test("the Swift event declarations equal abi/ (contract events and the ERC-8004 registries')")
    func eventsMatchTheCommittedABI() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        func abi(_ path: String) throws -> ContractABI {
            try ContractABI(json: String(contentsOf: root.appendingPathComponent("abi/" + path), encoding: .utf8))
        }
        let files: [(ContractABI, [ABIEvent])] = [
            (try abi("AgentFactory.json"), [ContractEvents.agentCreated]),
            (try abi("AgentRegistry.json"), [ContractEvents.agentRegistered, ContractEvents.agentUnregistered,
                                             ContractEvents.agentApproved, ContractEvents.agentRevoked]),
            (try abi("Agent.json"), ContractEvents.agentEvents),
            (try abi("MockUSDC.json"), [ContractEvents.authorizationUsed]),
            (try abi("erc8004/IdentityRegistry.abi.json"), ERC8004Events.identity),
            (try abi("erc8004/ReputationRegistry.abi.json"), ERC8004Events.reputation),
            (try abi("erc8004/ValidationRegistry.abi.json"), ERC8004Events.validation),
        ]
        for (file, events) in files {
            for event in events {
                let committed = try #require(file.events[event.name], "\(event.name) is in abi/")
                #expect(committed.inputs.map(\.name) == event.inputs.map(\.name), "\(event.name)")
                #expect(committed.inputs.map(\.indexed) == event.inputs.map(\.indexed), "\(event.name)")
                #expect(committed.topic0 == event.topic0, "\(event.name)")
            }
        }
        // MockUSDC names the Transfer fields sender/receiver; the signature is ERC-20's.
        #expect(try abi("MockUSDC.json").events["Transfer"]?.topic0 == ContractEvents.transfer.topic0)
        #expect(ERC8004Events.getIdentityRegistrySelector == ABISignature.selector("getIdentityRegistry()"))
    }
}
