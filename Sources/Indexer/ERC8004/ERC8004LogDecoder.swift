import AgentCards
import ChainRPC
import EthereumCore
import Store

/// Turns logs of the ERC-8004 registries into ``ERC8004Event``s. Pure: no I/O.
///
/// Strings are read as bytes: a log whose tag or URI is not valid UTF-8 is still an event (the
/// agent URI becomes an invalid registration version saying so; other text is kept with
/// replacement characters), never a lost one. An `agentURI` that is a `data:` URI is decoded and
/// parsed here, on the thread that reads the range.
public struct ERC8004LogDecoder: Sendable {
    let limits: RegistrationLimits
    private let byTopic: [TopicWord: (event: ABIEvent, reader: ABIEvent)]

    public init(limits: RegistrationLimits = .default) {
        self.limits = limits
        var byTopic: [TopicWord: (event: ABIEvent, reader: ABIEvent)] = [:]
        for event in ERC8004Events.all {
            // The same layout with `string` read as `bytes`, anonymous: topic0 is checked here.
            let inputs = event.inputs.map { ABIParameter(name: $0.name, type: $0.type == .string ? .bytes : $0.type, indexed: $0.indexed) }
            byTopic[event.topic0Word] = (event, ABIEvent(name: event.name, inputs: inputs, anonymous: true))
        }
        self.byTopic = byTopic
    }

    /// Decodes a log emitted by the registry `registry` (of kind `kind`); agents of Reputation and
    /// Validation events are tokens of `identity`.
    public func event(_ log: Log, registry kind: ERC8004Registry.Kind, identity: EthereumAddress) -> Result<ERC8004Event, LogDecoder.Skipped> {
        func skip(_ reason: String) -> Result<ERC8004Event, LogDecoder.Skipped> { .failure(LogDecoder.Skipped(log: log, reason: reason)) }
        guard let topic = log.topics.first, let (event, reader) = byTopic[topic] else { return skip("not an ERC-8004 event") }
        let expected = switch kind {
        case .identity: ERC8004Events.identity
        case .reputation: ERC8004Events.reputation
        case .validation: ERC8004Events.validation
        }
        guard expected.contains(event) else { return skip("\(event.name) emitted by the \(kind.rawValue) registry") }
        let decoded: DecodedEvent
        do { decoded = try reader.decodeLog(topics: Array(log.topics.dropFirst()), data: log.data) } catch {
            return skip("\(event.name) does not decode: \(error)")
        }
        func address(_ name: String) -> EthereumAddress? { decoded[name]?.addressValue }
        func uint(_ name: String) -> UInt256? { decoded[name]?.uintValue }
        func bytes(_ name: String) -> [UInt8] { decoded[name]?.bytesValue ?? [] }
        func text(_ name: String) -> String { String(decoding: bytes(name), as: UTF8.self) }
        func index(_ name: String) -> UInt64 { uint(name)?.uint64Value ?? 0 }

        let payload: ERC8004Event.Payload
        var tokenID = uint("agentId") ?? uint("tokenId") ?? .zero   // the refresh events set theirs below
        switch event.name {
        case "Transfer":
            guard let from = address("from"), let to = address("to") else { return skip("Transfer lacks its addresses") }
            payload = .transferred(from: from, to: to)
        case "Registered":
            payload = .registered(RegistrationVersion(RegistrationDocument(agentURI: bytes("agentURI"), limits: limits)),
                                  owner: address("owner") ?? .zero)
        case "URIUpdated":
            payload = .uriUpdated(RegistrationVersion(RegistrationDocument(agentURI: bytes("newURI"), limits: limits)),
                                  updatedBy: address("updatedBy") ?? .zero)
        case "MetadataSet":
            payload = .metadataSet(key: text("metadataKey"), value: bytes("metadataValue"))
        case "MetadataUpdate":
            tokenID = uint("_tokenId") ?? .zero
            payload = .documentRefresh(lastTokenID: tokenID)
        case "BatchMetadataUpdate":
            tokenID = uint("_fromTokenId") ?? .zero
            payload = .documentRefresh(lastTokenID: uint("_toTokenId") ?? .zero)
        case "NewFeedback":
            guard let client = address("clientAddress"), case .int(let value)? = decoded["value"],
                  let decimals = uint("valueDecimals")?.uint64Value else { return skip("NewFeedback lacks its client or value") }
            payload = .feedback(Feedback(client: client, index: index("feedbackIndex"), value: value, decimals: UInt8(clamping: decimals),
                                         tag1: text("tag1"), tag2: text("tag2"), endpoint: text("endpoint"), uri: text("feedbackURI"),
                                         hash: bytes("feedbackHash")))
        case "FeedbackRevoked":
            guard let client = address("clientAddress") else { return skip("FeedbackRevoked lacks its client") }
            payload = .feedbackRevoked(client: client, index: index("feedbackIndex"))
        case "ResponseAppended":
            guard let client = address("clientAddress"), let responder = address("responder") else {
                return skip("ResponseAppended lacks its client or responder")
            }
            payload = .responseAppended(client: client, index: index("feedbackIndex"), responder: responder,
                                        uri: text("responseURI"), hash: bytes("responseHash"))
        case "ValidationRequest":
            guard let validator = address("validatorAddress") else { return skip("ValidationRequest lacks its validator") }
            payload = .validationRequest(validator: validator, uri: text("requestURI"), hash: bytes("requestHash"))
        default:
            guard let validator = address("validatorAddress"), let response = uint("response")?.uint64Value else {
                return skip("ValidationResponse lacks its validator or response")
            }
            payload = .validationResponse(validator: validator, requestHash: bytes("requestHash"), response: UInt8(clamping: response),
                                          uri: text("responseURI"), hash: bytes("responseHash"), tag: text("tag"))
        }
        let registry = kind == .identity ? log.address : identity
        return .success(ERC8004Event(provenance: log.provenance, emitter: log.address,
                                     agent: TokenAgent(registry: registry, tokenID: tokenID), payload: payload))
    }
}
