import EthereumCore
import Hummingbird
import HummingbirdCore
import Store

extension AgentQuery {
    /// The query parameters `GET /v1/agents` accepts.
    static let parameterNames: Set<String> = ["q", "skill", "tag", "inputMode", "outputMode", "asset", "network",
                                              "source", "owner", "active", "limit", "cursor", "minScore", "sort",
                                              "standard", "service", "x402", "chainId", "cardSignature",
                                              "domainVerified"]

    /// Reads a query from the query string `GET /v1/agents` would get, as the API does (for
    /// benchmarks and tools that run the API's queries in-process).
    ///
    /// ```swift
    /// let query = try AgentQuery(queryString: "q=translate&sort=score&limit=10")
    /// ```
    public init(queryString: String) throws {
        try self.init(parameters: QueryParameters(URI("/v1/agents?" + queryString), allowed: Self.parameterNames))
    }

    /// Reads a query from URL parameters; every invalid value is a 400 naming the parameter.
    init(parameters: QueryParameters) throws(APIError) {
        self.init()
        for (name, value) in parameters.values.sorted(by: { $0.key < $1.key }) {
            try set(name, value)
        }
    }

    /// The free-text parameters: 1 to ``maxTextCharacters`` characters (openapi.yaml `FilterText`).
    static let textParameters: Set<String> = ["q", "skill", "tag", "inputMode", "outputMode", "network", "service"]
    static let maxTextCharacters = 128

    private mutating func set(_ name: String, _ value: String) throws(APIError) {
        func invalid(_ message: String) -> APIError { APIError(.badRequest, code: "invalid_parameter", "\(name) \(message)") }
        if Self.textParameters.contains(name), !(1...Self.maxTextCharacters).contains(value.unicodeScalars.count) {
            throw invalid("must be 1 to \(Self.maxTextCharacters) characters")
        }
        switch name {
        case "q": text = value
        case "skill": skill = value
        case "tag": tag = value
        case "inputMode": inputMode = value
        case "outputMode": outputMode = value
        case "network": network = value
        case "cursor":
            guard value.utf8.count <= 37 else { throw invalid("must be a position <a>.<b>, as nextCursor gives it") }
            cursor = value
        case "asset":
            if value == "native" { asset = .zero; return }
            guard let address = try? EthereumAddress(value.lowercased()) else { throw invalid("must be an address or 'native'") }
            asset = address
        case "owner":
            guard let address = try? EthereumAddress(value.lowercased()) else { throw invalid("must be an address") }
            owner = address
        case "source":
            guard let kind = SourceKind(rawValue: value) else { throw invalid("must be 'factory', 'registry' or 'erc8004'") }
            source = kind
        case "standard":
            guard let value = Standard(rawValue: value) else { throw invalid("must be 'agent-contract' or 'erc8004'") }
            standard = value
        case "service": service = value
        case "x402":
            guard value == "true" || value == "false" else { throw invalid("must be 'true' or 'false'") }
            x402 = value == "true"
        case "cardSignature":
            guard ["valid", "invalid", "unverifiable", "absent"].contains(value) else {
                throw invalid("must be 'valid', 'invalid', 'unverifiable' or 'absent'")
            }
            cardSignature = value
        case "domainVerified":
            guard value == "true" || value == "false" else { throw invalid("must be 'true' or 'false'") }
            domainVerified = value == "true"
        case "chainId":
            guard let id = UInt64(value), id <= UInt64(Int64.max) else { throw invalid("must be a chain id (a non-negative integer)") }
            chainID = id
        case "active":
            guard let filter = ActiveFilter(rawValue: value) else { throw invalid("must be 'true', 'false' or 'any'") }
            active = filter
        case "minScore":
            guard let number = Double(value), number.isFinite, (0...1).contains(number) else { throw invalid("must be a number from 0 to 1") }
            minScore = number
        case "sort":
            guard let order = Sort(rawValue: value) else { throw invalid("must be 'relevance', 'score' or 'recent'") }
            sort = order
        case "limit":
            guard let number = Int(value), (1...AgentQuery.maxLimit).contains(number) else {
                throw invalid("must be an integer from 1 to \(AgentQuery.maxLimit)")
            }
            limit = number
        default:
            break
        }
    }
}
