import ChainRPC
import EthereumCore
import Store

/// One block range read from the node and decoded: everything its commit needs, nothing stored
/// yet. Reading touches no state of the follower (the reader keeps its own running copy of the
/// agents and payment watch; what the range adds to them comes out here), so the next range can
/// be read on another thread while earlier ones commit (``RangePipeline``).
struct RangeRead {
    let from: UInt64
    let to: UInt64
    let head: UInt64
    let nearHead: Bool
    let reachesTarget: Bool
    /// The range's events in chain order, card reads included.
    var events: [ChainEvent] = []
    /// The ERC-8004 registries' events in chain order.
    var erc8004Events: [ERC8004Event] = []
    var transfers: [TokenTransfer] = []
    var stamps: [BlockStamp] = []
    var links: [BlockLink] = []
    /// The agents this range revealed (→ the first block whose logs about them count) and what
    /// it adds to the payment watch: the follower adds them when the range commits. Only what is
    /// new is held, so reads waiting to commit do not each hold their own copy of every agent
    /// and payee (two sets of 100,000 at 100k agents).
    var newAgents: [EthereumAddress: UInt64] = [:]
    var watchAdded = PaymentWatch()
    /// The bloom bit cache, grown by the completeness check of a range near the head.
    var bloomBits: LogCompleteness.BitCache
    /// The streams' range sizes once this range is read (each stream's answers taught them).
    var sizers: StreamSizers
    /// The logs read ahead of this range, for the ranges after it; empty once a ``RangePipeline``
    /// has handed them to the read after it (the logs are held once).
    var ahead: StreamsAhead
    /// The rows the range gives the store: its events and transfers (what sizes a commit).
    var rows: Int { events.count + erc8004Events.count + transfers.count }
    /// Roughly the memory of the range's contract logs (``ContractLogs/bytes``): its decoded
    /// events (cards among them) take about as much (what, with ``rows``, sizes a commit).
    var bytes = 0
    var tally = RangeTally()
}

/// What reading one range counted; folded into ``ChainFollower/Statistics`` when it commits.
struct RangeTally {
    /// The most logs one `eth_getLogs` answer held (sizes the next range).
    var largestAnswer = 0
    /// Logs `eth_getLogs` returned, kept or discarded (a token transfer to no payee is read, then dropped).
    var logs = 0
    var headers = 0
    var skippedLogs = 0
    var cardCalls = 0
    var invalidCards = 0
    var laggingAnswers = 0

    /// Adds what another part of the range's read counted.
    mutating func add(_ other: RangeTally) {
        largestAnswer = max(largestAnswer, other.largestAnswer)
        logs += other.logs
        headers += other.headers
        skippedLogs += other.skippedLogs
        cardCalls += other.cardCalls
        invalidCards += other.invalidCards
        laggingAnswers += other.laggingAnswers
    }
}
