import Foundation
import Logging
import Store
#if canImport(Glibc)
import Glibc
#endif

/// The off-chain document stage: threads that take due documents from the store, fetch them
/// (``DocumentReader``) and apply each result in a transaction of its own.
///
/// It never holds up the follower: it writes only document results, in small transactions, and
/// a slow or hostile host only occupies its own slots. At most ``FetchPolicy/concurrency``
/// documents are fetched at once, and at most ``FetchPolicy/perHostConcurrency`` from one host
/// (the IPFS gateways share one pool of that size per gateway). Claimed documents are leased in
/// the store: if the process dies mid-fetch, they are fetched again once the lease ends. Its
/// threads run at a lower scheduling priority (nice 10): when the CPU is short, the follower goes
/// first.
///
/// ```swift
/// let fetcher = DocumentFetcher(store: store, policy: policy, logger: logger)
/// fetcher.start()          // with `agentindex run`
/// …
/// fetcher.stop()
/// fetcher.waitUntilStopped(timeout: .seconds(2))
///
/// let done = fetcher.fetchDue()   // `agentindex documents --fetch`: everything due now, then return
/// ```
public final class DocumentFetcher: @unchecked Sendable {
    let store: AgentStore
    let reader: DocumentReader
    let policy: FetchPolicy
    let logger: Logger
    /// Unix seconds now.
    let clock: @Sendable () -> Int64
    /// How long a claimed document stays hidden from other claims (a card may take several
    /// requests, each up to the total time-out).
    let leaseSeconds: Int64
    /// How often an idle fetcher looks for newly due documents.
    let idlePoll: TimeInterval

    private let condition = NSCondition()
    /// Claimed documents waiting for a thread, with the host slot each counts against.
    private var queue: [(task: DocumentTask, host: String, limit: Int)] = []
    private var inFlight: Set<Int64> = []
    private var busyHosts: [String: Int] = [:]
    private var stopping = false
    /// True once a claim found nothing due and no document is queued or being fetched.
    private var idle = false
    private var fetched = 0
    private let finished = DispatchGroup()
    private let stoppingFlag: StopFlag

