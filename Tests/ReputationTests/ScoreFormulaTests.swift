import EthereumCore
import Foundation
import Reputation
import Testing

/// The score under the games an attacker plays (rep-v2): each moves it little or not at all.
@Suite("rep-v2 score")
struct ScoreFormulaTests {
    static let day: UInt64 = 86_400
    let now = ReputationClock(block: 1_000, timestamp: 100 * day)
    let usdc = try! EthereumAddress("0x00000000000000000000000000000000000000e1")

    func wallet(_ n: Int) -> EthereumAddress { try! EthereumAddress(bytes: [UInt8](repeating: 0, count: 19) + [UInt8(n)]) }

    func payment(_ payer: Int, block: UInt64, counted: Bool = true, amount: UInt64 = 1_000_000, daysAgo: UInt64 = 1) -> PaymentRecord {
        PaymentRecord(position: ChainPosition(block: block, logIndex: 0), timestamp: now.timestamp - daysAgo * Self.day,
                      payer: wallet(payer), asset: usdc, amount: UInt256(amount), counted: counted)
    }

    func score(_ payments: [PaymentRecord], _ ratings: [RatingRecord] = []) -> ReputationScore {
        ScoreFormula.score(ReputationMetrics(payments: payments, ratings: ratings, clock: now), at: now)
    }

    @Test("metrics: counted payments, unique and recurring payers, volume, windows, verified ratings")
    func metrics() {
        let payments = [payment(1, block: 10, daysAgo: 40), payment(1, block: 20, daysAgo: 10), payment(2, block: 30, daysAgo: 2),
                        payment(3, block: 40, counted: false), payment(2, block: 2_000)]   // above the clock: ignored
        let ratings = [RatingRecord(position: ChainPosition(block: 5, logIndex: 0), rater: wallet(1), score: 3),   // before paying
                       RatingRecord(position: ChainPosition(block: 25, logIndex: 0), rater: wallet(1), score: 5),
                       RatingRecord(position: ChainPosition(block: 30, logIndex: 0), rater: wallet(2), score: 4), // same log: not before
                       RatingRecord(position: ChainPosition(block: 41, logIndex: 0), rater: wallet(3), score: 1)] // paid, not counted
        let m = ReputationMetrics(payments: payments, ratings: ratings, clock: now)
        #expect(m.payments == 3)
        #expect(m.uncountedPayments == 1)
        #expect(m.uniquePayers == 2)
        #expect(m.recurringPayers == 1)
        #expect(m.retention == 0.5)
        #expect(m.volume[usdc] == UInt256(3_000_000))
        #expect(m.firstPayment?.block == 10 && m.lastPayment?.block == 30)
        #expect(m.paymentsLast7Days == 1 && m.paymentsLast30Days == 2)
        #expect(m.ratings == 4 && m.verifiedRatings == 1 && m.verifiedRatingMean == 5)
    }

    @Test("no counted payment, no score: ratings alone give nothing")
    func noEvidence() {
        let ratings = (1...20).map { RatingRecord(position: ChainPosition(block: UInt64($0), logIndex: 0), rater: wallet($0), score: 5) }
        #expect(score([], ratings).score == 0)
        #expect(score([payment(1, block: 1, counted: false)], ratings).score == 0)
    }

    @Test("one wallet splitting into many payments gains at most the retention term of a single payer")
    func splitting() {
        let once = score([payment(1, block: 1)])
        let hundred = score((1...100).map { payment(1, block: UInt64($0)) })
        let dust = score([payment(1, block: 1)] + (2...101).map { payment(1, block: UInt64($0), counted: false, amount: 1) })
        #expect(dust == once)
        #expect(hundred.payers == once.payers)
        #expect(hundred.score - once.score < 0.02)
        // A hundred real payers are worth far more than a hundred payments from one.
        let crowd = score((1...100).map { payment($0, block: UInt64($0)) })
        #expect(crowd.score > 4 * hundred.score)
    }

    @Test("a rater who never paid moves nothing; a verified one moves the rating term")
    func ratings() {
        let payments = (1...5).map { payment($0, block: UInt64($0)) }
        let base = score(payments)
        let strangers = (10...60).map { RatingRecord(position: ChainPosition(block: 100, logIndex: UInt64($0)), rater: wallet($0), score: 1) }
        #expect(score(payments, strangers) == base)
        let verified = [RatingRecord(position: ChainPosition(block: 100, logIndex: 0), rater: wallet(1), score: 5)]
        #expect(score(payments, verified).rating > base.rating)
        #expect(score(payments, verified).score > base.score)
    }

    @Test("components match the documented formula")
    func formula() {
        let payments = [payment(1, block: 1, daysAgo: 30), payment(1, block: 2, daysAgo: 30), payment(2, block: 3, daysAgo: 30)]
        let ratings = [RatingRecord(position: ChainPosition(block: 9, logIndex: 0), rater: wallet(2), score: 4)]
        let s = score(payments, ratings)
        let payers = log(3.0) / log(51.0)
        let retention = 0.5 * 2 / 5
        let rating = (0.75 + 1) / 3
        let recency = 0.5
        let quality = 0.4 * retention + 0.4 * rating + 0.2 * recency
        #expect(abs(s.payers - payers) < 1e-6)
        #expect(abs(s.retention - retention) < 1e-6)
        #expect(abs(s.rating - rating) < 1e-6)
        #expect(abs(s.recency - recency) < 1e-6)
        #expect(abs(s.score - payers * (0.4 + 0.6 * quality)) < 1e-5)
        #expect(s.formula == "rep-v2")
        #expect((0...1).contains(s.score))
    }

