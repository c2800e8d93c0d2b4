import EthereumCore
import Foundation
import Testing

/// The API against its own contract: schemathesis (PyPI, in the devnet venv) generates valid and
/// invalid requests for every operation of schemas/openapi.yaml — and the stateful sequences the
/// spec's links allow — and checks every answer (`--checks all`). Over two chains in one database:
/// contract agents (demo) and ERC-8004 agents with feedback and validations.
@Suite("API contract: schemathesis finds nothing", .serialized)
struct APIContractTests {
    @Test("schemathesis run schemas/openapi.yaml --checks all: 0 failures, 0 errors")
    func schemathesis() throws {
        let contracts = try Devnet(scenario: "demo")
        defer { contracts.stop() }
        let erc8004 = try Devnet(scenario: "erc8004", chainID: 31338)
        defer { erc8004.stop() }
        let dir = try TemporaryDirectory()
        let db = dir.path("index.sqlite")
        for devnet in [contracts, erc8004] {
            let indexed = try runCommand(Paths.binary, ["index", "--once", "--db", db, "--log-level", "warning"] + devnet.indexFlags)
            #expect(indexed.status == 0, "\(indexed.stderr)")
        }
        let server = try AgentIndexProcess(["serve", "--db", db])
        defer { server.stop() }
        let schemathesis = Paths.root.appendingPathComponent("Tests/Devnet/.venv/bin/schemathesis").path
        // Run in the temporary directory: hypothesis keeps its example database in the working directory.
        let arguments = ["run", Paths.root.appendingPathComponent("schemas/openapi.yaml").path, "--url", server.baseURL,
                         "--checks", "all", "--max-examples", "40", "--seed", "20261206", "--no-color", "--request-timeout", "10"]
        let run = try runCommand("/bin/sh", ["-c", "cd \"$0\" && exec \"$@\"", dir.url.path, schemathesis] + arguments)
        #expect(run.status == 0, "\(run.stdout.suffix(6000))\(run.stderr.suffix(2000))")
        #expect(run.stdout.contains("No issues found"), "\(run.stdout.suffix(3000))")
        #expect(server.stop() == 0, "the server (and its open event streams) stops cleanly")
    }
}
