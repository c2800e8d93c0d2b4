import EthereumCore
import Foundation
import Hummingbird
import Store

extension DiscoveryAPI {
    /// `GET /v1/agents/{id}/reputation[?atBlock=N]`.
    func reputation(_ request: Request, _ context: APIRequestContext) throws -> Response {
        let id = try agentID(context)
        let parameters = try QueryParameters(request, allowed: ["atBlock"])
        return JSONText.response(try reputationJSON(id, atBlock: parameters.block("atBlock")))
    }

    /// `GET /v1/agents/{id}/payments?limit&cursor`.
    func payments(_ request: Request, _ context: APIRequestContext) throws -> Response {
        let id = try agentID(context)
        let parameters = try QueryParameters(request, allowed: ["limit", "cursor"])
        let limit = try parameters.integer("limit", in: 1...AgentQuery.maxLimit) ?? 20
        let page: PaymentPage?
        do {
            page = try store.payments(id, limit: limit, cursor: parameters["cursor"])
        } catch AgentStore.StoreError.invalidCursor {
            throw APIError(.badRequest, code: "invalid_cursor", "cursor must be a position <block>.<logIndex>, as nextCursor gives it")
        }
        guard let page else { throw APIError(.notFound, code: "agent_not_found", "no agent \(id)") }
        let body = JSONValue.object([
            ("payments", .array(page.payments)),
            ("nextCursor", page.nextCursor.map(JSONValue.string) ?? .null),
        ])
        return JSONText.response(body.serialized())
    }

    /// `GET /v1/agents/{id}/feedback?limit&cursor`.
    func feedback(_ request: Request, _ context: APIRequestContext) throws -> Response {
        try historyPage(request, context, member: "feedback") { id, limit, cursor in try store.feedback(id, limit: limit, cursor: cursor) }
    }

    /// `GET /v1/agents/{id}/validations?limit&cursor`.
    func validations(_ request: Request, _ context: APIRequestContext) throws -> Response {
        try historyPage(request, context, member: "validations") { id, limit, cursor in
            try store.validations(id, limit: limit, cursor: cursor)
        }
    }

    /// A page of an agent's history as `{"<member>":[…],"nextCursor":…}`.
    private func historyPage(_ request: Request, _ context: APIRequestContext, member: String,
                             _ read: @escaping (AgentID, Int, String?) throws -> HistoryPage?) throws -> Response {
        let id = try agentID(context)
        let parameters = try QueryParameters(request, allowed: ["limit", "cursor"])
        let limit = try parameters.integer("limit", in: 1...AgentQuery.maxLimit) ?? 20
        return JSONText.response(try historyJSON(id, member: member, limit: limit, cursor: parameters["cursor"], read))
    }

    /// `GET /v1/reputation/snapshot?atBlock=N&format=csv|jsonl[&chainId=C]`: the same bytes as
    /// `agentindex export reputation`, streamed in chunks of 256 agents; the manifest's fields
    /// that are known before the body travel as `X-Snapshot-*` headers.
    func snapshot(_ request: Request) throws -> Response {
        let parameters = try QueryParameters(request, allowed: ["atBlock", "format", "chainId"])
        let atBlock = try parameters.block("atBlock")
        let chainID = try parameters.block("chainId")
        let formatName = parameters["format"] ?? "csv"
        guard let format = SnapshotFormat(rawValue: formatName) else {
            throw APIError(.badRequest, code: "invalid_parameter", "format must be 'csv' or 'jsonl'")
        }
        let store = self.store
        let plan = try reputationRequest { try store.snapshotPlan(chainID: chainID, atBlock: atBlock) }
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: format.header))
            var after: String?
            repeat {
                let chunk = try store.snapshotChunk(plan, format: format, afterAddress: after, limit: 256)
                if !chunk.text.isEmpty { try await writer.write(ByteBuffer(string: chunk.text)) }
                after = chunk.lastAddress
            } while after != nil
            try await writer.finish(nil)
        }
        var headers: HTTPFields = [.contentType: format == .csv ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8"]
        headers[.contentDisposition] = "attachment; filename=\"reputation-\(plan.chainID)-\(plan.atBlock).\(format.rawValue)\""
        headers[.init("X-Snapshot-Chain-Id")!] = String(plan.chainID)
        headers[.init("X-Snapshot-Block")!] = String(plan.atBlock)
        headers[.init("X-Snapshot-Clock-Block")!] = String(plan.clockBlock)
        headers[.init("X-Snapshot-Clock-Hash")!] = plan.clockBlockHash
        headers[.init("X-Reputation-Formula")!] = plan.formula
        return Response(status: .ok, headers: headers, body: body)
    }

    /// Runs a store call, turning the reasons a block cannot be served into API errors.
    func reputationRequest<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ReputationRequestError {
            switch error {
            case .aboveIndexed: throw APIError(.conflict, code: "block_not_indexed", error.description)
            case .nothingIndexed: throw APIError(.serviceUnavailable, code: "not_indexed", error.description)
            case .unknownChain: throw APIError(.notFound, code: "chain_not_found", error.description)
            case .chainRequired: throw APIError(.conflict, code: "chain_required", error.description)
            case .paymentsStaged: throw APIError(.conflict, code: "payments_staged", error.description)
            }
        }
    }
}
