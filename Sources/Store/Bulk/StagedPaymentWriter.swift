import EthereumCore
import GRDB
import GRDBSQLite
import Reputation

/// Appends a bulk batch's classified payments (``PaymentLedger``'s) to `payment_staging` (``PaymentStaging``): up to
/// ``rowsPerInsert`` rows per `INSERT`, hashes and addresses as bytes.
///
/// Staged rows are written once and read once, by the merge, which turns each byte key back into
/// the `0x…` text `payment` holds (``PaymentStaging/text(_:)``). As bytes, a row is about half as
/// long (a hash 32 bytes instead of 66 characters, an address 20 instead of 42), so half as
/// much goes through the write-ahead log and the checkpoint (100k chain: 341 → 190 MB staged),
/// and nothing is hex-encoded on the committing thread. The merge is no faster for it: what its
/// sort saves, turning the bytes back into text costs. An agent key that is not a lowercase
/// address (an ERC-8004 agent's `registry/tokenId`) stays text.
///
/// Values are bound through SQLite's C API: GRDB's arguments would box each value and copy each
/// blob into a `Data` first.
///
/// ```swift
/// var writer = StagedPaymentWriter(db: db, chainID: 8453)
/// for payment in waiting { try writer.append(payment, reason: exclusion(payment)) }   // in the ledger's flush
/// try writer.finish()
/// ```
struct StagedPaymentWriter {
    /// Rows per `INSERT`: 960 parameters, far below SQLite's limit of 32,766.
    static let rowsPerInsert = 64

    let db: Database
    let chainID: UInt64
    private var pending: [(payment: WaitingPayment, reason: PaymentExclusion?)] = []

    init(db: Database, chainID: UInt64) {
        self.db = db
        self.chainID = chainID
        pending.reserveCapacity(Self.rowsPerInsert)
    }

    /// Adds a payment, classified (`reason` nil: it counts); inserts the rows held once there are
    /// ``rowsPerInsert`` of them.
    mutating func append(_ payment: WaitingPayment, reason: PaymentExclusion?) throws {
        pending.append((payment, reason))
        if pending.count == Self.rowsPerInsert { try insertPending() }
    }

    /// Inserts the rows still held.
    mutating func finish() throws {
        if !pending.isEmpty { try insertPending() }
    }

    private mutating func insertPending() throws {
        let row = "(" + Array(repeating: "?", count: 15).joined(separator: ", ") + ")"
        let sql = "INSERT INTO payment_staging (\(PaymentStaging.columns)) VALUES "
            + Array(repeating: row, count: pending.count).joined(separator: ", ")
        let statement = try db.cachedStatement(sql: sql)
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        var index: Int32 = 1
        func next() -> Int32 { defer { index += 1 }; return index }
        for (payment, reason) in pending {
            let p = payment.provenance
            sqlite3_bind_int64(handle, next(), Int64(chainID))
            if let agent = payment.agentAddress {
                Self.bind(agent, handle, next())
            } else {
                sqlite3_bind_text(handle, next(), payment.agent, -1, transient)
            }
            sqlite3_bind_int64(handle, next(), Int64(p.blockNumber))
            sqlite3_bind_int64(handle, next(), Int64(p.logIndex))
            Self.bind(p.blockWord, handle, next())
            Self.bind(p.transactionWord, handle, next())
            sqlite3_bind_text(handle, next(), payment.kind, -1, transient)
            Self.bind(payment.payer, handle, next())
            Self.bind(payment.asset, handle, next())
            sqlite3_bind_text(handle, next(), payment.amount.description, -1, transient)
            Self.bind(payment.recipient, handle, next())
            sqlite3_bind_text(handle, next(), payment.evidence.rawValue, -1, transient)
            sqlite3_bind_int64(handle, next(), Int64(payment.claimants))
            sqlite3_bind_int64(handle, next(), reason == nil ? 1 : 0)
            if let reason {
                sqlite3_bind_text(handle, next(), reason.rawValue, -1, transient)
            } else {
                sqlite3_bind_null(handle, next())
            }
        }
        let code = sqlite3_step(handle)
        sqlite3_clear_bindings(handle)
        sqlite3_reset(handle)
        pending.removeAll(keepingCapacity: true)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
        }
    }

    private static func bind(_ word: TopicWord, _ handle: OpaquePointer, _ index: Int32) {
        word.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, 32, transient) }
    }

    private static func bind(_ address: EthereumAddress, _ handle: OpaquePointer, _ index: Int32) {
        address.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, 20, transient) }
    }
}

/// SQLite copies the value before the bind returns (its `SQLITE_TRANSIENT`, which Swift does not import).
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

extension WaitingPayment {
    /// The agent key as an address when it is one written as the merge writes it back (`0x` and 40
    /// lowercase hex digits), so the round trip gives the same text; nil otherwise (staged as text).
    var agentAddress: EthereumAddress? {
        let utf8 = agent.utf8
        guard utf8.count == 42, agent.hasPrefix("0x"),
              utf8.dropFirst(2).allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) })
        else { return nil }
        return try? EthereumAddress(agent)
    }
}
