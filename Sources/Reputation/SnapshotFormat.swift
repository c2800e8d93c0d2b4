import EthereumCore
import Foundation

/// The row format of reputation snapshots: CSV (RFC 4180, header line, LF endings) or JSON
/// Lines. Both carry the same columns in the same order; the JSON Schema is
/// `schemas/reputation-snapshot.schema.json`.
///
/// Amounts are exact decimal strings. In CSV the per-asset volume is one cell,
/// `asset=amount` pairs joined by `;` and sorted by asset (`0x0000…0000=2000000000000000`),
/// so `pandas.read_csv` reads it as text and never rounds it; in JSON Lines it is an object
/// `{"0x0000…0000":"2000000000000000"}`.
public enum SnapshotFormat: String, Sendable, CaseIterable {
    case csv
    case jsonl

    /// Column names, in order.
    public static let columns = [
        "agent_id", "chain_id", "address", "name", "owner", "active", "score",
        "payers_component", "retention_component", "rating_component", "recency_component",
        "payments", "uncounted_payments", "unique_payers", "recurring_payers", "retention", "volume",
        "first_payment_block", "first_payment_time", "last_payment_block", "last_payment_time",
        "payments_7d", "payments_30d", "ratings", "rating_mean", "verified_ratings", "verified_rating_mean",
        "last_heartbeat_block",
        // ERC-8004 (issue 17): the agent's standard and token, and its feedback.
        "standard", "registry", "token_id", "feedback", "revoked_feedback", "verified_feedback",
        "feedback_ratings", "feedback_rating_mean", "verified_feedback_ratings", "verified_feedback_rating_mean",
    ]

    private static let volumeColumn = columns.firstIndex(of: "volume")!

    /// The CSV header line (with its newline); JSON Lines has none.
    public var header: String {
        self == .csv ? Self.columns.joined(separator: ",") + "\n" : ""
    }

    /// One line (with its newline) for `reputation`.
    public func line(_ reputation: AgentReputation) -> String {
        let values = Self.values(reputation)
        switch self {
        case .csv:
            var line = ""
            line.reserveCapacity(384)
            for (index, value) in values.enumerated() {
                if index > 0 { line.append(",") }
                Self.appendCSVCell(value, to: &line)
            }
            line.append("\n")
            return line
        case .jsonl:
            var members = zip(Self.columns, values).map { ($0, $1) }
            let volume = AgentReputation.sortedVolume(reputation.metrics.volume).map { ($0.0, JSONValue.string($0.1)) }
            members[Self.volumeColumn].1 = .object(volume)
            return JSONValue.object(members).serialized() + "\n"
        }
    }

    private static func values(_ r: AgentReputation) -> [JSONValue] {
        let m = r.metrics
        func int(_ value: Int) -> JSONValue { .number(String(value)) }
        func uint(_ value: UInt64?) -> JSONValue { value.map { .number(String($0)) } ?? .null }
        func real(_ value: Double?) -> JSONValue { value.map { .number(AgentReputation.decimal($0)) } ?? .null }
        let volume = AgentReputation.sortedVolume(m.volume).map { "\($0.0)=\($0.1)" }.joined(separator: ";")
        // A contract agent's ID ends with the checksummed address: taken from it, the address is hashed once.
        var address = JSONValue.null
        if let agent = r.address {
            let tail = r.agentID.suffix(42)
            address = .string(tail.lowercased() == agent.lowercased ? String(tail) : agent.checksummed)
        }
        return [
            .string(r.agentID), .number(String(r.chainID)), address,
            r.name.map(JSONValue.string) ?? .null, r.owner.map { .string($0.checksummed) } ?? .null,
            .bool(r.active), real(r.score.score),
            real(r.score.payers), real(r.score.retention), real(r.score.rating), real(r.score.recency),
            int(m.payments), int(m.uncountedPayments), int(m.uniquePayers), int(m.recurringPayers), real(m.retention),
            .string(volume),
            uint(m.firstPayment?.block), uint(m.firstPayment?.timestamp), uint(m.lastPayment?.block), uint(m.lastPayment?.timestamp),
            int(m.paymentsLast7Days), int(m.paymentsLast30Days), int(m.ratings), real(m.ratingMean),
            int(m.verifiedRatings), real(m.verifiedRatingMean), uint(r.lastHeartbeat?.block),
            .string(r.registry == nil ? "agent-contract" : "erc8004"), r.registry.map { .string($0.checksummed) } ?? .null,
            r.tokenID.map { .string($0.description) } ?? .null,
            int(m.feedback), int(m.revokedFeedback), int(m.verifiedFeedback),
            int(m.feedbackRatings), real(m.feedbackRatingMean), int(m.verifiedFeedbackRatings), real(m.verifiedFeedbackRatingMean),
        ]
    }

    /// Appends a CSV cell: empty for null, `true`/`false`, numbers as they are, text quoted when
    /// it holds a comma, quote, CR or LF (quotes doubled).
    private static func appendCSVCell(_ value: JSONValue, to line: inout String) {
        switch value {
        case .null: break
        case .bool(let flag): line.append(flag ? "true" : "false")
        case .number(let text): line.append(text)
        case .string(let text):
            guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                line.append(text)
                return
            }
            line.append("\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
        default: line.append(value.serialized())
        }
    }
}
