import EthereumCore

/// What an agent's payments and ratings add up to at one clock.
///
/// Only counted payments (``PaymentRecord/counted``) enter the payment metrics; the others are
/// only counted in ``uncountedPayments``. A rating is **verified** when the rater had a counted
/// payment to this agent before it: in an earlier block, or earlier in the same block.
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

    /// Recurring ÷ unique payers; 0 without payers.
    public var retention: Double { uniquePayers == 0 ? 0 : Double(recurringPayers) / Double(uniquePayers) }
    /// Mean of all ratings; nil without ratings.
    public var ratingMean: Double? { ratings == 0 ? nil : Double(ratingSum) / Double(ratings) }
    /// Mean of verified ratings; nil without any.
    public var verifiedRatingMean: Double? { verifiedRatings == 0 ? nil : Double(verifiedRatingSum) / Double(verifiedRatings) }

    public init() {}

    /// Folds the records at or below `clock.block` (records above it are ignored).
    public init(payments records: [PaymentRecord], ratings ratingRecords: [RatingRecord], clock: ReputationClock) {
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
    }
}
