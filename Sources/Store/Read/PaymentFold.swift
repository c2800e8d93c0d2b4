import EthereumCore
import GRDB
import GRDBSQLite
import Reputation

/// Folds payment rows into each agent's payment metrics in one pass, without building a value
/// per payment: a snapshot of 100k agents reads a million payments.
///
/// The rows come in `payment_by_payer` order (agent, payer, counted, block), as ``sql`` reads
/// them, so one agent's rows are adjacent and, within them, one payer's: unique and recurring
/// payers are counted as runs, with no set of payers. Text columns are read in place from
/// SQLite and compared as bytes; a String is made once per agent, not per row.
///
/// ```swift
/// var fold = PaymentFold(clock: clock)
/// try list.statementRows(db, PaymentFold.sql(list, byPayer: "INDEXED BY payment_by_payer")) { fold.add($0) }
/// let totals = fold.finish()          // agent → metrics and first/last counted block
/// ```
/// The metrics mean what ``ReputationMetrics/init(payments:ratings:clock:)`` says; the first and
/// last payment get their block's time from the caller, and ratings are counted elsewhere.
struct PaymentFold {
    /// One agent's payment metrics (first and last payment without their time yet).
    struct Totals {
        var metrics = ReputationMetrics()
        var firstBlock: Int64?
        var lastBlock: Int64?
    }

    /// Reads `agent, payer, counted, block_number, asset, amount` and the block's time of a
    /// counted payment at or above the window floor (`?3`; below it no time can fall in a window).
    ///
    /// Rows come in `payment_by_payer` order; while that index is suspended (``ReadIndexes``)
    /// they are sorted into it.
    /// `byPayer`: ``ReadIndexes/indexedBy(_:in:)`` of `payment_by_payer`.
    static func sql(_ list: ReputationSQL.AgentList, byPayer index: String) -> String {
        """
        SELECT agent, payer, counted, block_number, asset, amount,
               CASE WHEN counted AND block_number >= ?3
                    THEN (SELECT timestamp FROM block b WHERE b.chain_id = ?1 AND b.number = p.block_number) END
        FROM payment p \(index)
        WHERE chain_id = ?1 AND \(list.agents("agent")) AND block_number <= ?2
        \(index.isEmpty ? "ORDER BY agent, payer" : "")
        """
    }

    let clock: ReputationClock
    private var totals: [String: Totals] = [:]

    private var agent: [UInt8] = []
    private var current = Totals()
    private var payer: [UInt8] = []
    private var payerPayments = 0
    /// The current agent's volume per asset, keyed by the asset's text: an agent is paid in few assets.
    private var volume: [(asset: [UInt8], sum: UInt256)] = []

    init(clock: ReputationClock) { self.clock = clock }

    /// Adds the row `statement` stands on (a row of ``sql``).
    mutating func add(_ statement: SQLiteStatement) {
        let agentText = Self.text(statement, 0)
        if !agentText.elementsEqual(agent) {
            finishAgent()
            agent = Array(agentText)
        }
        let payerText = Self.text(statement, 1)
        if !payerText.elementsEqual(payer) {
            finishPayer()
            payer = Array(payerText)
        }
        guard sqlite3_column_int64(statement, 2) != 0 else {
            current.metrics.uncountedPayments += 1
            return
        }
        let block = sqlite3_column_int64(statement, 3)
        current.metrics.payments += 1
        payerPayments += 1
        current.firstBlock = min(current.firstBlock ?? block, block)
        current.lastBlock = max(current.lastBlock ?? block, block)
        if sqlite3_column_type(statement, 6) != SQLITE_NULL {
            let time = sqlite3_column_int64(statement, 6)
            if time >= 0, UInt64(time) <= clock.timestamp {
                let age = clock.timestamp - UInt64(time)
                if age < 7 * ReputationMetrics.day { current.metrics.paymentsLast7Days += 1 }
                if age < 30 * ReputationMetrics.day { current.metrics.paymentsLast30Days += 1 }
            }
        }
        if let amount = UInt256(decimalUTF8: Self.text(statement, 5)) { add(amount, to: Self.text(statement, 4)) }
    }

    /// Ends the last agent and returns every agent's totals.
    mutating func finish() -> [String: Totals] {
        finishAgent()
        return totals
    }

    /// Column `index` of the current row as UTF-8 bytes, valid until the statement steps.
    private static func text(_ statement: SQLiteStatement, _ index: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let bytes = sqlite3_column_text(statement, index) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, index)))
    }

    private mutating func add(_ amount: UInt256, to asset: UnsafeBufferPointer<UInt8>) {
        let index: Int
        if let known = volume.firstIndex(where: { $0.asset.elementsEqual(asset) }) {
            index = known
        } else {
            volume.append((Array(asset), .zero))
            index = volume.count - 1
        }
        let sum = volume[index].sum.addingReportingOverflow(amount)
        volume[index].sum = sum.overflow ? .max : sum.partialValue
    }

    private mutating func finishPayer() {
        if payerPayments > 0 { current.metrics.uniquePayers += 1 }
        if payerPayments > 1 { current.metrics.recurringPayers += 1 }
        payerPayments = 0
    }

    private mutating func finishAgent() {
        finishPayer()
        payer.removeAll(keepingCapacity: true)
        guard !agent.isEmpty else { return }
        for (asset, sum) in volume {
            if let address = try? EthereumAddress(String(decoding: asset, as: UTF8.self)) { current.metrics.volume[address] = sum }
        }
        totals[String(decoding: agent, as: UTF8.self)] = current
        current = Totals()
        volume.removeAll(keepingCapacity: true)
    }
}
