import EthereumCore
import Foundation
import Hummingbird
import Store

/// AgentIndex as an A2A agent: the JSON-RPC endpoint its card names (`POST /a2a`).
///
/// Speaks A2A v1.0 (`SendMessage`, `GetTask`, `CancelTask`) and v0.3 (`message/send`,
/// `tasks/get`, `tasks/cancel`) on the same URL; the method name says which. A message's text
/// parts are a search (`q`), a data part carries `/v1/agents` filters, or `{"agentId": …}` for a
/// reputation. The reply is a completed task whose artifact holds the results as a data part and
/// a short text summary; tasks are kept (the last 1,000) for `GetTask`.
///
/// Errors are the ones A2A names: -32700 parse error, -32600 invalid request (also a body over
/// 64 KiB), -32601 method not found, -32602 invalid params, -32001 task not found, -32002 task
/// not cancelable, -32003 push notifications not supported, -32004 unsupported operation
/// (streaming), -32005 content type not supported (file parts), -32007 no extended card.
struct A2AEndpoint: Sendable {
    let api: DiscoveryAPI
    let tasks: A2ATaskMemory

    static let maxBodyBytes = 65_536

    /// The wire dialect of a call.
    enum Dialect { case v10, v03 }

    struct RPCError: Error {
        var code: Int
        var message: String
        init(_ code: Int, _ message: String) { self.code = code; self.message = message }
    }

