import AgentCards
import ChainRPC
import EthereumCore
import Testing

/// The libcurl JSON-RPC client against the real devnet.
@Suite struct ChainRPCTests {
    @Test func typedCallsBatchesAndErrors() throws {
        let devnet = try Devnet(scenario: "demo")
        defer { devnet.stop() }
        let client = JSONRPCClient(url: devnet.rpcURL.absoluteString)

        #expect(try client.chainID() == 31337)
        let head = try client.blockNumber()
        #expect(head == UInt64(devnet.info["headBlock"]!.serialized())!)
        let header = try #require(try client.blockHeader(.number(head)))
        let parent = try #require(try client.blockHeader(.number(head - 1)))
        #expect(header.parentHash == parent.hash)
        #expect(try client.blockHeader(.number(head + 100)) == nil)

        // Every factory child is announced by AgentCreated; the decoded cards match the agents.
        let factoryABI = try ContractABI(json: Paths.read("abi/AgentFactory.json"))
        let created = factoryABI.events["AgentCreated"]!
        let factory = try EthereumAddress(devnet.info["contracts"]!["factory"]!["address"]!.stringValue!)
        let logs = try client.logs(LogFilter(fromBlock: 0, toBlock: head, addresses: [factory], topics: [[created.topic0]]))
        let factoryAgents = devnet.info["agents"]!.arrayValue!.filter { $0["source"] == .string("factory") }
        #expect(logs.count == factoryAgents.count)

        // The bloom of a block holding AgentCreated names the factory; one without logs names nobody.
        let withLog = try #require(try client.blockHeader(.number(logs[0].blockNumber))?.logsBloom)
        #expect(withLog.mayContain(address: factory))
        #expect(withLog.mayContain(LogsBloom.Probe(address: factory, topic: created.topic0)))
        #expect(!withLog.mayContain(address: try EthereumAddress("0x000000000000000000000000000000000000dEaD")))
        let empty = try #require(try client.blockHeader(.number(0))?.logsBloom)
        #expect(!empty.mayContain(address: factory))
        let getCard = try ContractABI(json: Paths.read("abi/Agent.json")).functions["getAgentCard"]!
        for (log, agent) in zip(logs, factoryAgents) {
            let child = try #require(try created.decodeLog(topics: log.topics, data: log.data)["agent"]?.addressValue)
            #expect(child.checksummed == agent["address"]!.stringValue!)
            let card = try AgentCard(abiEncoded: client.ethCall(to: child, data: getCard.selector, block: .number(head)))
            #expect(card.name == agent["name"]!.stringValue!)
        }

        // A batch answers each request in order, errors in place.
        let answers = try client.batch([("eth_chainId", []), ("eth_noSuchMethod", []), ("eth_blockNumber", [])])
        #expect(try answers[0].get() == .string("0x7a69"))
        #expect(throws: RPCError.rpc(code: -32601, message: "the method eth_noSuchMethod does not exist/is not available", data: nil)) { try answers[1].get() }
        #expect(answers.count == 3)

        // A revert is a JSON-RPC error with code 3; a range past the head is refused by the node.
        let agentAt = factoryABI.functions["agentAt"]!
        do {
            _ = try client.ethCall(to: factory, data: agentAt.encodeCall([.uint(UInt256(9_999))]))
            Issue.record("expected a revert")
        } catch {
            guard case .rpc(let code, _, _)? = error as? RPCError else { Issue.record("unexpected \(error)"); return }
            #expect(code == 3)
        }
        #expect(throws: RPCError.self) { try client.logs(LogFilter(fromBlock: 0, toBlock: head + 5)) }
    }

    @Test func aRefusedConnectionIsATransportError() throws {
        // Port 9 (discard) on loopback has no listener here.
        let client = JSONRPCClient(url: "http://127.0.0.1:9")
        do {
            _ = try client.blockNumber()
            Issue.record("expected a transport error")
        } catch {
            guard case .transport = error else { Issue.record("unexpected \(error)"); return }
        }
    }
}
