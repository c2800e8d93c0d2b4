import AgentCards
import EthereumCore
import Hummingbird
import Store

/// The discovery operations as JSON text, shared by every front door: the REST routes, the A2A
/// endpoint and the MCP tools give the same answers because they call these.
extension DiscoveryAPI {
    /// `{"agents":[summary + score + rank…],"nextCursor":…}` for `query`.
    /// - Throws: ``APIError`` `invalid_cursor`.
    public func searchBody(_ query: AgentQuery) throws(APIError) -> ByteBuffer {
        let page: AgentPage
        do {
            page = try searches.search(query)
        } catch AgentStore.StoreError.invalidCursor {
            throw APIError(.badRequest, code: "invalid_cursor", "cursor must be a position <a>.<b> (two non-negative integers), as nextCursor gives it")
        } catch {
            throw APIError(.internalServerError, code: "internal", "the search failed: \(error)")
        }
        // Each summary is a JSON object: its closing brace makes way for the score and rank.
        var body = ByteBuffer()
        body.reserveCapacity(page.agents.reduce(64) { $0 + $1.summaryJSON.utf8.count + 48 })
        body.writeString(#"{"agents":["#)
        for (index, hit) in page.agents.enumerated() {
            if index > 0 { body.writeString(",") }
            body.writeSubstring(Substring(hit.summaryJSON.utf8.dropLast()))
            body.writeString(#","score":"# + hit.scoreText + #","rank":"# + (hit.rank.map(Self.rankText) ?? "null") + "}")
        }
        body.writeString(#"],"nextCursor":"# + (page.nextCursor.map(JSONText.string) ?? "null") + "}")
        return body
    }

    /// A search from `GET /v1/agents` parameters given as name → value (MCP arguments, an A2A DataPart).
    /// - Throws: ``APIError`` for an unknown parameter or a bad value, as the REST route would.
    public func searchJSON(parameters: [String: String]) throws(APIError) -> String {
        var values = QueryParameters()
        for (name, value) in parameters {
            guard AgentQuery.parameterNames.contains(name) else {
                throw APIError(.badRequest, code: "unknown_parameter", "unknown search parameter '\(name)'")
            }
            values.values[name] = value
        }
        let body = try searchBody(AgentQuery(parameters: values))
        return String(buffer: body)
    }

    /// The agent's full record.
    public func recordJSON(_ id: AgentID) throws -> String {
        guard let record = try store.agentRecord(id) else { throw APIError(.notFound, code: "agent_not_found", "no agent \(id)") }
        return record.serialized()
    }

    /// The agent's current card in `version`.
    /// - Throws: ``APIError`` 404 (`agent_not_found`, `card_invalid`, `card_not_fetched`), 409 `card_not_v1`.
    public func cardJSON(_ id: AgentID, version: A2AVersion) throws -> String {
        switch try store.currentCard(id) {
        case .card(let json):
            if version == .v03 { return json }
            guard let card = try? AgentCard(a2aJSON: Array(json.utf8), limits: .default) else {
                throw APIError(.conflict, code: "card_not_v1", "agent \(id): its card cannot be read as an A2A card again; ask for a2aVersion=0.3")
            }
            do {
                return try card.a2aJSON(version: version).serialized()
            } catch {
                throw APIError(.conflict, code: "card_not_v1", "agent \(id): the card cannot be an A2A v1.0 card: \(error.description); a2aVersion=0.3 serves it")
            }
        case .unknownAgent: throw APIError(.notFound, code: "agent_not_found", "no agent \(id)")
        case .invalid(let reason): throw APIError(.notFound, code: "card_invalid", "agent \(id) has no valid card: \(reason)")
        case .offChain(let reason): throw APIError(.notFound, code: "card_not_fetched", "agent \(id): \(reason)")
        }
    }

    /// The agent's reputation at `atBlock` (default: the indexed block).
    public func reputationJSON(_ id: AgentID, atBlock: UInt64?) throws -> String {
        guard let json = try reputationRequest({ try store.reputation(id, atBlock: atBlock) }) else {
            throw APIError(.notFound, code: "agent_not_found", "no agent \(id)")
        }
        return json.serialized()
    }

    /// A page of an ERC-8004 agent's feedback, newest first.
    public func feedbackJSON(_ id: AgentID, limit: Int, cursor: String?) throws -> String {
        try historyJSON(id, member: "feedback", limit: limit, cursor: cursor) { id, limit, cursor in
            try store.feedback(id, limit: limit, cursor: cursor)
        }
    }

    /// A page of an agent's history as `{"<member>":[…],"nextCursor":…}`.
    func historyJSON(_ id: AgentID, member: String, limit: Int, cursor: String?,
                     _ read: (AgentID, Int, String?) throws -> HistoryPage?) throws -> String {
        let page: HistoryPage?
        do {
            page = try read(id, limit, cursor)
        } catch AgentStore.StoreError.invalidCursor {
            throw APIError(.badRequest, code: "invalid_cursor", "cursor must be a position <block>.<logIndex>, as nextCursor gives it")
        }
        guard let page else { throw APIError(.notFound, code: "agent_not_found", "no agent \(id)") }
        return JSONValue.object([(member, .array(page.items)), ("nextCursor", page.nextCursor.map(JSONValue.string) ?? .null)]).serialized()
    }

    /// Parses an agent id as a client writes it (either form, percent-encoded or not).
    public static func parseAgentID(_ text: String) throws(APIError) -> AgentID {
        guard let id = AgentID(parsing: text.removingPercentEncoding ?? text) else {
            throw APIError(.badRequest, code: "invalid_id",
                           "agent ids look like eip155:<chainId>:<address> or eip155:<chainId>/erc721:<registry>/<agentId>")
        }
        return id
    }
}
