import EthereumCore
import Store

/// The events of one block range as the follower assembles them, and the agents it knows
/// once the range is in. Kept apart from the follower's state until the range commits.
struct RangePlan {
    /// Known agents → the first block whose logs about them count.
    private(set) var known: [EthereumAddress: UInt64]
    /// The agents this range revealed (in ``known`` too): what the range adds to the follower's.
    private(set) var added: [EthereumAddress: UInt64] = [:]
    /// Registrations of agents no known factory made: their card is read with `eth_call`.
    private(set) var needsCard: [ChainEvent] = []
    private var events: [(key: SortKey, event: ChainEvent)] = []

    private struct SortKey: Comparable {
        var block: UInt64
        var logIndex: UInt64
        /// 0 for a log; 1 for a card read right after the registration log it belongs to.
        var order: Int
        static func < (a: SortKey, b: SortKey) -> Bool { (a.block, a.logIndex, a.order) < (b.block, b.logIndex, b.order) }
    }

    init(known: [EthereumAddress: UInt64]) {
        self.known = known
    }

    /// A factory or registry event: may reveal an agent. Source events must be added in chain order.
    mutating func add(sourceEvent event: ChainEvent) {
        append(event, order: 0)
        guard known[event.agent] == nil else { return }
        switch event.payload {
        case .created:
            // The constructor's logs precede AgentCreated in the same transaction: count from the block.
            known[event.agent] = event.provenance.blockNumber
            added[event.agent] = event.provenance.blockNumber
        case .registered:
            // State at the end of the registration block comes from eth_call; logs count after it.
            known[event.agent] = event.provenance.blockNumber + 1
            added[event.agent] = event.provenance.blockNumber + 1
            needsCard.append(event)
        default:
            break
        }
    }

    /// Hands the known agents over, leaving none here (the reader keeps one running copy).
    mutating func takeKnown() -> [EthereumAddress: UInt64] {
        defer { known = [:] }
        return known
    }

    mutating func add(agentEvent event: ChainEvent) { append(event, order: 0) }

    mutating func add(cardRead event: ChainEvent) { append(event, order: 1) }

    private mutating func append(_ event: ChainEvent, order: Int) {
        events.append((SortKey(block: event.provenance.blockNumber, logIndex: event.provenance.logIndex, order: order), event))
    }

    /// All events in chain order, handed over: sorted in place and then forgotten here, so a
    /// range's events are not held twice while its transfers are read.
    mutating func takeOrderedEvents() -> [ChainEvent] {
        events.sort { $0.key < $1.key }
        defer { events = [] }
        return events.map(\.event)
    }
}
