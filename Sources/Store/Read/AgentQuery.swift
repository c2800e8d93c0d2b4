import AgentCards
import EthereumCore
import Reputation

/// A discovery query: full text plus filters, paged with an opaque cursor.
///
/// ```swift
/// var query = AgentQuery(text: "legal german")
/// query.asset = usdc
/// query.limit = 10
/// let page = try store.search(query)          // page.agents, page.nextCursor
/// ```
public struct AgentQuery: Sendable, Hashable {
    /// Which agents the `active` filter keeps.
    public enum ActiveFilter: String, Sendable, Hashable {
        case active = "true", inactive = "false", any
    }

    /// How an agent is published: an agent contract (factory or registry) or an ERC-8004 token.
    public enum Standard: String, Sendable, Hashable, CaseIterable {
        case agentContract = "agent-contract"
        case erc8004
    }

    /// Result order. Without one: relevance for a text query, else discovery order (agent id).
    public enum Sort: String, Sendable, Hashable {
        /// bm25 relevance; needs text.
        case relevance
        /// Reputation score, highest first (ties: relevance with text, then agent id).
        case score
        /// The newest on-chain activity first: card versions, payments, ratings, life-cycle events.
        case recent
    }

    /// Free text; any user input is accepted (it is reduced to words, never passed to FTS5 raw).
    public var text: String?
    /// A skill id or name.
    public var skill: String?
    public var tag: String?
    public var inputMode: String?
    public var outputMode: String?
    /// Payment asset (the zero address is the native coin).
    public var asset: EthereumAddress?
    public var network: String?
    public var source: SourceKind?
    public var standard: Standard?
    /// A service name of the agent (`A2A`, `MCP`, `OASF`…; any case). Contract agents are A2A agents.
    public var service: String?
    /// Only agents that accept x402 payments (a contract card with payment terms, or a
    /// registration file with `x402Support: true`).
    public var x402: Bool?
    /// Only ERC-8004 agents whose A2A card's signature is this (`valid`, `invalid`,
    /// `unverifiable`, `absent`), as the document fetcher found it.
    public var cardSignature: String?
    /// Only agents whose A2A endpoint's domain lists them (true), or not (false).
    public var domainVerified: Bool?
    public var chainID: UInt64?
    public var owner: EthereumAddress?
    public var active: ActiveFilter = .active
    /// Only agents whose reputation score is at least this (0…1).
    public var minScore: Double?
    public var sort: Sort?
    /// Page size, 1…100.
    public var limit: Int = 20
    /// The `nextCursor` of the previous page.
    public var cursor: String?

    public init(text: String? = nil) { self.text = text }

    /// The largest page a query may ask for.
    public static let maxLimit = 100

    /// The FTS5 expression for `text`: each word quoted, as a prefix, all required. Nil when the
    /// text has no word characters. User syntax (quotes, operators, parentheses) cannot reach FTS5.
    static func matchExpression(_ text: String) -> String? {
        var words: [String] = []
        var current = ""
        for scalar in SearchText.normalize(text).unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        guard !words.isEmpty else { return nil }
        return words.prefix(16).map { "\"\($0)\"*" }.joined(separator: " ")
    }
}

/// One page of results.
public struct AgentPage: Sendable {
    /// An agent in a result list: its stored summary and, for text queries, its relevance.
    public struct Hit: Sendable {
        /// The summary as JSON text (see ``AgentSummary``).
        public var summaryJSON: String
        /// Relevance (higher is better): the negated bm25 score; nil without a text query.
        public var rank: Double?
        /// The stored reputation score (``ScoreFormula``), 0…1.
        public var score: Double
        /// ``score`` as JSON number text, formatted like every other score.
        public var scoreText: String { AgentReputation.decimal(score) }
    }

    public var agents: [Hit]
    /// Pass back as ``AgentQuery/cursor`` for the next page; nil on the last page.
    public var nextCursor: String?
}
