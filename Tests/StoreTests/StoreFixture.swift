import AgentCards
import EthereumCore
import Foundation
@testable import Store

/// A fresh SQLite file and helpers to write events into it the way the follower does.
final class StoreFixture {
    let directory: URL
    let store: AgentStore
    let chainID: UInt64 = 31337
    let factory = try! EthereumAddress("0x" + String(repeating: "f", count: 40))
    let openRegistry = try! EthereumAddress("0x" + String(repeating: "e", count: 40))
    let curatedRegistry = try! EthereumAddress("0x" + String(repeating: "c", count: 40))
    let owner = try! EthereumAddress("0x" + String(repeating: "1", count: 40))
    private var nextBlock: UInt64 = 10

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("storetests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try AgentStore(path: directory.appendingPathComponent("index.sqlite").path)
        try store.registerChain(id: chainID, name: "test", sources: [
            SourceConfig(address: factory, kind: .factory, startBlock: 1),
            SourceConfig(address: openRegistry, kind: .registry, startBlock: 1),
            SourceConfig(address: curatedRegistry, kind: .registry, startBlock: 1, curated: true),
        ])
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    static func address(_ n: Int) -> EthereumAddress {
        try! EthereumAddress("0x" + String(repeating: "0", count: 32) + String(format: "%08x", n))
    }

    static func card(name: String, description: String = "An agent.", tags: [String] = [], provider: String = "") -> AgentCard {
        AgentCard(name: name, description: description, url: "https://agents.example/\(name.lowercased())/",
                  version: "1.0.0", protocolVersion: "0.3.0",
                  provider: provider.isEmpty ? nil : .init(organization: provider, url: "https://example.org"),
                  iconUrl: nil, documentationUrl: nil,
                  capabilities: .init(streaming: false, pushNotifications: false, stateTransitionHistory: false),
                  defaultInputModes: ["text/plain"], defaultOutputModes: ["application/json"],
                  skills: [.init(id: "skill-\(name.lowercased())", name: "Skill of \(name)", description: "Does things.",
                                 tags: tags, examples: [], inputModes: [], outputModes: [])],
                  extensions: [], payments: [])
    }

    /// Commits one block holding `payloads` (in log order) about `agent`, then `transfers` (each
    /// `(token, from, to, value)` in its own transaction, after the events); returns its number.
    @discardableResult
    func block(_ items: [(agent: EthereumAddress, emitter: EthereumAddress, payload: ChainEvent.Payload)],
               transfers: [(token: EthereumAddress, from: EthereumAddress, to: EthereumAddress, value: UInt256)] = []) throws -> UInt64 {
        let block = nextBlock
        nextBlock += 1
        func provenance(_ index: Int) -> Provenance { Self.provenance(block: block, index) }
        let events = items.enumerated().map { index, item in
            ChainEvent(provenance: provenance(index), emitter: item.emitter, agent: item.agent, payload: item.payload)
        }
        let tokenTransfers = transfers.enumerated().map { index, t in
            TokenTransfer(provenance: provenance(items.count + index), token: t.token, from: t.from, to: t.to, value: t.value,
                          authorized: false)
        }
        try store.apply(RangeBatch(chainID: chainID, fromBlock: block, toBlock: block, events: events, transfers: tokenTransfers,
                                   headBlock: block))
        return block
    }

    /// The provenance of log `index` of `block`, as the fixtures write it (the transaction is the log's).
    static func provenance(block: UInt64, _ index: Int) -> Provenance {
        Provenance(blockNumber: block, blockHash: Array(repeating: UInt8(block & 0xff), count: 32),
                   transactionHash: Array(repeating: UInt8(index), count: 32), logIndex: UInt64(index))
    }

    /// A factory agent with `card`, created in its own block.
    func createAgent(_ n: Int, _ card: AgentCard) throws {
        let agent = Self.address(n)
        try block([
            (agent, agent, .card(CardVersion(origin: .log, raw: card.abiEncoded(), outcome: .success(card)), owner: owner)),
            (agent, factory, .created(factory: factory, owner: owner)),
        ])
    }

    func names(_ query: AgentQuery) throws -> [String] {
        try store.search(query).agents.map { hit in
            (try? JSONValue(parsing: hit.summaryJSON))?["name"]?.stringValue ?? "?"
        }
    }
}
