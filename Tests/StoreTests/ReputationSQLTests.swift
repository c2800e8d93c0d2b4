import EthereumCore
import Foundation
import GRDB
import Reputation
@testable import Store
import TestSupport
import Testing

/// The metrics SQLite folds (``ReputationSQL``) must mean what the Swift definition
/// (``ReputationMetrics/init(payments:ratings:feedback:clock:)``) says, on awkward data: uncounted
/// payments, blocks without a header, timestamps out of order and after the clock, volumes that
/// saturate, ratings out of range, ratings that share a block with the rater's payment, and
/// ERC-8004 feedback in and out of 0…100, tagged, revoked before and after the clock.
@Suite("Reputation metrics in SQL")
struct ReputationSQLTests {
    /// Random payments and ratings for `agents`, written as the follower stores them and kept as
    /// the records the Swift fold reads.
    struct History {
        var chainID: UInt64
        var payments: [String: [PaymentRecord]] = [:]
        var ratings: [String: [RatingRecord]] = [:]
        var feedback: [String: [FeedbackRecord]] = [:]
        var revocations = 0

        /// Stores an ERC-8004 feedback (its client's index is its count so far) and, when the record
        /// says so, its revocation.
        mutating func review(_ agent: String, _ record: FeedbackRecord, in db: Database) throws {
            let index = (feedback[agent] ?? []).filter { $0.client == record.client }.count + 1
            try db.execute(sql: """
                INSERT INTO feedback (chain_id, block_number, log_index, block_hash, tx_hash, emitter, agent, client, feedback_index,
                                      value, value_decimals, tag1, tag2, endpoint, feedback_uri, feedback_hash)
                VALUES (?, ?, ?, '0x', '0x', '0x', ?, ?, ?, ?, ?, ?, ?, '', '', '0x')
                """, arguments: [Int64(chainID), Int64(record.position.block), Int64(record.position.logIndex), agent,
                                 record.client.lowercased, index, record.value.raw.description, Int64(record.value.decimals),
                                 record.tag1, record.tag2])
            if let revoked = record.revokedAtBlock {
                revocations += 1
                try db.execute(sql: """
                    INSERT INTO feedback_revocation (chain_id, block_number, log_index, block_hash, tx_hash, agent, client, feedback_index)
                    VALUES (?, ?, ?, '0x', '0x', ?, ?, ?)
                    """, arguments: [Int64(chainID), Int64(revoked), 10_000 + revocations, agent, record.client.lowercased, index])
            }
            feedback[agent, default: []].append(record)
        }

        func metrics(_ agent: String, at clock: ReputationClock) -> ReputationMetrics {
            ReputationMetrics(payments: payments[agent] ?? [], ratings: ratings[agent] ?? [], feedback: feedback[agent] ?? [], clock: clock)
        }

        mutating func pay(_ agent: String, _ payment: PaymentRecord, in db: Database) throws {
            try db.execute(sql: """
                INSERT INTO payment (chain_id, agent, block_number, log_index, block_hash, tx_hash, kind, payer, asset,
                                     amount, recipient, evidence, claimants, counted)
                VALUES (?, ?, ?, ?, '0x', '0x', 'pay', ?, ?, ?, ?, 'factory-agent-log', 1, ?)
                """, arguments: [Int64(chainID), agent, Int64(payment.position.block), Int64(payment.position.logIndex),
                                 payment.payer.lowercased, payment.asset.lowercased, payment.amount.description, agent, payment.counted])
            payments[agent, default: []].append(payment)
        }

        mutating func rate(_ agent: String, _ rating: RatingRecord, in db: Database) throws {
            try db.execute(sql: """
                INSERT INTO rating (chain_id, agent, block_number, log_index, block_hash, tx_hash, rater, score, comment)
                VALUES (?, ?, ?, ?, '0x', '0x', ?, ?, '')
                """, arguments: [Int64(chainID), agent, Int64(rating.position.block), Int64(rating.position.logIndex),
                                 rating.rater.lowercased, Int(rating.score)])
            ratings[agent, default: []].append(rating)
        }
    }

