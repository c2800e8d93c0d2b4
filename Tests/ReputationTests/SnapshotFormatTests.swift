import EthereumCore
import Foundation
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

    @Test("decimals: six places at most, zeros trimmed, the same text as printf's %.6f")
    func decimals() {
        func printf(_ value: Double) -> String {
            var text = String(format: "%.6f", (value * 1_000_000).rounded() / 1_000_000)
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
            return text == "-0" ? "0" : text
        }
        #expect(AgentReputation.decimal(0.25) == "0.25")
        #expect(AgentReputation.decimal(1) == "1")
        #expect(AgentReputation.decimal(-0.0000001) == "0")
        #expect(AgentReputation.decimal(0.1234567) == "0.123457")
        #expect(AgentReputation.decimal(-2.5) == "-2.5")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let value = Double.random(in: -1_000...1_000, using: &generator) / Double([1, 7, 1_000, 3_000_000].randomElement()!)
            #expect(AgentReputation.decimal(value) == printf(value), "\(value)")
        }
        #expect(AgentReputation.decimal(.nan) == printf(.nan))
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
