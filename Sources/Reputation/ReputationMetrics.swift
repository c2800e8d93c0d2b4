import EthereumCore

/// What an agent's payments, ratings and feedback add up to at one clock.
///
/// Only counted payments (``PaymentRecord/counted``) enter the payment metrics; the others are
/// only counted in ``uncountedPayments``. A rating or a feedback is **verified** when its author
/// had a counted payment to this agent before it: in an earlier block, or earlier in the same
/// block. Feedback revoked at or before the clock leaves the metrics (it is only counted in
/// ``revokedFeedback``); a feedback value in [0, 100] is a rating on a 0–100 scale.
///
/// ```swift
/// let metrics = ReputationMetrics(payments: payments, ratings: ratings, clock: clock)
/// metrics.uniquePayers   // 3
/// ```
public struct ReputationMetrics: Sendable, Hashable {
    /// A payment's block and time.
    public struct Moment: Sendable, Hashable {
        public var block: UInt64
        public var timestamp: UInt64?
        public init(block: UInt64, timestamp: UInt64?) { self.block = block; self.timestamp = timestamp }
    }

    public static let day: UInt64 = 86_400

    public var payments = 0
    public var uncountedPayments = 0
    /// Volume per asset (atomic units); the zero address is the native coin. Saturates at 2²⁵⁶−1.
    public var volume: [EthereumAddress: UInt256] = [:]
    public var uniquePayers = 0
    /// Payers with at least two counted payments.
    public var recurringPayers = 0
    public var firstPayment: Moment?
    public var lastPayment: Moment?
    /// Counted payments whose block time lies within 7 (30) days before the clock.
    public var paymentsLast7Days = 0
    public var paymentsLast30Days = 0
    public var ratings = 0
    public var ratingSum = 0
    public var verifiedRatings = 0
    public var verifiedRatingSum = 0
    /// ERC-8004 feedback at or below the clock and not revoked by then.
    public var feedback = 0
    public var revokedFeedback = 0
    /// Feedback whose client had a counted payment to the agent before it.
    public var verifiedFeedback = 0
    /// Feedback whose value lies in [0, 100], and the sum of those values (added in chain order).
    public var feedbackRatings = 0
    public var feedbackRatingSum = 0.0
    public var verifiedFeedbackRatings = 0
    public var verifiedFeedbackRatingSum = 0.0
    /// Per tag: the feedback carrying it as `tag1` or `tag2` (once per feedback).
    public var tags: [String: TagTotals] = [:]

    /// The feedback of one tag.
    public struct TagTotals: Sendable, Hashable {
        public var count = 0
        public var verified = 0
        /// The sum of the values (in chain order), for the mean.
        public var sum = 0.0
        public init() {}
        public var mean: Double { count == 0 ? 0 : sum / Double(count) }
    }

    /// Recurring ÷ unique payers; 0 without payers.
    public var retention: Double { uniquePayers == 0 ? 0 : Double(recurringPayers) / Double(uniquePayers) }
    /// Mean of all ratings; nil without ratings.
    public var ratingMean: Double? { ratings == 0 ? nil : Double(ratingSum) / Double(ratings) }
    /// Mean of verified ratings; nil without any.
    public var verifiedRatingMean: Double? { verifiedRatings == 0 ? nil : Double(verifiedRatingSum) / Double(verifiedRatings) }
    /// Mean of the feedback ratings (0–100); nil without any.
    public var feedbackRatingMean: Double? { feedbackRatings == 0 ? nil : feedbackRatingSum / Double(feedbackRatings) }
    /// Mean of the verified feedback ratings (0–100); nil without any.
    public var verifiedFeedbackRatingMean: Double? {
        verifiedFeedbackRatings == 0 ? nil : verifiedFeedbackRatingSum / Double(verifiedFeedbackRatings)
    }

    public init() {}

    /// Folds the records at or below `clock.block` (records above it are ignored).
    public init(payments records: [PaymentRecord], ratings ratingRecords: [RatingRecord], feedback feedbackRecords: [FeedbackRecord] = [],
                clock: ReputationClock) {
        let counted = records.filter { $0.position.block <= clock.block && $0.counted }.sorted { $0.position < $1.position }
        uncountedPayments = records.filter { $0.position.block <= clock.block && !$0.counted }.count
        payments = counted.count

        var perPayer: [EthereumAddress: Int] = [:]
        var firstPaid: [EthereumAddress: ChainPosition] = [:]
        for payment in counted {
            perPayer[payment.payer, default: 0] += 1
            if firstPaid[payment.payer] == nil { firstPaid[payment.payer] = payment.position }
            let sum = volume[payment.asset, default: .zero].addingReportingOverflow(payment.amount)
            volume[payment.asset] = sum.overflow ? .max : sum.partialValue
            if let time = payment.timestamp, time <= clock.timestamp {
                let age = clock.timestamp - time
                if age < 7 * Self.day { paymentsLast7Days += 1 }
                if age < 30 * Self.day { paymentsLast30Days += 1 }
            }
        }
        uniquePayers = perPayer.count
        recurringPayers = perPayer.values.filter { $0 >= 2 }.count
        firstPayment = counted.first.map { Moment(block: $0.position.block, timestamp: $0.timestamp) }
        lastPayment = counted.last.map { Moment(block: $0.position.block, timestamp: $0.timestamp) }

        for rating in ratingRecords where rating.position.block <= clock.block && (1...5).contains(rating.score) {
            ratings += 1
            ratingSum += Int(rating.score)
            if let paid = firstPaid[rating.rater], paid < rating.position {
                verifiedRatings += 1
                verifiedRatingSum += Int(rating.score)
            }
        }
        for item in feedbackRecords.sorted(by: { $0.position < $1.position }) where item.position.block <= clock.block {
            if let revoked = item.revokedAtBlock, revoked <= clock.block {
                revokedFeedback += 1
                continue
            }
            let verified = firstPaid[item.client].map { $0 < item.position } ?? false
            add(feedback: item.value, tags: [item.tag1, item.tag2], verified: verified)
        }
    }

    /// Counts one feedback that stands at the clock (not revoked by then).
    public mutating func add(feedback value: FeedbackValue, tags feedbackTags: [String], verified: Bool) {
        feedback += 1
        if verified { verifiedFeedback += 1 }
        let number = value.number
        if value.isRating {
            feedbackRatings += 1
            feedbackRatingSum += number
            if verified {
                verifiedFeedbackRatings += 1
                verifiedFeedbackRatingSum += number
            }
        }
        for tag in Set(feedbackTags) where !tag.isEmpty {
            tags[tag, default: TagTotals()].count += 1
            tags[tag, default: TagTotals()].sum += number
            if verified { tags[tag, default: TagTotals()].verified += 1 }
        }
    }
}
