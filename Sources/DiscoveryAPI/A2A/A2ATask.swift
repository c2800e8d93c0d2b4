import EthereumCore
import Foundation
import Synchronization

/// A completed A2A task: the user's message, and the artifact AgentIndex answered with, kept in
/// a form either A2A dialect can be rendered from (a v0.3 client may fetch a task a v1.0 client made).
struct A2ATask: Sendable {
    /// The parts of the message that asked.
    struct UserMessage: Sendable {
        var messageID: String
        var texts: [String]
        var data: [(String, JSONValue)]
    }

    var id: String
    var contextID: String
    var timestamp: Date
    var request: UserMessage
    var artifactName: String
    var data: JSONValue
    var summary: String

    /// The task as the dialect writes it (v1.0: proto JSON names and enums; v0.3: `kind` tags).
    func json(_ dialect: A2AEndpoint.Dialect, historyLength: Int? = nil) -> JSONValue {
        let v10 = dialect == .v10
        func part(text: String) -> JSONValue {
            v10 ? .object([("text", .string(text)), ("mediaType", .string("text/plain"))])
                : .object([("kind", .string("text")), ("text", .string(text))])
        }
        func part(data: JSONValue) -> JSONValue {
            v10 ? .object([("data", data), ("mediaType", .string("application/json"))])
                : .object([("kind", .string("data")), ("data", data)])
        }
        func message(id: String, agent: Bool, parts: [JSONValue]) -> JSONValue {
            var members: [(String, JSONValue)] = v10 ? [] : [("kind", .string("message"))]
            members += [("messageId", .string(id)), ("contextId", .string(contextID)), ("taskId", .string(self.id)),
                        ("role", .string(v10 ? (agent ? "ROLE_AGENT" : "ROLE_USER") : (agent ? "agent" : "user"))),
                        ("parts", .array(parts))]
            return .object(members)
        }
        let asked = message(id: request.messageID, agent: false,
                            parts: request.texts.map { part(text: $0) } + (request.data.isEmpty ? [] : [part(data: .object(request.data))]))
        let history = historyLength.map { $0 <= 0 ? [] : [asked] } ?? [asked]
        var members: [(String, JSONValue)] = v10 ? [] : [("kind", .string("task"))]
        members += [
            ("id", .string(id)),
            ("contextId", .string(contextID)),
            ("status", .object([
                ("state", .string(v10 ? "TASK_STATE_COMPLETED" : "completed")),
                ("message", message(id: id + "-status", agent: true, parts: [part(text: summary)])),
                ("timestamp", .string(Self.timestampFormat.format(timestamp))),
            ])),
            ("artifacts", .array([.object([
                ("artifactId", .string(id + "-" + artifactName)),
                ("name", .string(artifactName)),
                ("parts", .array([part(data: data), part(text: summary)])),
            ])])),
            ("history", .array(history)),
        ]
        return .object(members)
    }

    static let timestampFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}

/// The tasks AgentIndex answered, the last `capacity` kept for `GetTask`.
final class A2ATaskMemory: Sendable {
    let capacity: Int
    private let state = Mutex<(tasks: [String: A2ATask], order: [String])>(([:], []))

    init(capacity: Int = 1_000) { self.capacity = capacity }

    func remember(_ task: A2ATask) {
        state.withLock { state in
            state.tasks[task.id] = task
            state.order.append(task.id)
            if state.order.count > capacity {
                let gone = state.order.removeFirst()
                state.tasks[gone] = nil
            }
        }
    }

    func task(_ id: String) -> A2ATask? { state.withLock { $0.tasks[id] } }
}
