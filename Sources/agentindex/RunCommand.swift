import ArgumentParser
import Foundation
import Indexer
import Logging

/// `agentindex run`: follower and API in one process — the usual way to operate AgentIndex.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Follow the configured chains and serve the discovery API.",
        discussion: "The API serves while the follower backfills; /ready answers 503 until every chain has caught up."
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.bootstrap()
        let config = try options.resolve()
        let group = try FollowerGroup(config: config, logger: logger)
        group.start()
        defer {
            group.stop()
            group.waitUntilStopped()
        }
        try await APIServer.run(store: group.store, config: config, logger: logger)
    }
}
