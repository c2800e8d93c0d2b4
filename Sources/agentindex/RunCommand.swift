import ArgumentParser
import Foundation
import Indexer
import Logging
import Store

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
        try config.validateChains()
        let store = try AgentStore(path: config.database)
        let group = try FollowerGroup(config: config, store: store, logger: logger)
        group.start { follower, elapsed in CaughtUpReport.print(CaughtUpReport.line(follower, elapsed: elapsed)) }
        defer {
            group.stop()
            group.waitUntilStopped()
        }
        try await APIServer.run(store: store, listen: config.listen, logger: logger)
    }
}
