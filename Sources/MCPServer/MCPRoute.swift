import DiscoveryAPI
import Foundation
import HTTPTypes
import Hummingbird
import MCP

/// MCP over Streamable HTTP at `/mcp` on the API's listener, stateless: each POST carries one
/// JSON-RPC message and gets its JSON answer (no session, no server-initiated stream; GET and
/// DELETE are 405, as the spec allows a server without them). Each request gets its own MCP
/// server instance, so two clients that reuse JSON-RPC ids never meet.
///
/// ```swift
/// let router = api.router(mounting: [MCPRoute.mount(version: "0.9.0")])
/// ```
public enum MCPRoute {
    public static let path = "/mcp"
    /// The largest MCP message accepted.
    public static let maxBodyBytes = 262_144

    public static func mount(version: String) -> DiscoveryAPI.Mount {
        { _, api, post in
            let tools = IndexTools(api: api)
            post(path) { request, _ in
                let body: ByteBuffer
                do { body = try await request.body.collect(upTo: maxBodyBytes) } catch {
                    throw APIError(.contentTooLarge, code: "too_large", "an MCP message is at most \(maxBodyBytes) bytes")
                }
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                let transport = StatelessHTTPServerTransport()
                let server = await tools.server(version: version)
                try await server.start(transport: transport)
                let answer = await transport.handleRequest(MCP.HTTPRequest(method: "POST", headers: headers,
                                                                            body: Data(body.readableBytesView), path: path))
                await server.stop()
                var fields = HTTPFields()
                for (name, value) in answer.headers { if let field = HTTPField.Name(name) { fields[field] = value } }
                return Response(status: .init(code: answer.statusCode), headers: fields,
                                body: .init(byteBuffer: ByteBuffer(bytes: answer.bodyData ?? Data())))
            }
        }
    }
}
