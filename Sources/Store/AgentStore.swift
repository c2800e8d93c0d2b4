import Foundation
import GRDB
import Synchronization

/// The SQLite database of AgentIndex: one writer (the follower), readers through a WAL pool.
///
/// ```swift
/// let store = try AgentStore(path: "agentindex.sqlite")          // read-write, migrates
/// try store.registerChain(id: 31337, name: "devnet", sources: sources)
/// try store.apply(batch)                                          // one transaction per range
/// let page = try store.search(AgentQuery(text: "legal german"))
///
/// let reader = try AgentStore(path: "agentindex.sqlite", readOnly: true)   // `agentindex serve`
/// ```
public final class AgentStore: Sendable {
    /// Errors opening or using the store, each with a message fit for an operator.
    public enum StoreError: Error, CustomStringConvertible, Sendable {
        case notFound(String)
        case invalidCursor

        public var description: String {
            switch self {
            case .notFound(let path): "no database at \(path) (run `agentindex index` first)"
            case .invalidCursor: "the cursor is not a position (<a>.<b>)"
            }
        }
    }

    let pool: DatabasePool
    /// One connection that only asks `PRAGMA data_version`: its answer changes whenever another
    /// connection (this process's writer or another process's) commits.
    private let versionProbe: DatabaseQueue
    /// True when opened with `readOnly: true`: writes throw.
    public let isReadOnly: Bool
    /// Agents' histories the payment ledger read in the last few batches, for the next (``apply(_:)``).
    let historyCache = HistoryCache()
    /// The last ``AnswerStamp`` and the `data_version` it was read at.
    let stampCache = Mutex<(version: Int, stamp: AnswerStamp)?>(nil)

    /// Opens (and, unless read-only, creates and migrates) the database at `path`.
    public init(path: String, readOnly: Bool = false) throws {
        if readOnly, !FileManager.default.fileExists(atPath: path) { throw StoreError.notFound(path) }
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(10)
        config.maximumReaderCount = max(4, ProcessInfo.processInfo.activeProcessorCount * 2)
        config.prepareDatabase { db in
            if db.configuration.readonly {
                // Readers map the file (up to SQLite's 2 GB limit) instead of copying every page
                // through read(2): a snapshot or a text search touches much of the database.
                try db.execute(sql: "PRAGMA mmap_size = 2147418112")
            } else {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // 8 KiB pages for a database this creates (an existing one keeps its own): a backfill
                // inserts payments at random places in b-trees keyed by agent, and with twice the rows
                // to a page more of a range's payments share the pages it dirties, so fewer pages go
                // through the log and the checkpoint (100k agents: 228 → 209 s, measured).
                try db.execute(sql: "PRAGMA page_size = 8192")
                // 32 MiB of page cache for the one writer: the default 2 MiB rereads index pages
                // from the OS for every payment once the database outgrows it. At 100k agents, with
                // 8 KiB pages, 32 MiB was no slower than 48 or 64 MiB; 256 MiB saved 7 % of the
                // backfill for 180 MB more memory.
                try db.execute(sql: "PRAGMA cache_size = -32768")
            }
        }
        pool = try DatabasePool(path: path, configuration: config)
        isReadOnly = readOnly
        if !readOnly {
            try pool.write { db in   // a migration may name a suspended index
                if try !Schema.migrator.hasCompletedMigrations(db), try db.tableExists("suspended_index") {
                    try ReadIndexes.buildAll(in: db)
                }
            }
            try Schema.migrator.migrate(pool)
            try pool.writeWithoutTransaction { db in try ChangeCapture.install(db) }
        }
        var probeConfig = Configuration()
        probeConfig.readonly = true
        probeConfig.busyMode = .timeout(10)
        versionProbe = try DatabaseQueue(path: path, configuration: probeConfig)
    }

    /// A number that changes whenever anything is committed to the database, by this process or
    /// another: what a cache of query results is keyed by (``SearchCache``).
    public func dataVersion() throws -> Int {
        try versionProbe.inDatabase { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    /// Copies the write-ahead log into the database file and truncates it. Called when a backfill
    /// has caught up: readers then find every page in the file instead of looking each one up in
    /// a log of hundreds of megabytes (a 100k-agent snapshot: 2.3 → 2.0 s), and the disk is freed.
    /// Waits for readers that still use the log (at most the busy time-out); a checkpoint that
    /// cannot finish is left for the next one.
    public func checkpoint() {
        pool.writeWithoutTransaction { db in _ = try? db.checkpoint(.truncate) }
    }

    /// Runs `body` in a write transaction; the changes it made to what the API answers are
    /// appended to the change feed before it commits (``ChangeCapture``).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.write { db in
            let result = try body(db)
            try ChangeCapture.flush(db)
            return result
        }
    }
    func read<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }
}
