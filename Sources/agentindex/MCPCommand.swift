import ArgumentParser
import DiscoveryAPI
import Logging
import MCPServer
import Store

/// `agentindex mcp --db FILE`: the MCP tools over stdio, for a local MCP host (Claude Desktop,
/// an IDE, an agent framework) that starts the command as a subprocess.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the discovery tools over MCP on stdin/stdout (read-only on the database).",
        discussion: """
            Tools: search_agents, get_agent, get_card, get_reputation, get_feedback. Logs go to \
            stderr; stdout carries only MCP messages. The same tools are served over Streamable \
            HTTP at /mcp by `run` and `serve`.
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        _ = logging.bootstrap()
        let config = try options.resolve()
        let store = try AgentStore(path: config.database, readOnly: true)
        try await MCPStdio.run(api: DiscoveryAPI(store: store, searchCacheBytes: config.searchCacheMB << 20), version: AgentIndexCommand.version)
    }
}
