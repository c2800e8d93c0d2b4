import ArgumentParser
import DiscoveryAPI
import Documents
import Foundation
import Hummingbird
import Logging
import MCPServer
import NIOCore
import Store

/// `agentindex serve`: the API only, reading the database another process writes.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the discovery API from a database (read-only).",
        discussion: "Prints {\"event\":\"listening\",\"url\":…} on stdout once bound; stops on SIGTERM/SIGINT."
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.bootstrap()
        let config = try options.resolve()
        let store = try AgentStore(path: config.database, readOnly: true)
        try await APIServer.run(store: store, config: config, logger: logger)
    }
}

/// Runs the discovery API until SIGTERM/SIGINT.
enum APIServer {
    static func run(store: AgentStore, config: AppConfig, logger: Logger) async throws {
        unblockTerminationSignals()
        let listen = config.listen
        let signer = try SigningKeyFile.signer(at: config.resolvedSigningKeyFile)
        let api = DiscoveryAPI(store: store, searchCacheBytes: config.searchCacheMB << 20,
                               metrics: {
                                   DocumentFetcher.recordBacklog(of: store)
                                   return ProcessMetrics.registry.emitToString()
                               },
                               signer: signer, corsOrigins: config.corsOrigins, rateLimit: config.rateLimit,
                               agentVersion: AgentIndexCommand.version, publicURL: config.publicURL)
        let app = Application(
            router: api.router(mounting: [MCPRoute.mount(version: AgentIndexCommand.version)]),
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "agentindex"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? listen.port
                CaughtUpReport.print(#"{"event":"listening","url":"http://\#(listen.host):\#(port)"}"#)
            },
            logger: logger
        )
        try await app.runService()
    }
}
