import Foundation

/// The reputation score and the components it is made of, all in [0, 1].
public struct ReputationScore: Sendable, Hashable {
    /// The formula that produced it (``ScoreFormula/version``).
    public var formula: String
    public var score: Double
    /// log-scaled unique payers: `min(1, ln(1 + u) / ln(1 + 50))`.
    public var payers: Double
    /// retention shrunk toward 0 when payers are few: `(r / u) · u / (u + 3)`.
    public var retention: Double
    /// verified ratings (contract `Rated` and ERC-8004 feedback in [0, 100] alike) as a Bayesian
    /// mean on [0, 1] with a prior of 0.5 worth two ratings.
    public var rating: Double
    /// `0.5 ^ (days since the last counted payment / 30)`; 0 without payments.
    public var recency: Double
    /// `0.4 · retention + 0.4 · rating + 0.2 · recency`.
    public var quality: Double
}

/// The versioned reputation formula, **rep-v2**:
///
/// ```text
/// score   = payers · (0.4 + 0.6 · quality)
/// quality = 0.4 · retention + 0.4 · rating + 0.2 · recency
/// rating  = (Σ verified Rated (s − 1)/4 + Σ verified feedback v/100 + 0.5 · 2) / (n_verified + 2)
/// ```
///
/// rep-v1 was the same with contract ratings only; rep-v2 pools the verified ratings of both
/// kinds (an ERC-8004 feedback counts when its value lies in [0, 100] and it is not revoked).
///
/// Evidence multiplies: without counted payments the score is 0, whatever the ratings say;
/// quality can at most lift the payer component, never replace it. What each game buys:
/// - one wallet splitting a payment into many: still one payer, so `payers` stays at
///   ln 2 / ln 51 ≈ 0.18 and retention at most 1 · 1/4; dust below the threshold counts nothing;
/// - the owner (or the agent, or its own `payTo`, or an ERC-8004 agent's own wallet) paying
///   itself: not counted at all;
/// - a rater or reviewer who never paid (sybil feedback): unverified, weight 0.
public enum ScoreFormula {
    public static let version = "rep-v2"
    /// Unique payers at which the payer component saturates.
    public static let payerSaturation = 50.0
    /// Payers added to the denominator of the retention shrinkage.
    public static let retentionShrinkage = 3.0
    /// Half-life of recency, in days.
    public static let recencyHalfLifeDays = 30.0
    /// Prior mean and weight (in ratings) of the verified rating component.
    public static let ratingPrior = 0.5
    public static let ratingPriorWeight = 2.0

    /// Scores `metrics` at `clock`.
    public static func score(_ metrics: ReputationMetrics, at clock: ReputationClock) -> ReputationScore {
        let u = Double(metrics.uniquePayers)
        guard metrics.uniquePayers > 0 else {
            return ReputationScore(formula: version, score: 0, payers: 0, retention: 0, rating: 0, recency: 0, quality: 0)
        }
        let payers = min(1, log(1 + u) / log(1 + payerSaturation))
        let retention = metrics.retention * u / (u + retentionShrinkage)
        let normalisedSum = Double(metrics.verifiedRatingSum - metrics.verifiedRatings) / 4   // (s − 1) / 4 each
            + metrics.verifiedFeedbackRatingSum / 100                                         // v / 100 each
        let verified = Double(metrics.verifiedRatings + metrics.verifiedFeedbackRatings)
        let rating = (normalisedSum + ratingPrior * ratingPriorWeight) / (verified + ratingPriorWeight)
        var recency = 0.0
        if let last = metrics.lastPayment?.timestamp {
            let days = Double(clock.timestamp > last ? clock.timestamp - last : 0) / Double(ReputationMetrics.day)
            recency = pow(0.5, days / recencyHalfLifeDays)
        }
        let quality = 0.4 * retention + 0.4 * rating + 0.2 * recency
        let score = payers * (0.4 + 0.6 * quality)
        return ReputationScore(formula: version, score: rounded(score), payers: rounded(payers), retention: rounded(retention),
                               rating: rounded(rating), recency: rounded(recency), quality: rounded(quality))
    }

    /// Six decimals: what every output prints, so stored, served and exported values agree.
    static func rounded(_ value: Double) -> Double { (value * 1_000_000).rounded() / 1_000_000 }
}
