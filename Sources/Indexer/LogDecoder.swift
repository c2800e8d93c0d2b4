import AgentCards
import ChainRPC
import EthereumCore
import Store

/// Turns logs into ``ChainEvent``s. Pure: no I/O, so every hostile shape is testable offline.
///
/// A log that does not decode is dropped with a reason (``Skipped``), except an
/// `AgentCardUpdated` whose card does not decode: that becomes an invalid card version, so the
/// agent is recorded with the reason instead of keeping a stale card.
public struct LogDecoder: Sendable {
    /// A log that carried nothing usable, and why.
    public struct Skipped: Error, Sendable, Hashable {
        public var log: Log
        public var reason: String
    }

    let limits: CardLimits
    private let sourceEventsByTopic: [TopicWord: ABIEvent]
    private let agentEventsByTopic: [TopicWord: ABIEvent]

    public init(limits: CardLimits = .default) {
        self.limits = limits
        sourceEventsByTopic = Dictionary(uniqueKeysWithValues: ContractEvents.sourceEvents.map { ($0.topic0Word, $0) })
        agentEventsByTopic = Dictionary(uniqueKeysWithValues: ContractEvents.agentEvents.map { ($0.topic0Word, $0) })
    }

    /// Decodes a log emitted by a factory or registry of kind `kind`.
    public func sourceEvent(_ log: Log, kind: SourceKind) -> Result<ChainEvent, Skipped> {
        guard let topic = log.topics.first, let event = sourceEventsByTopic[topic] else {
            return .failure(Skipped(log: log, reason: "not a factory or registry event"))
        }
        let isFactoryEvent = event.name == ContractEvents.agentCreated.name
        guard isFactoryEvent == (kind == .factory) else {
            return .failure(Skipped(log: log, reason: "\(event.name) emitted by a \(kind.rawValue)"))
        }
        let decoded: DecodedEvent
        do { decoded = try event.decodeLog(topics: log.topics, data: log.data) } catch {
            return .failure(Skipped(log: log, reason: "\(event.name) does not decode: \(error)"))
        }
        guard let agent = decoded["agent"]?.addressValue else {
            return .failure(Skipped(log: log, reason: "\(event.name) has no agent address"))
        }
        let source = log.address
        let payload: ChainEvent.Payload
        switch event.name {
        case "AgentCreated": payload = .created(factory: source, owner: decoded["owner"]?.addressValue ?? .zero)
        case "AgentRegistered": payload = .registered(registry: source, owner: decoded["owner"]?.addressValue ?? .zero)
        case "AgentUnregistered": payload = .unregistered(registry: source)
        case "AgentApproved": payload = .approved(registry: source)
        default: payload = .revoked(registry: source)
        }
        return .success(ChainEvent(provenance: log.provenance, emitter: source, agent: agent, payload: payload))
    }

    /// Decodes a log emitted by an agent contract about itself.
    public func agentEvent(_ log: Log) -> Result<ChainEvent, Skipped> {
        guard let topic = log.topics.first, let event = agentEventsByTopic[topic] else {
            return .failure(Skipped(log: log, reason: "not an agent event"))
        }
        let decoded: DecodedEvent
        do {
            decoded = try event.decodeLog(topics: log.topics, data: log.data)
        } catch {
            if event.name == ContractEvents.agentCardUpdated.name {
                let version = CardVersion(origin: .log, raw: [], outcome: .failure(CardRejection("the AgentCardUpdated log does not decode: \(error)")))
                return .success(ChainEvent(provenance: log.provenance, emitter: log.address, agent: log.address,
                                           payload: .card(version, owner: nil)))
            }
            return .failure(Skipped(log: log, reason: "\(event.name) does not decode: \(error)"))
        }
        let payload: ChainEvent.Payload
        switch event.name {
        case "AgentCardUpdated":
            let raw = decoded["card"]?.bytesValue ?? []
            payload = .card(decodeCard(raw, origin: .log), owner: decoded["owner"]?.addressValue)
        case "ActiveChanged":
            payload = .activeChanged(decoded["active"]?.boolValue ?? true)
        case "OwnershipTransferred":
            payload = .ownershipTransferred(newOwner: decoded["newOwner"]?.addressValue ?? .zero)
        case "PaymentReceived":
            guard let payer = decoded["payer"]?.addressValue, let asset = decoded["asset"]?.addressValue,
                  let amount = decoded["amount"]?.uintValue else {
                return .failure(Skipped(log: log, reason: "PaymentReceived lacks payer, asset or amount"))
            }
            payload = .paymentReceived(payer: payer, asset: asset, amount: amount)
        case "Rated":
            guard let rater = decoded["rater"]?.addressValue, let score = decoded["score"]?.uintValue?.uint64Value,
                  (1...5).contains(score) else {
                return .failure(Skipped(log: log, reason: "Rated lacks a rater or a score from 1 to 5"))
            }
            let comment = decoded["comment"]?.stringValue ?? ""
            payload = .rated(rater: rater, score: UInt8(score), comment: String(comment.prefix(280)))
        default:
            let timestamp = decoded["timestamp"]?.uintValue?.uint64Value ?? UInt64.max
            payload = .heartbeat(timestamp: timestamp)
        }
        return .success(ChainEvent(provenance: log.provenance, emitter: log.address, agent: log.address, payload: payload))
    }

    /// Decodes a token's `Transfer` log; `authorized` is decided later, from the transaction's
    /// `AuthorizationUsed` logs.
    public func tokenTransfer(_ log: Log) -> Result<TokenTransfer, Skipped> {
        guard log.topics.first == ContractEvents.transfer.topic0Word,
              let decoded = try? ContractEvents.transfer.decodeLog(topics: log.topics, data: log.data),
              let from = decoded["sender"]?.addressValue, let to = decoded["receiver"]?.addressValue,
              let value = decoded["value"]?.uintValue else {
            return .failure(Skipped(log: log, reason: "not an ERC-20 Transfer(address,address,uint256)"))
        }
        return .success(TokenTransfer(provenance: log.provenance, token: log.address, from: from, to: to, value: value,
                                      authorized: false))
    }

    /// The authorizer of an EIP-3009 `AuthorizationUsed` log, or nil when the log is not one.
    public func authorizer(_ log: Log) -> EthereumAddress? {
        guard log.topics.first == ContractEvents.authorizationUsed.topic0Word,
              let decoded = try? ContractEvents.authorizationUsed.decodeLog(topics: log.topics, data: log.data) else { return nil }
        return decoded["authorizer"]?.addressValue
    }

    /// Decodes card bytes (a log's `card`, or `getAgentCard()`'s return data) under the limits.
    public func decodeCard(_ raw: [UInt8], origin: CardOrigin) -> CardVersion {
        do {
            return CardVersion(origin: origin, raw: raw, outcome: .success(try AgentCard(abiEncoded: raw, limits: limits)))
        } catch {
            return CardVersion(origin: origin, raw: raw, outcome: .failure(CardRejection(error.description)))
        }
    }
}

extension Log {
    /// The log's position and hashes, as the store records them.
    var provenance: Provenance {
        Provenance(blockNumber: blockNumber, blockWord: blockWord, transactionWord: transactionWord, logIndex: logIndex)
    }
}
