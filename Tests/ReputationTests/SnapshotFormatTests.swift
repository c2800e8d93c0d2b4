import EthereumCore
import Reputation
import Testing

@Suite("Snapshot rows")
struct SnapshotFormatTests {
    func reputation(name: String?) -> AgentReputation {
        let address = try! EthereumAddress("0x00000000000000000000000000000000000000a1")
        let payer = try! EthereumAddress("0x00000000000000000000000000000000000000d1")
        let huge = UInt256(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639935")!
        let payments = [PaymentRecord(position: ChainPosition(block: 3, logIndex: 1), timestamp: 1_000, payer: payer,
                                      asset: .zero, amount: huge, counted: true)]
        let clock = ReputationClock(block: 9, timestamp: 2_000)
        return AgentReputation(agentID: "eip155:1:\(address.checksummed)", chainID: 1, address: address, name: name, owner: nil,
                               active: true, lastHeartbeat: nil,
                               metrics: ReputationMetrics(payments: payments, ratings: [], clock: clock), clock: clock)
    }

    @Test("CSV quotes text with commas and quotes, keeps amounts exact and leaves nulls empty")
    func csv() {
        let line = SnapshotFormat.csv.line(reputation(name: "Say \"hi\", then\nleave"))
        #expect(line.hasSuffix("\n"))
        #expect(line.contains("\"Say \"\"hi\"\", then\nleave\""))
        #expect(line.contains("0x0000000000000000000000000000000000000000=115792089237316195423570985008687907853269984665640564039457584007913129639935"))
        #expect(SnapshotFormat.csv.header.split(separator: ",").count == SnapshotFormat.columns.count)
        #expect(SnapshotFormat.csv.line(reputation(name: nil)).contains(",,"))
    }

    @Test("JSON Lines carry the columns in order; the same value gives the same bytes")
    func jsonl() throws {
        let line = SnapshotFormat.jsonl.line(reputation(name: "A"))
        #expect(line == SnapshotFormat.jsonl.line(reputation(name: "A")))
        let object = try JSONValue(parsing: Array(line.utf8.dropLast()))
        guard case .object(let members) = object else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == SnapshotFormat.columns)
        #expect(object["payments"] == .number("1"))
        #expect(object["name"] == .string("A"))
    }
}
