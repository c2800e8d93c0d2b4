import DiscoveryAPI
import MCP

/// MCP over stdio, for local hosts that start `agentindex mcp --db FILE` as a subprocess.
public enum MCPStdio {
    /// Serves the tools on stdin/stdout until the host closes stdin.
    public static func run(api: DiscoveryAPI, version: String) async throws {
        let server = await IndexTools(api: api).server(version: version)
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
    }
}
