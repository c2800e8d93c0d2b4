import Synchronization

/// Remembers recent search pages until the next commit: a repeated query is answered from
/// memory, and any commit (a new range, a reorg, a score refresh) empties the cache, so an
/// answer is never older than the database.
///
/// ```swift
/// let cache = SearchCache(store: store, capacityBytes: 16 << 20)
/// let page = try cache.search(AgentQuery(text: "legal german"))   // SQLite
/// let again = try cache.search(AgentQuery(text: "legal german"))  // memory, until the next commit
/// ```
///
/// A page is stored under the version read *before* the query ran, so it holds at least that
/// version's data; the budget counts the summaries' bytes and evicts the oldest pages first.
public final class SearchCache: Sendable {
    public let store: AgentStore
    /// The most summary bytes held at once; 0 turns the cache off.
    public let capacityBytes: Int
    private let state: Mutex<State>

    private struct State {
        var version = -1
        var pages: [AgentQuery: AgentPage] = [:]
        var order: [AgentQuery] = []
        var oldest = 0
        var bytes = 0
        var hits = 0
        var misses = 0

        mutating func clear(version: Int) {
            self = State(hits: hits, misses: misses)
            self.version = version
        }
    }

    public init(store: AgentStore, capacityBytes: Int) {
        self.store = store
        self.capacityBytes = max(0, capacityBytes)
        state = Mutex(State())
    }

    /// Hits and misses since the cache was made.
    public var counts: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }

    /// ``AgentStore/search(_:)``, from memory when the same query ran since the last commit.
    public func search(_ query: AgentQuery) throws -> AgentPage {
        guard capacityBytes > 0 else { return try store.search(query) }
        let version = try store.dataVersion()
        let cached = state.withLock { state -> AgentPage? in
            if version > state.version { state.clear(version: version) }
            let page = version == state.version ? state.pages[query] : nil
            if page == nil { state.misses += 1 } else { state.hits += 1 }
            return page
        }
        if let cached { return cached }
        let page = try store.search(query)
        remember(page, for: query, version: version)
        return page
    }

    private func remember(_ page: AgentPage, for query: AgentQuery, version: Int) {
        let size = Self.size(page)
        guard size <= capacityBytes else { return }
        state.withLock { state in
            guard state.version == version, state.pages[query] == nil else { return }
            while state.bytes + size > capacityBytes, state.oldest < state.order.count {
                let evicted = state.order[state.oldest]
                state.oldest += 1
                state.bytes -= state.pages.removeValue(forKey: evicted).map(Self.size) ?? 0
            }
            if state.oldest > 1024, state.oldest * 2 > state.order.count {
                state.order.removeFirst(state.oldest)
                state.oldest = 0
            }
            state.pages[query] = page
            state.order.append(query)
            state.bytes += size
        }
    }

    /// A page's weight against the budget: its summaries plus a little per hit and per page.
    private static func size(_ page: AgentPage) -> Int {
        page.agents.reduce(64) { $0 + $1.summaryJSON.utf8.count + 32 }
    }
}
