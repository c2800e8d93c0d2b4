import GRDB
import Reputation
import Synchronization

/// What the payment ledger read of agents' histories in the last few committed batches, carried
/// to the next one: during a backfill the same popular agents are paid in range after range, and
/// loading each one's ``AgentTimeline`` again for every range was a tenth of the payment phase.
///
/// ```swift
/// let carried = historyCache.take(chainID: 1, in: db)       // inside the write, before the ledger
/// let ledger = PaymentLedger(db: db, chainID: 1, carried: carried)
/// …
/// historyCache.keep(ledger.carried, chainID: 1)             // only once the transaction committed
/// ```
///
/// Correctness rests on three rules:
/// - The ledger forgets an agent as soon as the batch records an event that may change its
///   history, so what it hands back is true at the batch's commit.
/// - ``take(chainID:in:)`` empties the slot, and only a committed batch fills it again: a batch
///   that fails leaves nothing behind.
/// - Any other change to the histories empties the cache: a rollback calls ``clear()``, and a
///   commit by another connection (another process, another store) changes the writer's
///   `PRAGMA data_version`, which is checked at every ``take(chainID:in:)``.
///
/// Only what one of the last few batches asked about is kept (``Carried/keptBatches``), so the
/// cache is bounded by a few batches' working sets.
final class HistoryCache: Sendable {
    /// One chain's carried histories.
    struct Carried: Sendable {
        /// How many batches have used these histories: the clock of ``lastUsed``.
        var batch = 0
        /// Per agent (lowercase): its timeline as of the last commit.
        var timelines: [String: AgentTimeline] = [:]
        /// Per `payTo` (lowercase): the agents whose card terms name it, with each version's position.
        var termsNaming: [String: [TermsNaming]] = [:]
        /// Per agent or `payTo`: the last batch that asked about it.
        private var lastUsed: [String: Int] = [:]

        /// Batches an unused history is kept for. Consecutive ranges of a backfill share their
        /// popular agents: at 100k agents, 24 % of a range's agents were in the range before and
        /// 40 % in one of the four before; each range asks about ≈ 3,000.
        static let keptBatches = 8

        /// Notes that this batch asked about `address` (an agent or a `payTo`).
        mutating func markUsed(_ address: String) {
            lastUsed[address] = batch
        }

        /// Drops the histories no batch among the last ``keptBatches`` asked about.
        mutating func forgetUnused() {
            let oldest = batch - Self.keptBatches
            lastUsed = lastUsed.filter { $0.value > oldest }
            timelines = timelines.filter { lastUsed[$0.key] != nil }
            termsNaming = termsNaming.filter { lastUsed[$0.key] != nil }
        }
    }

    /// An agent whose card version at `at` names a `payTo`.
    struct TermsNaming: Sendable {
        var agent: String
        var at: ChainPosition
    }

    private struct State {
        var chains: [UInt64: Carried] = [:]
        /// The writer connection's `PRAGMA data_version` at the last ``take(chainID:in:)``: our own
        /// commits leave it alone, another connection's change it.
        var dataVersion: Int?
    }

    private let state = Mutex(State())

    /// Removes and returns what is carried for `chainID`; nothing when another connection has
    /// committed since the last call. Call inside the write transaction.
    func take(chainID: UInt64, in db: Database) throws -> Carried {
        let version = try Int.fetchOne(db, sql: "PRAGMA data_version")
        return state.withLock { state in
            if state.dataVersion != version { state = State(dataVersion: version) }
            return state.chains.removeValue(forKey: chainID) ?? Carried()
        }
    }

    /// Keeps what a batch of `chainID` read, for its next batch. Call only once that batch committed.
    func keep(_ carried: Carried, chainID: UInt64) {
        state.withLock { $0.chains[chainID] = carried }
    }

    /// Forgets everything: the histories changed outside ``AgentStore/apply(_:)``.
    func clear() {
        state.withLock { $0 = State() }
    }
}
