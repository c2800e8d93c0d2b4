import Testing
@testable import EthereumCore

@Suite struct ContractABITests {
    static let erc20 = #"""
    [{"type":"event","name":"Transfer","anonymous":false,"inputs":[
       {"name":"from","type":"address","indexed":true},{"name":"to","type":"address","indexed":true},
       {"name":"value","type":"uint256","indexed":false}]},
     {"type":"event","name":"Note","inputs":[{"name":"text","type":"string","indexed":true},{"name":"n","type":"uint8","indexed":false}]},
     {"type":"function","name":"transfer","stateMutability":"nonpayable",
      "inputs":[{"name":"to","type":"address"},{"name":"amount","type":"uint256"}],"outputs":[{"name":"","type":"bool"}]},
     {"type":"function","name":"submit","inputs":[{"name":"items","type":"tuple[2][]","components":[
        {"name":"id","type":"string"},{"name":"tags","type":"string[]"}]}],"outputs":[]},
     {"type":"constructor","inputs":[]}]
    """#

    @Test func signaturesSelectorsAndTopics() throws {
        let abi = try ContractABI(json: Self.erc20)
        #expect(abi.functions["transfer"]?.signature == "transfer(address,uint256)")
        #expect(abi.functions["transfer"].map { Hex.encode($0.selector) } == "0xa9059cbb")
        #expect(abi.functions["submit"]?.signature == "submit((string,string[])[2][])")
        #expect(abi.events["Transfer"].map { Hex.encode($0.topic0) } == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
        #expect(abi.functions["submit"]?.inputs[0].components.map(\.name) == ["id", "tags"])
    }

    @Test func decodesLogsWithIndexedStaticAndDynamicValues() throws {
        let abi = try ContractABI(json: Self.erc20)
        let from = try EthereumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
        let to = try EthereumAddress("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")
        let transfer = abi.events["Transfer"]!
        let decoded = try transfer.decodeLog(topics: [transfer.topic0, from.word, to.word], data: UInt256(1_000_000).bigEndianBytes)
        #expect(decoded["from"] == .address(from))
        #expect(decoded["to"] == .address(to))
        #expect(decoded["value"] == .uint(UInt256(1_000_000)))

        let note = abi.events["Note"]!
        let hashed = Keccak256.hash("hello")
        let noteLog = try note.decodeLog(topics: [note.topic0, hashed], data: UInt256(3).bigEndianBytes)
        #expect(noteLog.arguments[0].isHashedTopic)
        #expect(noteLog["text"] == .fixedBytes(hashed))

        #expect(throws: ABIError.self) { try transfer.decodeLog(topics: [transfer.topic0, from.word], data: []) }
        #expect(throws: ABIError.self) { try transfer.decodeLog(topics: [note.topic0, from.word, to.word], data: UInt256(1).bigEndianBytes) }
        var dirty = to.word
        dirty[0] = 1
        #expect(throws: ABIError.self) { try transfer.decodeLog(topics: [transfer.topic0, from.word, dirty], data: UInt256(1).bigEndianBytes) }
    }

    @Test func malformedABIFilesAreErrors() {
        #expect(throws: ContractABIError.self) { try ContractABI(json: "{}") }
        #expect(throws: ContractABIError.self) { try ContractABI(json: #"[{"type":"function","name":"f","inputs":[{"type":"uint7"}]}]"#) }
        #expect(throws: ContractABIError.self) { try ContractABI(json: #"[{"type":"event"}]"#) }
    }
}