    static let agents = (1...40).map { StoreFixture.address($0).lowercased }
    static let payers = (1...8).map { StoreFixture.address(0x1000 + $0) }
    static let assets = [EthereumAddress.zero, StoreFixture.address(0xcafe), StoreFixture.address(0xbeef)]
    static let thirdOfMax = UInt256(decimal: "38597363079105398474523661669562635951089994888546854679819194669304376546645")!
    static let clock = ReputationClock(block: 250, timestamp: 1_700_000_000 + 200 * 3_600)

    static func write(seed: UInt64, into fixture: StoreFixture) throws -> History {
        var random = SplitMix64(seed: seed)
        var reviews = SplitMix64(seed: seed &+ 1_000)   // its own stream: the payments stay those of earlier sessions
        var history = History(chainID: fixture.chainID)
        let chain = Int64(fixture.chainID)
        try fixture.store.write { db in
            for block in 1...300 {
                // Every fifth block has no stored header; times wander and some lie after the clock.
                let time = Int64(clock.timestamp) - 40 * 86_400 + Int64(block) * 3_600 * 4 + Int64.random(in: -90_000...90_000, using: &random)
                let header: UInt64? = block % 5 == 0 ? nil : UInt64(time)
                if let header {
                    try db.execute(sql: "INSERT INTO block (chain_id, number, hash, timestamp) VALUES (?, ?, ?, ?)",
                                   arguments: [chain, block, "0x\(block)", Int64(header)])
                }
                for logIndex in 0..<Int.random(in: 0...6, using: &random) {
                    // The first agent is the popular one.
                    let agent = Int.random(in: 0..<7, using: &random) == 0 ? agents[0] : agents.randomElement(using: &random)!
                    let position = ChainPosition(block: UInt64(block), logIndex: UInt64(logIndex))
                    let payer = payers[Int.random(in: 0..<payers.count, using: &random)]
                    if Int.random(in: 0..<4, using: &random) == 0 {
                        let score = UInt8(Int.random(in: 0...6, using: &random))
                        try history.rate(agent, RatingRecord(position: position, rater: payer, score: score), in: db)
                    } else {
                        let asset = assets[Int.random(in: 0..<assets.count, using: &random)]
                        let amount = Int.random(in: 0..<8, using: &random) != 0 ? UInt256(UInt64.random(in: 1...1_000_000, using: &random))
                            : Self.thirdOfMax   // four of them saturate the sum
                        let counted = Int.random(in: 0..<5, using: &random) != 0
                        try history.pay(agent, PaymentRecord(position: position, timestamp: header, payer: payer, asset: asset,
                                                             amount: amount, counted: counted), in: db)
                    }
                }
                // ERC-8004 feedback after the block's payments: values in and out of 0…100 at 0–4
                // decimals, negative ones, shared and empty tags; some revoked before the clock, some after.
                for logIndex in 50..<(50 + Int.random(in: 0...2, using: &reviews)) {
                    let agent = Int.random(in: 0..<4, using: &reviews) == 0 ? agents[0] : agents.randomElement(using: &reviews)!
                    let decimals = UInt8(Int.random(in: 0...4, using: &reviews))
                    let raw = Int64.random(in: -50...1_200, using: &reviews) * Int64.random(in: 1...1_000, using: &reviews)
                    let tags = ["", "starred", "uptime", "speed"]
                    let revoked: UInt64? = Int.random(in: 0..<4, using: &reviews) == 0
                        ? UInt64(block) + UInt64.random(in: 1...120, using: &reviews) : nil
                    try history.review(agent, FeedbackRecord(
                        position: ChainPosition(block: UInt64(block), logIndex: UInt64(logIndex)),
                        client: payers[Int.random(in: 0..<payers.count, using: &reviews)],
                        value: FeedbackValue(raw: Int256(raw), decimals: decimals),
                        tag1: tags.randomElement(using: &reviews)!, tag2: tags.randomElement(using: &reviews)!,
                        revokedAtBlock: revoked), in: db)
                }
            }
        }
        return history
    }

