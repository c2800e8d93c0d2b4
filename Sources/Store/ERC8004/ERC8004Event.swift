import AgentCards
import EthereumCore

/// A decoded event of an ERC-8004 registry (Identity, Reputation or Validation) about one agent,
/// in the shape the store keeps. The follower turns the registries' logs into these; the store
/// persists them with their provenance and derives the agent's state from them.
///
/// Reputation and Validation events name the agent by its id in the Identity Registry they are
/// bound to, so ``agent`` is always an identity token; ``emitter`` is the registry that logged it.
public struct ERC8004Event: Sendable, Hashable {
    public enum Payload: Sendable, Hashable {
        // Identity Registry
        /// ERC-721 `Transfer`: a mint (`from` zero), an owner change, a burn (`to` zero).
        case transferred(from: EthereumAddress, to: EthereumAddress)
        /// `Registered(agentId, agentURI, owner)`.
        case registered(RegistrationVersion, owner: EthereumAddress)
        /// `URIUpdated(agentId, newURI, updatedBy)`.
        case uriUpdated(RegistrationVersion, updatedBy: EthereumAddress)
        /// `MetadataSet(agentId, key, key, value)` with the plain key from the data.
        case metadataSet(key: String, value: [UInt8])
        /// ERC-4906 `MetadataUpdate(agent)` or `BatchMetadataUpdate(agent…lastTokenID)`: the
        /// document of these agents should be fetched again.
        case documentRefresh(lastTokenID: UInt256)
        // Reputation Registry
        case feedback(Feedback)
        /// `FeedbackRevoked(agentId, client, index)`.
        case feedbackRevoked(client: EthereumAddress, index: UInt64)
        /// `ResponseAppended(agentId, client, index, responder, responseURI, responseHash)`.
        case responseAppended(client: EthereumAddress, index: UInt64, responder: EthereumAddress, uri: String, hash: [UInt8])
        // Validation Registry
        /// `ValidationRequest(validator, agentId, requestURI, requestHash)`.
        case validationRequest(validator: EthereumAddress, uri: String, hash: [UInt8])
        /// `ValidationResponse(validator, agentId, requestHash, response, responseURI, responseHash, tag)`.
        case validationResponse(validator: EthereumAddress, requestHash: [UInt8], response: UInt8, uri: String,
                                hash: [UInt8], tag: String)
    }

    public var provenance: Provenance
    /// The registry that emitted the log.
    public var emitter: EthereumAddress
    public var agent: TokenAgent
    public var payload: Payload

    public init(provenance: Provenance, emitter: EthereumAddress, agent: TokenAgent, payload: Payload) {
        self.provenance = provenance
        self.emitter = emitter
        self.agent = agent
        self.payload = payload
    }

    /// The wallet this event sets (`MetadataSet` of the reserved key `agentWallet` with 20
    /// bytes); nil for any other event, and for a cleared wallet.
    public var walletSet: EthereumAddress? {
        guard case .metadataSet(let key, let value) = payload, key == ERC8004Event.walletKey else { return nil }
        return try? EthereumAddress(bytes: value)
    }

    /// The registration file version a `Registered` or `URIUpdated` carries.
    public var registrationVersion: RegistrationVersion? {
        switch payload {
        case .registered(let version, _), .uriUpdated(let version, _): version
        default: nil
        }
    }

    /// The metadata key the registry reserves for the agent's wallet.
    public static let walletKey = "agentWallet"
}

/// `NewFeedback`: a client's feedback on an agent.
public struct Feedback: Sendable, Hashable {
    public var client: EthereumAddress
    /// Counts from 1 per (agent, client).
    public var index: UInt64
    /// The `int128` value; the number meant is `value / 10^decimals`.
    public var value: Int256
    public var decimals: UInt8
    public var tag1: String
    public var tag2: String
    public var endpoint: String
    public var uri: String
    /// `feedbackHash` (32 bytes; all zero when none was given).
    public var hash: [UInt8]

    public init(client: EthereumAddress, index: UInt64, value: Int256, decimals: UInt8, tag1: String, tag2: String,
                endpoint: String, uri: String, hash: [UInt8]) {
        self.client = client; self.index = index; self.value = value; self.decimals = decimals; self.tag1 = tag1
        self.tag2 = tag2; self.endpoint = endpoint; self.uri = uri; self.hash = hash
    }
}

/// One version of an ERC-8004 agent's registration file, as its `agentURI` gave it: the document
/// (decoded on the spot for `data:` URIs) and, for a valid file, the rows it is searched by.
public struct RegistrationVersion: Sendable, Hashable {
    public let document: RegistrationDocument
    /// Computed with the file, on the thread that reads the range (``CardRows``).
    public let rows: CardRows?

    public init(_ document: RegistrationDocument) {
        self.document = document
        self.rows = document.file.map { CardRows(registration: $0) }
    }
}
