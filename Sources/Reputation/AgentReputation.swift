import EthereumCore
import Foundation

/// One agent's reputation at one clock: who it is, its metrics, its score.
///
/// The API's `GET /v1/agents/{id}/reputation` serves ``json``; snapshots write one
/// ``SnapshotFormat`` row per agent from the same value, so both always agree.
public struct AgentReputation: Sendable, Hashable {
    /// `eip155:<chainId>:<checksummed address>`, or `eip155:<chainId>/erc721:<registry>/<agentId>`.
    public var agentID: String
    public var chainID: UInt64
    /// The agent contract; nil for an ERC-8004 agent.
    public var address: EthereumAddress?
    /// An ERC-8004 agent's Identity Registry and agent id; nil for a contract agent.
    public var registry: EthereumAddress?
    public var tokenID: UInt256?
    /// The name on the card current at the clock, if it was valid.
    public var name: String?
    public var owner: EthereumAddress?
    public var active: Bool
    public var lastHeartbeat: HeartbeatRecord?
    public var metrics: ReputationMetrics
    public var score: ReputationScore
    public var clock: ReputationClock

    public init(agentID: String, chainID: UInt64, address: EthereumAddress?, registry: EthereumAddress? = nil, tokenID: UInt256? = nil,
                name: String?, owner: EthereumAddress?, active: Bool, lastHeartbeat: HeartbeatRecord?, metrics: ReputationMetrics,
                clock: ReputationClock) {
        self.agentID = agentID; self.chainID = chainID; self.address = address; self.registry = registry; self.tokenID = tokenID
        self.name = name; self.owner = owner
        self.active = active; self.lastHeartbeat = lastHeartbeat; self.metrics = metrics; self.clock = clock
        self.score = ScoreFormula.score(metrics, at: clock)
    }

    /// The API's reputation object.
    ///
    /// ```json
    /// {"agent":"eip155:1337:0x…","formula":"rep-v2","atBlock":83,"blockTime":1700000000,"score":0.41,
    ///  "components":{"payers":0.28,"retention":0.2,"rating":0.75,"recency":1,"quality":0.58},
    ///  "metrics":{"payments":4,…,"feedback":3,"verifiedFeedback":2,…,"tags":{"starred":{"count":2,"verified":1,"mean":"90"}}},
    ///  "active":true,"lastHeartbeat":null}
    /// ```
    public var json: JSONValue {
        let heartbeat: JSONValue = lastHeartbeat.map {
            .object([("block", .number(String($0.block))), ("timestamp", .number(String($0.timestamp)))])
        } ?? .null
        return .object([
            ("agent", .string(agentID)),
            ("formula", .string(score.formula)),
            ("atBlock", .number(String(clock.block))),
            ("blockTime", .number(String(clock.timestamp))),
            ("score", .number(Self.decimal(score.score))),
            ("components", componentsJSON),
            ("metrics", metricsJSON),
            ("active", .bool(active)),
            ("lastHeartbeat", heartbeat),
        ])
    }

    private var componentsJSON: JSONValue {
        let components: [(String, Double)] = [("payers", score.payers), ("retention", score.retention),
                                              ("rating", score.rating), ("recency", score.recency), ("quality", score.quality)]
        return .object(components.map { ($0.0, JSONValue.number(Self.decimal($0.1))) })
    }

    private var metricsJSON: JSONValue {
        let m = metrics
        func count(_ value: Int) -> JSONValue { .number(String(value)) }
        func mean(_ value: Double?) -> JSONValue { value.map { .number(Self.decimal($0)) } ?? .null }
        func moment(_ value: ReputationMetrics.Moment?) -> JSONValue {
            guard let value else { return .null }
            let time: JSONValue = value.timestamp.map { .number(String($0)) } ?? .null
            return .object([("block", .number(String(value.block))), ("time", time)])
        }
        let volume: [(String, JSONValue)] = Self.sortedVolume(m.volume).map { ($0.0, .string($0.1)) }
        let members: [(String, JSONValue)] = [
            ("payments", count(m.payments)),
            ("uncountedPayments", count(m.uncountedPayments)),
            ("volume", .object(volume)),
            ("uniquePayers", count(m.uniquePayers)),
            ("recurringPayers", count(m.recurringPayers)),
            ("retention", .number(Self.decimal(m.retention))),
            ("firstPayment", moment(m.firstPayment)),
            ("lastPayment", moment(m.lastPayment)),
            ("paymentsLast7Days", count(m.paymentsLast7Days)),
            ("paymentsLast30Days", count(m.paymentsLast30Days)),
            ("ratings", count(m.ratings)),
            ("ratingMean", mean(m.ratingMean)),
            ("verifiedRatings", count(m.verifiedRatings)),
            ("verifiedRatingMean", mean(m.verifiedRatingMean)),
            ("feedback", count(m.feedback)),
            ("revokedFeedback", count(m.revokedFeedback)),
            ("verifiedFeedback", count(m.verifiedFeedback)),
            ("feedbackRatings", count(m.feedbackRatings)),
            ("feedbackRatingMean", mean(m.feedbackRatingMean)),
            ("verifiedFeedbackRatings", count(m.verifiedFeedbackRatings)),
            ("verifiedFeedbackRatingMean", mean(m.verifiedFeedbackRatingMean)),
            ("tags", .object(Self.topTags(m.tags).map { tag, totals in
                (tag, .object([("count", count(totals.count)), ("verified", count(totals.verified)),
                               ("mean", .number(Self.decimal(totals.mean)))]))
            })),
        ]
        return .object(members)
    }

    /// The tags shown: the ``maxTags`` most used (ties by name), so a reviewer who invents a
    /// thousand tags cannot bloat every answer.
    static func topTags(_ tags: [String: ReputationMetrics.TagTotals]) -> [(String, ReputationMetrics.TagTotals)] {
        Array(tags.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }.prefix(maxTags))
    }

    /// Tags per reputation answer.
    public static let maxTags = 32

    /// A value in [0, 1] (or a mean) with six decimals, trailing zeros dropped: `0.5`, `0.176091`.
    /// Every score AgentIndex prints goes through here, so the API, exports and snapshots agree.
    public static func decimal(_ value: Double) -> String {
        let scaled = (value * 1_000_000).rounded()
        if scaled.isFinite, abs(scaled) < 1e15 {
            // Integer digits: the same text as `%.6f` with the zeros trimmed, without Foundation.
            let micros = Int64(scaled)
            let whole = String(micros.magnitude / 1_000_000)
            var fraction = micros.magnitude % 1_000_000
            guard fraction != 0 else { return micros < 0 && whole != "0" ? "-" + whole : whole }
            var digits = 6
            while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
            let fractionText = String(fraction)
            let padded = String(repeating: "0", count: digits - fractionText.count) + fractionText
            return (micros < 0 ? "-" : "") + whole + "." + padded
        }
        var text = String(format: "%.6f", (value * 1_000_000).rounded() / 1_000_000)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// Volume as (lowercase asset address, exact decimal amount), sorted by address.
    static func sortedVolume(_ volume: [EthereumAddress: UInt256]) -> [(String, String)] {
        volume.map { ($0.key.lowercased, $0.value.description) }.sorted { $0.0 < $1.0 }
    }
}
