import AgentCards
import EthereumCore
import Foundation
import Hummingbird
import Store

/// The discovery API over HTTP: search, agent records, A2A cards, health, readiness, status.
///
/// ```swift
/// let api = DiscoveryAPI(store: try AgentStore(path: db, readOnly: true))
/// let app = Application(router: api.router(), configuration: .init(address: .hostname("127.0.0.1", port: 8080)))
/// try await app.runService()
/// ```
///
/// Routes (described exactly in `schemas/openapi.yaml`):
/// - `GET /v1/agents` — search (``AgentQuery``): `{"agents":[summary…],"nextCursor":…}`
/// - `GET /v1/agents/{id}` — the full record; `GET /v1/agents/{id}/card` — A2A AgentCard JSON
/// - `GET /v1/agents/{id}/reputation[?atBlock=N]` — metrics, score, components, formula version
/// - `GET /v1/agents/{id}/payments?limit&cursor` — payments, newest first, counted or not and why
/// - `GET /v1/agents/{id}/feedback?limit&cursor`, `GET /v1/agents/{id}/validations?limit&cursor` —
///   an ERC-8004 agent's feedback (verified or not, revoked or not, with responses) and validations
/// - `GET /v1/reputation/snapshot?atBlock=N&format=csv|jsonl[&chainId=C]` — streamed snapshot
/// - `GET /health`, `GET /ready` (503 until every chain has caught up), `GET /status`
/// - `GET /metrics` — Prometheus text format, when the server is given a `metrics` source
/// - `GET /v1/changes?since&limit`, `GET /v1/changes/stream` — the change feed, paged or as Server-Sent Events
public struct DiscoveryAPI: Sendable {
    public let store: AgentStore
    /// Answers repeated searches from memory until the next commit.
    public let searches: SearchCache
    /// Renders the process's metrics in the Prometheus text format (nil: no `/metrics` route).
    public let metrics: (@Sendable () -> String)?
    /// Signs every 200 JSON answer (``SignedAnswerMiddleware``); nil: answers are not signed.
    public let signer: AnswerSigner?
    /// Browser origins allowed to read the API (CORS): `*` for any, none to send no CORS headers.
    public let corsOrigins: [String]
    /// Requests a second and burst per client address; nil: no limit.
    public let rateLimit: (perSecond: Double, burst: Double)?
    /// The version AgentIndex's own A2A card states.
    public let agentVersion: String
    /// The URL clients reach this API at (AgentIndex's A2A card names its endpoint under it);
    /// nil: `http://` and the request's `Host`.
    public let publicURL: String?
    /// The tasks AgentIndex answered as an A2A agent.
    let a2aTasks = A2ATaskMemory()

