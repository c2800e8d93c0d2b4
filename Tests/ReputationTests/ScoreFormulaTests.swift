import EthereumCore
import Foundation
import Reputation
import Testing

/// The score under the games an attacker plays (rep-v1): each moves it little or not at all.
@Suite("rep-v1 score")
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
        #expect(s.formula == "rep-v1")
        #expect((0...1).contains(s.score))
    }

    @Test("recency halves every 30 days without payments")
    func recency() {
        #expect(score([payment(1, block: 1, daysAgo: 0)]).recency == 1)
        #expect(score([payment(1, block: 1, daysAgo: 60)]).recency == 0.25)
    }
}