    @Test("recency halves every 30 days without payments")
    func recency() {
        #expect(score([payment(1, block: 1, daysAgo: 0)]).recency == 1)
        #expect(score([payment(1, block: 1, daysAgo: 60)]).recency == 0.25)
    }

    func feedback(_ client: Int, block: UInt64, value: String, decimals: UInt8 = 0, tag: String = "",
                  revokedAt: UInt64? = nil) -> FeedbackRecord {
        FeedbackRecord(position: ChainPosition(block: block, logIndex: 1), client: wallet(client),
                       value: FeedbackValue(raw: Int256(decimal: value)!, decimals: decimals), tag1: tag, revokedAtBlock: revokedAt)
    }

    @Test("rep-v2 pools verified contract ratings and verified ERC-8004 feedback ratings (v / 100) in one Bayesian mean")
    func pooledRating() {
        let payments = [payment(1, block: 1), payment(2, block: 2)]
        let ratings = [RatingRecord(position: ChainPosition(block: 9, logIndex: 0), rater: wallet(1), score: 5)]   // (5 − 1) / 4 = 1
        let reviews = [feedback(2, block: 10, value: "2500", decimals: 2),          // 25 → 0.25, verified
                       feedback(3, block: 11, value: "100"),                         // never paid: unverified, weight 0
                       feedback(1, block: 12, value: "1000"),                        // not a rating (> 100): shown, not rated
                       feedback(2, block: 13, value: "0", revokedAt: 14)]            // revoked before the clock: gone
        let metrics = ReputationMetrics(payments: payments, ratings: ratings, feedback: reviews, clock: now)
        #expect(metrics.feedback == 3 && metrics.revokedFeedback == 1 && metrics.verifiedFeedback == 2)
        #expect(metrics.feedbackRatings == 2 && metrics.verifiedFeedbackRatings == 1 && metrics.verifiedFeedbackRatingSum == 25)
        #expect(metrics.feedbackRatingMean == 62.5 && metrics.verifiedFeedbackRatingMean == 25)
        let s = ScoreFormula.score(metrics, at: now)
        #expect(abs(s.rating - (1 + 0.25 + 1) / 4) < 1e-6)
        // Revoked after the clock: it still stands at the clock.
        let later = ReputationMetrics(payments: payments, ratings: [], feedback: [feedback(2, block: 10, value: "50", revokedAt: 2_000)],
                                      clock: now)
        #expect(later.feedback == 1 && later.revokedFeedback == 0)
    }

    @Test("sybil reviewers who never paid buy nothing; feedback without payments scores 0")
    func sybilFeedback() {
        let honest = [payment(1, block: 1), payment(2, block: 2)]
        let sybils = (10..<110).map { feedback($0, block: 20, value: "100", tag: "starred") }
        let base = ScoreFormula.score(ReputationMetrics(payments: honest, ratings: [], clock: now), at: now)
        let flooded = ReputationMetrics(payments: honest, ratings: [], feedback: sybils, clock: now)
        #expect(flooded.feedback == 100 && flooded.verifiedFeedback == 0 && flooded.tags["starred"]?.count == 100)
        #expect(ScoreFormula.score(flooded, at: now) == base)
        #expect(ScoreFormula.score(ReputationMetrics(payments: [], ratings: [], feedback: sybils, clock: now), at: now).score == 0)
    }
}

@Suite("ERC-8004 feedback values")
struct FeedbackValueTests {
    func value(_ raw: String, _ decimals: UInt8) -> FeedbackValue { FeedbackValue(raw: Int256(decimal: raw)!, decimals: decimals) }

    @Test("exact decimal strings, never rounded")
    func decimals() {
        #expect(value("8750", 2).decimalString == "87.5")
        #expect(value("-1234", 2).decimalString == "-12.34")
        #expect(value("5", 3).decimalString == "0.005")
        #expect(value("100", 0).decimalString == "100")
        #expect(value("0", 18).decimalString == "0")
        #expect(value("-100000000000000000000000000000000000000", 18).decimalString == "-100000000000000000000")
        #expect(value("123456789012345678901234567890", 18).decimalString == "123456789012.34567890123456789")
        #expect(value("7", 255).decimalString == "0." + String(repeating: "0", count: 254) + "7")
    }

    @Test("a rating is a value in [0, 100], decided exactly")
    func ratings() {
        #expect(value("0", 0).isRating && value("100", 0).isRating && value("10000", 2).isRating)
        #expect(!value("10001", 2).isRating && !value("-1", 0).isRating && !value("101", 0).isRating)
        #expect(value("100000000000000000000", 18).isRating && !value("100000000000000000001", 18).isRating)
        #expect(value("99999", 255).isRating, "100 · 10^255 is beyond any int128: every non-negative value is below it")
        #expect(value("8750", 2).number == 87.5)
    }
}