    /// A flag the HTTP client polls to abort transfers when the fetcher stops.
    final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.lock(); value = true; lock.unlock() }
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    }

    public init(store: AgentStore, policy: FetchPolicy, payments: (any PaymentLookup)? = nil, logger: Logger,
                idlePoll: TimeInterval = 1, clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        let flag = StopFlag()
        self.stoppingFlag = flag
        self.store = store
        self.policy = policy
        self.logger = logger
        self.clock = clock
        self.idlePoll = idlePoll
        self.leaseSeconds = RetrySchedule.seconds(policy.totalTimeout) * 3 + 10
        let client = GuardedHTTPClient(guard: FetchGuard(policy: policy), stopping: { flag.isSet })
        self.reader = DocumentReader(client: client, policy: policy, payments: payments)
    }

    /// Starts the claiming thread and the fetching threads.
    public func start() {
        spawn("documents-claim") { [self] in claimLoop() }
        for index in 0..<max(1, policy.concurrency) {
            spawn("documents-\(index)") { [self] in workLoop() }
        }
    }

    /// Asks every thread to stop; transfers in progress are aborted.
    public func stop() {
        stoppingFlag.set()
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the threads to end, at most `timeout` (a thread stuck in a DNS lookup is left
    /// behind: its document's lease ends and it is fetched again).
    @discardableResult
    public func waitUntilStopped(timeout: Duration = .seconds(5)) -> Bool {
        finished.wait(timeout: .now() + Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18) == .success
    }

    /// Fetches every document due now, and those they make due (a card named by a file just
    /// read), then stops. Returns how many attempts were made.
    public func fetchDue() -> Int {
        start()
        condition.lock()
        while !idle && !stopping { _ = condition.wait(until: Date().addingTimeInterval(0.2)) }
        let count = fetched
        condition.unlock()
        stop()
        waitUntilStopped(timeout: .seconds(30))
        return count
    }

    /// Sets the backlog gauges of `/metrics` from `store` (documents by kind and status, due,
    /// oldest pending age).
    public static func recordBacklog(of store: AgentStore) {
        if let backlog = try? store.documentBacklog(now: Int64(Date().timeIntervalSince1970)) {
            DocumentFetcherMetrics.record(backlog: backlog)
        }
    }

    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        finished.enter()
        let thread = Thread { [finished] in
            #if canImport(Glibc)
            // Linux keeps a nice value per thread, and `who` 0 is the calling thread: this one
            // yields to the follower's.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
            #endif
            body()
            finished.leave()
        }
        thread.name = name
        thread.start()
    }

    // MARK: Claiming

    private func claimLoop() {
        while true {
            condition.lock()
            if stopping { condition.unlock(); return }
            let room = max(0, 2 * max(1, policy.concurrency) - queue.count - inFlight.count)
            condition.unlock()
            var claimed: [DocumentTask] = []
            if room > 0 {
                do { claimed = try store.claimDueDocuments(now: clock(), limit: room, lease: leaseSeconds) } catch {
                    logger.warning("could not claim documents", metadata: ["error": "\(error)"])
                }
            }
            condition.lock()
            let queued = Set(queue.map(\.task.id))
            for task in claimed where !inFlight.contains(task.id) && !queued.contains(task.id) {
                let slot = slot(task)
                queue.append((task, slot.host, slot.limit))
            }
            if claimed.isEmpty && queue.isEmpty && inFlight.isEmpty { idle = true }
            condition.broadcast()
            if claimed.isEmpty || room == 0 { _ = condition.wait(until: Date().addingTimeInterval(idlePoll)) }
            condition.unlock()
        }
    }

    // MARK: Fetching

    /// The pool a document's requests count against, and its size.
    private func slot(_ task: DocumentTask) -> (host: String, limit: Int) {
        if IPFSPath.isIPFS(task.uri) { return ("ipfs gateways", max(1, policy.perHostConcurrency * max(1, policy.gateways.count))) }
        if let url = try? FetchURL(task.uri) { return (url.host, max(1, policy.perHostConcurrency)) }
        return ("", max(1, policy.concurrency))   // data: and unusable URIs: no network
    }

    private func workLoop() {
        condition.lock()
        while !stopping {
            guard let index = queue.firstIndex(where: { busyHosts[$0.host, default: 0] < $0.limit }) else {
                _ = condition.wait(until: Date().addingTimeInterval(idlePoll))
                continue
            }
            let (task, host, _) = queue.remove(at: index)
            inFlight.insert(task.id)
            busyHosts[host, default: 0] += 1
            idle = false
            condition.unlock()

            let started = ContinuousClock.now
            let result = reader.read(task, now: clock())
            let elapsed = ContinuousClock.now - started
            if !stoppingFlag.isSet || !Self.stoppedMidway(result) {
                do { try store.applyDocumentResult(result) } catch {
                    logger.error("could not store a document result", metadata: ["uri": "\(task.uri.prefix(200))", "error": "\(error)"])
                }
                DocumentFetcherMetrics.attempt(result, kind: task.kind,
                                               seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                logger.debug("document", metadata: ["uri": "\(task.uri.prefix(200))", "kind": "\(task.kind.rawValue)", "outcome": "\(result.outcome)"])
            }

            condition.lock()
            inFlight.remove(task.id)
            busyHosts[host, default: 1] -= 1
            fetched += 1
            condition.broadcast()
        }
        condition.unlock()
    }

    /// An attempt cut short by ``stop()`` says nothing about the document: it is not recorded,
    /// and its lease brings it back.
    private static func stoppedMidway(_ result: DocumentResult) -> Bool {
        if case .failure(.failed, let reason) = result.outcome { return reason.hasPrefix("stopped while fetching") }
        return false
    }
}
