import Foundation
import Indexer
import Logging
import Store
import Synchronization

/// The followers of all configured chains, each on its own thread (the RPC client blocks), with
/// one stop flag, writing one database.
final class FollowerGroup: Sendable {
    let followers: [ChainFollower]
    /// The database the followers write (opened read-write, migrated).
    let store: AgentStore
    /// Held while the group lives: a second follower on the same database refuses to start.
    private let lock: WriterLock
    private let stopping = Atomic<Bool>(false)
    /// The terminal progress lines while backfilling (nil when stderr is not a TTY).
    /// Set once in ``start()``, before the follower threads begin.
    private nonisolated(unsafe) var progress: ProgressDisplay?
    private let caughtUp = Atomic<Int>(0)
    private let finished = DispatchGroup()

    /// Validates the chains, opens the database, and makes and prepares a follower per chain
    /// (which checks each node's chain id).
    init(config: AppConfig, logger: Logger) throws {
        try config.validateChains()
        lock = try WriterLock(database: config.database)
        let store = try AgentStore(path: config.database)
        try store.endBulkBackfill(exceptChains: Set(config.chains.map(\.chainID)))
        self.store = store
        followers = try config.chains.map { try ChainFollower(config: $0, store: store, logger: logger) }
        for follower in followers { try follower.prepare() }
    }

    var isStopping: Bool { stopping.load(ordering: .relaxed) }

    func stop() { stopping.store(true, ordering: .relaxed) }

    /// Starts following in the background; prints a ``CaughtUpReport`` line per chain after its
    /// first catch-up.
    func start() {
        if ProgressDisplay.isTerminal {
            let display = ProgressDisplay(followers: followers)
            display.start()
            progress = display
        }
        for follower in followers {
            finished.enter()
            let thread = Thread { [self] in
                let started = ContinuousClock.now
                follower.follow(until: { [self] in isStopping },
                                onCaughtUp: { [self] in
                                    if caughtUp.add(1, ordering: .relaxed).newValue == followers.count {
                                        progress?.stop()
                                        store.checkpoint()
                                    }
                                    CaughtUpReport.print(CaughtUpReport.line(follower, elapsed: ContinuousClock.now - started))
                                })
                finished.leave()
            }
            thread.name = "follower-\(follower.config.name)"
            thread.start()
        }
    }

    /// Blocks until every follower thread has returned (after ``stop()``).
    func waitUntilStopped() {
        finished.wait()
    }
}

/// Turns SIGTERM and SIGINT into a call of `handler` (once per signal).
final class SignalTrap: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(_ handler: @escaping @Sendable () -> Void) {
        unblockTerminationSignals()
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }
}

/// A parent may start us with SIGTERM/SIGINT blocked (Foundation's Process passes its mask on);
/// a service must still stop when asked.
func unblockTerminationSignals() {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGTERM)
    sigaddset(&set, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
}