    @Test("SQL metrics equal the Swift fold, by agent list and by address range, with and without a window floor", arguments: [1, 2, 3] as [UInt64])
    func sqlMatchesFold(seed: UInt64) throws {
        let fixture = try StoreFixture()
        let history = try Self.write(seed: seed, into: fixture)
        let agents = Self.agents.sorted()
        let floor = try fixture.store.read { db in try ReputationSQL.windowFloor(chainID: fixture.chainID, clock: Self.clock, in: db) }
        #expect(floor > 1 && floor < Self.clock.block)
        for (contiguous, windowFloor) in [(false, 0), (false, floor), (true, floor)] {
            let reputations = try fixture.store.read { db in
                try ReputationSQL.reputations(chainID: fixture.chainID, addresses: agents, clock: Self.clock,
                                              windowFloor: windowFloor, contiguous: contiguous, in: db)
            }
            #expect(reputations.count == agents.count)
            for (agent, reputation) in zip(agents, reputations) {
                #expect(reputation.metrics == history.metrics(agent, at: Self.clock), "agent \(agent), contiguous \(contiguous)")
            }
        }
        // The data exercised what it is meant to: windows, saturation, verified ratings.
        let all = agents.map { history.metrics($0, at: Self.clock) }
        #expect(all.contains { $0.paymentsLast7Days > 0 && $0.paymentsLast30Days > $0.paymentsLast7Days })
        #expect(all.contains { $0.volume.values.contains(.max) })
        #expect(all.contains { $0.verifiedRatings > 0 && $0.verifiedRatings < $0.ratings })
        #expect(all.contains { $0.uncountedPayments > 0 && $0.recurringPayers > 0 })
        #expect(all.contains { $0.verifiedFeedback > 0 && $0.verifiedFeedback < $0.feedback && $0.revokedFeedback > 0 })
        #expect(all.contains { $0.feedbackRatings > 0 && $0.feedbackRatings < $0.feedback && $0.tags.count > 1 })
    }

    @Test("one agent alone reads the same metrics as in a group; a rating counts a payment earlier in its own block")
    func singleAgent() throws {
        let fixture = try StoreFixture()
        var history = try Self.write(seed: 7, into: fixture)
        let agent = StoreFixture.address(0x99).lowercased
        let (early, late, uncounted) = (Self.payers[0], Self.payers[1], Self.payers[2])
        func at(_ block: UInt64, _ log: UInt64) -> ChainPosition { ChainPosition(block: block, logIndex: log) }
        func payment(_ payer: EthereumAddress, _ position: ChainPosition, counted: Bool = true) -> PaymentRecord {
            // Blocks divisible by five have no stored header, so no time.
            PaymentRecord(position: position, timestamp: nil, payer: payer, asset: .zero, amount: UInt256(5), counted: counted)
        }
        try fixture.store.write { db in
            try history.pay(agent, payment(early, at(105, 5)), in: db)          // paid, then rated in the same block
            try history.rate(agent, RatingRecord(position: at(105, 6), rater: early, score: 5), in: db)
            try history.rate(agent, RatingRecord(position: at(110, 2), rater: late, score: 1), in: db)
            try history.pay(agent, payment(late, at(110, 3)), in: db)           // rated, then paid in the same block
            try history.pay(agent, payment(uncounted, at(115, 1), counted: false), in: db)
            try history.rate(agent, RatingRecord(position: at(115, 2), rater: uncounted, score: 2), in: db)
        }
        for address in [Self.agents[0], agent] {
            let single = try fixture.store.read { db in
                try ReputationSQL.reputation(chainID: fixture.chainID, address: address, clock: Self.clock, in: db)
            }
            #expect(single.metrics == history.metrics(address, at: Self.clock))
            #expect(single.metrics.payments > 0)
        }
        let rated = try fixture.store.read { db in
            try ReputationSQL.reputation(chainID: fixture.chainID, address: agent, clock: Self.clock, in: db)
        }
        #expect(rated.metrics.ratings == 3 && rated.metrics.verifiedRatings == 1 && rated.metrics.verifiedRatingSum == 5)
    }
}
