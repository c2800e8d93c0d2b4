import ArgumentParser
import Foundation
import Indexer
import Logging

/// `agentindex run`: follower and API in one process — the usual way to operate AgentIndex.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Follow the configured chains and serve the discovery API.",
        discussion: "The API serves while the follower backfills; /ready answers 503 until every chain has caught up. Off-chain documents (registration files, A2A cards, domain proofs, feedback files) are fetched alongside unless --no-fetch."
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var fetch: FetchOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.bootstrap()
        var config = try options.resolve()
        try fetch.apply(to: &config)
        let group = try FollowerGroup(config: config, logger: logger)
        group.start()
        let documents = DocumentStage.fetcher(store: group.store, config: config, logger: logger)
        documents?.start()
        defer {
            documents?.stop()
            group.stop()
            group.waitUntilStopped()
            documents?.waitUntilStopped(timeout: .seconds(2))
        }
        try await APIServer.run(store: group.store, config: config, logger: logger)
    }
}