    func handle(_ request: Request) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBodyBytes)
        } catch {
            return Self.reply(id: .null, error: RPCError(-32600, "the request is larger than \(Self.maxBodyBytes) bytes"))
        }
        let root: JSONValue
        do { root = try JSONValue(parsing: Array(body.readableBytesView), maxDepth: 32) } catch {
            return Self.reply(id: .null, error: RPCError(-32700, "the body is not JSON: \(error)"))
        }
        guard case .object = root, root["jsonrpc"] == .string("2.0"), let method = root["method"]?.stringValue else {
            return Self.reply(id: Self.validID(root["id"]) ?? .null, error: RPCError(-32600, "not a JSON-RPC 2.0 request object"))
        }
        guard let id = Self.validID(root["id"]) else {
            return Self.reply(id: .null, error: RPCError(-32600, "a request needs an id (a string or a number)"))
        }
        do {
            return Self.reply(id: id, result: try call(method, params: root["params"] ?? .null))
        } catch let error as RPCError {
            return Self.reply(id: id, error: error)
        }
    }

    static func validID(_ value: JSONValue?) -> JSONValue? {
        switch value {
        case .string?, .number?: value
        default: nil
        }
    }

    func call(_ method: String, params: JSONValue) throws -> JSONValue {
        switch method {
        case "SendMessage": return .object([("task", try send(params, .v10).json(.v10))])
        case "message/send": return try send(params, .v03).json(.v03)
        case "GetTask": return try get(params).json(.v10, historyLength: Self.historyLength(params))
        case "tasks/get": return try get(params).json(.v03, historyLength: Self.historyLength(params))
        case "CancelTask", "tasks/cancel":
            let task = try get(params)
            throw RPCError(-32002, "task \(task.id) is completed and cannot be canceled")
        case "SendStreamingMessage", "SubscribeToTask", "message/stream", "tasks/resubscribe":
            throw RPCError(-32004, "streaming is not supported (capabilities.streaming is false); use SendMessage / message/send")
        case "ListTasks":
            throw RPCError(-32004, "listing tasks is not supported; GetTask takes a task id")
        case let name where name.contains("PushNotificationConfig") || name.hasPrefix("tasks/pushNotificationConfig/"):
            throw RPCError(-32003, "push notifications are not supported")
        case "GetExtendedAgentCard", "agent/getAuthenticatedExtendedCard":
            throw RPCError(-32007, "there is no extended agent card: the public card is the whole card")
        default:
            throw RPCError(-32601, "no method '\(method.prefix(64))'")
        }
    }

    static func historyLength(_ params: JSONValue) -> Int? {
        params["historyLength"].flatMap { Int($0.serialized()) }
    }

    func get(_ params: JSONValue) throws -> A2ATask {
        guard case .object = params, let id = params["id"]?.stringValue else { throw RPCError(-32602, "params.id (the task id) is required") }
        guard let task = tasks.task(id) else { throw RPCError(-32001, "no task \(id.prefix(64)) (tasks are kept for the last 1,000 messages)") }
        return task
    }

    /// Reads the message, runs the search or the reputation it asks for, remembers the task.
    func send(_ params: JSONValue, _ dialect: Dialect) throws -> A2ATask {
        guard case .object = params, let message = params["message"], case .object = message else {
            throw RPCError(-32602, "params.message is required")
        }
        guard let messageID = message["messageId"]?.stringValue, !messageID.isEmpty else {
            throw RPCError(-32602, "message.messageId is required")
        }
        guard let parts = message["parts"]?.arrayValue, !parts.isEmpty, parts.count <= 64 else {
            throw RPCError(-32602, "message.parts must hold 1 to 64 parts")
        }
        var texts: [String] = []
        var data: [(String, JSONValue)] = []
        for (index, part) in parts.enumerated() {
            let kind = dialect == .v03 ? part["kind"]?.stringValue : nil
            if let text = part["text"]?.stringValue, dialect == .v10 || kind == "text" {
                texts.append(text)
            } else if case .object(let members)? = part["data"], dialect == .v10 || kind == "data" {
                data += members
            } else if part["file"] != nil || part["url"] != nil || part["raw"] != nil || kind == "file" {
                throw RPCError(-32005, "parts[\(index)]: files are not supported; send text or data")
            } else {
                throw RPCError(-32602, "parts[\(index)] is not a text or data part")
            }
        }
        let contextID = message["contextId"]?.stringValue.flatMap { $0.isEmpty ? nil : String($0.prefix(128)) } ?? UUID().uuidString.lowercased()
        let request = A2ATask.UserMessage(messageID: String(messageID.prefix(128)), texts: texts, data: data)
        let result: (name: String, data: JSONValue, summary: String)
        do {
            result = try answer(texts: texts, data: data)
        } catch let error as APIError {
            throw RPCError(error.status == .notFound ? -32602 : error.status.code >= 500 ? -32603 : -32602, error.message)
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(-32603, "the index could not answer: \(error)")
        }
        let task = A2ATask(id: UUID().uuidString.lowercased(), contextID: contextID, timestamp: Date(), request: request,
                           artifactName: result.name, data: result.data, summary: result.summary)
        tasks.remember(task)
        return task
    }

    /// A reputation when the data names an agent; otherwise a search with the text as `q`.
    func answer(texts: [String], data: [(String, JSONValue)]) throws -> (name: String, data: JSONValue, summary: String) {
        var filters: [String: String] = [:]
        for (name, value) in data {
            switch value {
            case .string(let text): filters[name] = text
            case .number(let text):
                // Protobuf clients send every number as a double: 2 arrives as 2.0.
                if let value = Double(text), value.rounded() == value, abs(value) < 9.0e15 { filters[name] = String(Int64(value)) } else { filters[name] = text }
            case .bool(let flag): filters[name] = flag ? "true" : "false"
            default: throw RPCError(-32602, "data.\(name.prefix(64)) must be a string, a number or a boolean")
            }
        }
        if let agent = filters.removeValue(forKey: "agentId") {
            let id = try DiscoveryAPI.parseAgentID(agent)
            let atBlock = try filters.removeValue(forKey: "atBlock").map { text throws -> UInt64 in
                guard let block = UInt64(text) else { throw RPCError(-32602, "data.atBlock must be a block number") }
                return block
            }
            guard filters.isEmpty else { throw RPCError(-32602, "a reputation takes agentId and atBlock only, not \(filters.keys.sorted().joined(separator: ", "))") }
            let reputation = try JSONValue(parsing: api.reputationJSON(id, atBlock: atBlock))
            let metrics = reputation["metrics"]
            return ("reputation", reputation,
                    "\(id): score \(reputation["score"]?.serialized() ?? "?") (\(reputation["formula"]?.stringValue ?? "")) from "
                        + "\(metrics?["payments"]?.serialized() ?? "0") counted payments by \(metrics?["uniquePayers"]?.serialized() ?? "0") payers.")
        }
        let text = texts.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
        if filters["q"] == nil, !text.isEmpty { filters["q"] = String(text.prefix(AgentQuery.maxTextCharacters)) }
        guard !filters.isEmpty else { throw RPCError(-32602, "the message has no text to search for and no filters") }
        let results = try JSONValue(parsing: api.searchJSON(parameters: filters))
        let agents = results["agents"]?.arrayValue ?? []
        let names = agents.prefix(5).map { agent in
            "\(agent["name"]?.stringValue ?? agent["id"]?.stringValue ?? "?") (score \(agent["score"]?.serialized() ?? "0"))"
        }
        let what = filters["q"].map { "“\($0)”" } ?? "those filters"
        let summary = agents.isEmpty ? "No agent matches \(what)."
            : "\(agents.count) agent\(agents.count == 1 ? "" : "s") for \(what)\(results["nextCursor"] != .null ? " (more with nextCursor)" : ""): "
                + names.joined(separator: ", ") + (agents.count > 5 ? ", …" : "") + "."
        return ("agents", results, summary)
    }

    static func reply(id: JSONValue, result: JSONValue) -> Response {
        JSONText.response(JSONValue.object([("jsonrpc", .string("2.0")), ("id", id), ("result", result)]).serialized())
    }

    static func reply(id: JSONValue, error: RPCError) -> Response {
        JSONText.response(JSONValue.object([
            ("jsonrpc", .string("2.0")), ("id", id),
            ("error", .object([("code", .number(String(error.code))), ("message", .string(error.message))])),
        ]).serialized())
    }
}
