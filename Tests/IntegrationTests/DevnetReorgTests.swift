import EthereumCore
import Testing

/// The devnet's snapshot and revert produce real reorgs that a JSON-RPC client can see.
@Suite struct DevnetReorgTests {
    func number(_ value: JSONValue) -> Int { Int(value.stringValue!.dropFirst(2), radix: 16)! }
    func hex(_ n: Int) -> JSONValue { .string("0x" + String(n, radix: 16)) }

    @Test func revertThenMineReplacesBlocksAndTheirLogs() throws {
        let devnet = try Devnet(scenario: "empty")
        defer { devnet.stop() }
        let deployer = devnet.info["accounts"]!["deployer"]!.stringValue!
        let usdc = devnet.info["contracts"]!["usdc"]!["address"]!.stringValue!
        let mint = try ABIFunction(name: "mint", inputs: ABIType.list("address,uint256").map { ABIParameter(name: "", type: $0) }, outputs: [])

        let base = number(try devnet.call("eth_blockNumber", []))
        let snapshot = try devnet.call("evm_snapshot", [])
        let data = Hex.encode(try mint.encodeCall([.address(try EthereumAddress(deployer)), .uint(UInt256(5))]))
        _ = try devnet.call("eth_sendTransaction", [.object([("from", .string(deployer)), ("to", .string(usdc)), ("data", .string(data))])])
        let oldBlock = try devnet.call("eth_getBlockByNumber", [hex(base + 1), .bool(false)])
        let oldHash = oldBlock["hash"]!.stringValue!
        #expect(try devnet.call("eth_getLogs", [.object([("blockHash", .string(oldHash))])]).arrayValue?.count == 1)

        #expect(try devnet.call("evm_revert", [snapshot]) == .bool(true))
        #expect(number(try devnet.call("eth_blockNumber", [])) == base)
        _ = try devnet.call("evm_mine", [])
        _ = try devnet.call("evm_mine", [])
        let newBlock = try devnet.call("eth_getBlockByNumber", [hex(base + 1), .bool(false)])
        #expect(newBlock["hash"]!.stringValue! != oldHash)
        #expect(newBlock["parentHash"] == oldBlock["parentHash"])
        #expect(try devnet.call("eth_getLogs", [.object([("fromBlock", hex(base + 1)), ("toBlock", hex(base + 2))])]).arrayValue?.isEmpty == true)
        #expect(throws: DevnetError.self) { try devnet.call("eth_getLogs", [.object([("blockHash", .string(oldHash))])]) }
        #expect(try devnet.call("eth_getBlockByHash", [.string(oldHash), .bool(false)]) == .null)
    }

    @Test func batchesAnswerEachRequest() throws {
        let devnet = try Devnet(scenario: "empty")
        defer { devnet.stop() }
        let answer = try devnet.post(#"[{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]},{"jsonrpc":"2.0","id":2,"method":"eth_nope","params":[]},{"jsonrpc":"2.0","id":3,"method":"eth_getBlockByNumber","params":["finalized",false]}]"#)
        let items = try #require(answer.arrayValue)
        #expect(items.count == 3)
        #expect(items[0]["result"] == .string("0x7a69"))
        #expect(items[1]["error"]?["code"] == .number("-32601"))
        #expect(items[2]["result"]?["number"] == .string("0x0"))
    }
}
