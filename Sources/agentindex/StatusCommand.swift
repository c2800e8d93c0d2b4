import ArgumentParser
import DiscoveryAPI
import EthereumCore
import Store

/// `agentindex status --db PATH`: per chain, the indexed block, agents and invalid cards.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show how far indexing got and which agents are invalid, per chain."
    )

    @Option(name: .long, help: "The SQLite database file.")
    var db: String

    @Flag(name: .long, help: "Print JSON (the same object as GET /status).")
    var json = false

    func run() throws {
        let chains = try AgentStore(path: db, readOnly: true).status()
        if json {
            print(JSONValue.object([("chains", .array(chains.map(\.json)))]).serialized())
            return
        }
        for chain in chains {
            let indexed = chain.indexedBlock.map(String.init) ?? "none"
            let head = chain.headBlock.map(String.init) ?? "?"
            print("\(chain.name) (chain \(chain.chainID)): indexed block \(indexed) of \(head)\(chain.caughtUp ? ", caught up" : "")"
                  + (chain.bulkBackfill ? ", backfilling in bulk (read indexes suspended)" : "")
                  + (chain.paymentsStagedFrom.map { ", payments from block \($0) staged until caught up" } ?? ""))
            print("  agents: \(chain.agents) (ERC-8004: \(chain.erc8004Agents), files pending: \(chain.pendingDocuments)), "
                  + "searchable: \(chain.searchable), invalid cards and files: \(chain.invalid.count)")
            for invalid in chain.invalid {
                print("  invalid \(invalid.id): \(invalid.reason)")
            }
        }
    }
}
