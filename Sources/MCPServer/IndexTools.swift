import AgentCards
import DiscoveryAPI
import EthereumCore
import Foundation
import MCP
import Store

/// The discovery operations as MCP tools: `search_agents` (every filter of `GET /v1/agents`),
/// `get_agent`, `get_card`, `get_reputation`, `get_feedback`. Each answers with the REST API's
/// JSON as `structuredContent` (and the same JSON as text, for clients that read text only);
/// a bad argument or an unknown agent is a tool error (`isError: true`) with the API's message.
///
/// ```swift
/// let tools = IndexTools(api: api)
/// let server = tools.server(version: "0.9.0")      // a configured MCP Server
/// try await server.start(transport: StdioTransport())
/// ```
public struct IndexTools: Sendable {
    public let api: DiscoveryAPI

    public init(api: DiscoveryAPI) { self.api = api }

    /// An MCP server with the tools registered.
    public func server(version: String) async -> Server {
        let server = Server(name: "agentindex", version: version, title: "AgentIndex",
                            instructions: "Find AI agents published on Ethereum and check their payments-based reputation. Start with search_agents; pass an agent's id to the other tools.",
                            capabilities: .init(tools: .init(listChanged: false)))
        let tools = self
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: Self.definitions) }
        await server.withMethodHandler(CallTool.self) { params in tools.call(params.name, params.arguments ?? [:]) }
        return server
    }

    /// Runs one tool.
    public func call(_ name: String, _ arguments: [String: Value]) -> CallTool.Result {
        do {
            let json: String
            switch name {
            case "search_agents":
                var parameters: [String: String] = [:]
                for (key, value) in arguments { parameters[key] = try Self.text(value, key) }
                json = try api.searchJSON(parameters: parameters)
            case "get_agent":
                json = try api.recordJSON(Self.agentID(arguments))
            case "get_card":
                let asked = try arguments["a2aVersion"].map { try Self.text($0, "a2aVersion") }
                guard let version = A2AVersion(query: asked) else { throw ToolError("a2aVersion must be 1.0, 0.3 or dual") }
                json = try api.cardJSON(Self.agentID(arguments), version: version)
            case "get_reputation":
                let atBlock = try arguments["atBlock"].map { value throws -> UInt64 in
                    guard let block = UInt64(try Self.text(value, "atBlock")) else { throw ToolError("atBlock must be a block number") }
                    return block
                }
                json = try api.reputationJSON(Self.agentID(arguments), atBlock: atBlock)
            case "get_feedback":
                let limit = try arguments["limit"].map { value throws -> Int in
                    guard let limit = Int(try Self.text(value, "limit")), (1...100).contains(limit) else { throw ToolError("limit must be 1 to 100") }
                    return limit
                } ?? 20
                json = try api.feedbackJSON(Self.agentID(arguments), limit: limit, cursor: arguments["cursor"].map { try Self.text($0, "cursor") })
            default:
                return Self.failure("no tool '\(name.prefix(64))'; the tools are \(Self.definitions.map(\.name).joined(separator: ", "))")
            }
            let structured = try JSONDecoder().decode(Value.self, from: Data(json.utf8))
            return try CallTool.Result(content: [.text(text: json, annotations: nil, _meta: nil)], structuredContent: structured, isError: false)
        } catch let error as APIError {
            return Self.failure(error.message)
        } catch let error as ToolError {
            return Self.failure(error.message)
        } catch {
            return Self.failure("the index could not answer: \(error)")
        }
    }

    struct ToolError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    static func failure(_ message: String) -> CallTool.Result {
        CallTool.Result(content: [.text(text: message, annotations: nil, _meta: nil)], isError: true)
    }

    static func agentID(_ arguments: [String: Value]) throws -> AgentID {
        guard let id = arguments["id"]?.stringValue else { throw ToolError("id (the agent's id) is required") }
        return try DiscoveryAPI.parseAgentID(id)
    }

    /// An argument as the text the REST API would get in its query string.
    static func text(_ value: Value, _ name: String) throws -> String {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number):
            if number.rounded() == number, abs(number) < 9.0e15 { return String(Int64(number)) }
            return String(number)
        default: throw ToolError("\(name) must be a string, a number or a boolean")
        }
    }
}