    /// - Parameter searchCacheBytes: memory for repeated search pages (``SearchCache``); 0 turns it off.
    public init(store: AgentStore, searchCacheBytes: Int = 16 << 20, metrics: (@Sendable () -> String)? = nil,
                signer: AnswerSigner? = nil, corsOrigins: [String] = ["*"], rateLimit: (perSecond: Double, burst: Double)? = nil,
                agentVersion: String = "dev", publicURL: String? = nil) {
        self.store = store
        self.searches = SearchCache(store: store, capacityBytes: searchCacheBytes)
        self.metrics = metrics
        self.signer = signer
        self.corsOrigins = corsOrigins
        self.rateLimit = rateLimit
        self.agentVersion = agentVersion
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// The headers a browser script may read from an answer.
    static let exposedHeaders = ["AgentIndex-Block", "AgentIndex-Signature", "ETag", "Retry-After"]

    /// Routes another front door adds to the API's listener (MCP at `/mcp`): called with the
    /// router, the API, and a function that adds a POST route (405 for the other methods).
    public typealias Mount = @Sendable (Router<APIRequestContext>, DiscoveryAPI,
                                        (String, @escaping @Sendable (Request, APIRequestContext) async throws -> Response) -> Void) -> Void

    /// The base URL of this API as a client reached it.
    func baseURL(_ request: Request) -> String {
        publicURL ?? "http://" + (request.head.authority ?? "127.0.0.1")
    }

    /// The routes, wrapped in the JSON error, CORS and signing middleware.
    public func router(mounting mounts: [Mount] = []) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        if !corsOrigins.isEmpty {
            let any = corsOrigins.contains("*")
            if !any { router.add(middleware: OriginFilterMiddleware(allowed: Set(corsOrigins))) }
            router.add(middleware: ExposedHeadersMiddleware(headers: Self.exposedHeaders.joined(separator: ", ")))
            router.add(middleware: CORSMiddleware(allowOrigin: any ? .all : .originBased, allowHeaders: [.accept, .contentType, .ifNoneMatch, .init("Last-Event-ID")!],
                                                  allowMethods: [.get, .head, .post, .options], exposedHeaders: Self.exposedHeaders, maxAge: .hours(1)))
        }
        if let rateLimit { router.add(middleware: RateLimitMiddleware(perSecond: rateLimit.perSecond, burst: rateLimit.burst)) }
        router.add(middleware: ETagMiddleware(store: store))
        if let signer { router.add(middleware: SignedAnswerMiddleware(signer: signer, store: store)) }
        /// A route for `methods`; any other method on its path is a 405 naming the ones allowed.
        func route(_ path: String, _ methods: [HTTPRequest.Method], _ handler: @escaping @Sendable (Request, APIRequestContext) async throws -> Response) {
            let allow = methods.map(\.rawValue).joined(separator: ", ")
            for method: HTTPRequest.Method in [.get, .head, .post, .put, .patch, .delete, .options, .trace, .connect, .init("QUERY")!] {
                if methods.contains(method) {
                    router.on(RouterPath(path), method: method, use: handler)
                } else {
                    router.on(RouterPath(path), method: method) { _, _ -> Response in
                        throw APIError(.methodNotAllowed, code: "method_not_allowed", "\(method.rawValue) is not allowed here; use \(allow)", allow: allow)
                    }
                }
            }
        }
        func get(_ path: String, _ handler: @escaping @Sendable (Request, APIRequestContext) async throws -> Response) {
            route(path, [.get, .head], handler)
        }
        func post(_ path: String, _ handler: @escaping @Sendable (Request, APIRequestContext) async throws -> Response) {
            route(path, [.post], handler)
        }
        for mount in mounts { mount(router, self, post) }
        get("/health") { _, _ in JSONText.response(#"{"status":"ok"}"#) }
        get("/ready") { _, _ in try ready() }
        get("/status") { _, _ in try status() }
        if let metrics {
            get("/metrics") { _, _ in
                Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                         body: .init(byteBuffer: ByteBuffer(string: metrics())))
            }
        }
        get("/v1/agents") { request, _ in try search(request) }
        // An agent id is one path segment (`eip155:1:0x…`, or a percent-encoded CAIP-19 id) or, for
        // an ERC-8004 agent written raw, three (`eip155:1/erc721:0x…/7`).
        for agent in ["/v1/agents/:id", "/v1/agents/:id/:asset/:token"] {
            get(agent) { _, context in try record(context) }
            get(agent + "/card") { request, context in try card(request, context) }
            get(agent + "/reputation") { request, context in try reputation(request, context) }
            get(agent + "/payments") { request, context in try payments(request, context) }
            get(agent + "/feedback") { request, context in try feedback(request, context) }
            get(agent + "/validations") { request, context in try validations(request, context) }
        }
        get("/v1/reputation/snapshot") { request, _ in try snapshot(request) }
        get("/v1/changes") { request, _ in try changes(request) }
        get("/v1/changes/stream") { request, _ in try changeStream(request) }
        // AgentIndex as an A2A agent: its card, and the JSON-RPC endpoint the card names.
        for path in ["/.well-known/agent-card.json", "/.well-known/agent.json"] {
            get(path) { request, _ in
                JSONText.response(IndexAgentCard.json(baseURL: baseURL(request), signer: signer?.address, version: agentVersion).serialized())
            }
        }
        let a2a = A2AEndpoint(api: self, tasks: a2aTasks)
        post(IndexAgentCard.endpointPath) { request, _ in try await a2a.handle(request) }
        return router
    }

    func search(_ request: Request) throws -> Response {
        let query = try AgentQuery(parameters: QueryParameters(request, allowed: AgentQuery.parameterNames))
        return JSONText.response(try searchBody(query))
    }

    static func rankText(_ rank: Double) -> String {
        let rounded = (rank * 1_000_000).rounded() / 1_000_000
        return rounded.isFinite ? String(format: "%.6f", rounded) : "null"
    }

    func agentID(_ context: APIRequestContext) throws -> AgentID {
        let parameters = context.parameters
        var raw = parameters.get("id") ?? ""
        if let asset = parameters.get("asset"), let token = parameters.get("token") { raw += "/" + asset + "/" + token }
        let text = raw.removingPercentEncoding ?? raw
        guard let id = AgentID(parsing: text) else {
            throw APIError(.badRequest, code: "invalid_id",
                           "agent ids look like eip155:<chainId>:<address> or eip155:<chainId>/erc721:<registry>/<agentId>")
        }
        return id
    }

    func record(_ context: APIRequestContext) throws -> Response {
        JSONText.response(try recordJSON(agentID(context)))
    }

    /// The current card in the A2A version asked for (`a2aVersion=1.0`, the default, `0.3` or
    /// `dual`); 409 `card_not_v1` with the reason when the card cannot be a valid v1.0 card.
    func card(_ request: Request, _ context: APIRequestContext) throws -> Response {
        let parameters = try QueryParameters(request, allowed: ["a2aVersion"])
        guard let version = A2AVersion(query: parameters["a2aVersion"]) else {
            throw APIError(.badRequest, code: "invalid_parameter", "a2aVersion must be 1.0, 0.3 or dual")
        }
        return JSONText.response(try cardJSON(agentID(context), version: version))
    }

    func ready() throws -> Response {
        let chains = try store.status()
        let waiting = chains.filter { !$0.caughtUp }.map { JSONText.string($0.name) }
        let isReady = !chains.isEmpty && waiting.isEmpty
        let body = JSONText.object([("ready", isReady ? "true" : "false"), ("waitingFor", "[" + waiting.joined(separator: ",") + "]")])
        return JSONText.response(body, status: isReady ? .ok : .serviceUnavailable)
    }

    func status() throws -> Response {
        let backlog = try store.documentBacklog(now: Int64(Date().timeIntervalSince1970))
        return JSONText.response(JSONValue.object([("chains", .array(try store.status().map(\.json))),
                                                   ("documents", backlog.json),
                                                   ("signer", signer.map { .string($0.address.checksummed) } ?? .null)]).serialized())
    }
}

extension ChainStatus {
    /// The status as the API and `agentindex status --json` show it.
    public var json: JSONValue {
        func number(_ value: UInt64?) -> JSONValue { value.map { .number(String($0)) } ?? .null }
        let lag: UInt64? = indexedBlock.flatMap { indexed in headBlock.map { $0 > indexed ? $0 - indexed : 0 } }
        return .object([
            ("chainId", .number(String(chainID))),
            ("name", .string(name)),
            ("indexedBlock", number(indexedBlock)),
            ("headBlock", number(headBlock)),
            ("lag", number(lag)),
            ("caughtUp", .bool(caughtUp)),
            ("bulkBackfill", .bool(bulkBackfill)),
            ("paymentsStagedFrom", number(paymentsStagedFrom)),
            ("agents", .number(String(agents))),
            ("searchable", .number(String(searchable))),
            ("erc8004Agents", .number(String(erc8004Agents))),
            ("pendingDocuments", .number(String(pendingDocuments))),
            ("invalidCards", .number(String(invalid.count))),
            ("invalid", .array(invalid.map { .object([("id", .string($0.id)), ("reason", .string($0.reason))]) })),
            ("erc8004Registries", .array(erc8004Registries.map {
                .object([("kind", .string($0.kind.rawValue)), ("address", .string($0.address.checksummed)),
                         ("startBlock", .number(String($0.startBlock)))])
            })),
            ("tokens", .array(tokens.map { .string($0.checksummed) })),
        ])
    }
}
