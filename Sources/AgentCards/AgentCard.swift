import EthereumCore

/// An A2A AgentCard as agents publish it on-chain, with x402 payment terms.
///
/// Strings are kept exactly as published (for display); ``SearchText`` derives the normalised
/// form used for search.
///
/// ```swift
/// let card = try AgentCard(abiEncoded: eventData)   // the bytes of AgentCardUpdated.card
/// card.skills.map(\.id)                             // ["translate-legal"]
/// ```
public struct AgentCard: Hashable, Sendable {
    public var name: String
    public var description: String
    public var url: String
    public var version: String
    public var protocolVersion: String
    public var provider: Provider?
    public var iconUrl: String?
    public var documentationUrl: String?
    public var capabilities: Capabilities
    public var defaultInputModes: [String]
    public var defaultOutputModes: [String]
    public var skills: [Skill]
    public var extensions: [Extension]
    public var payments: [PaymentTerms]
    /// The binding of `url` (`JSONRPC`, `GRPC`, `HTTP+JSON`, …) when an off-chain card names one
    /// (v1.0 `protocolBinding`, v0.3 `preferredTransport`); nil means JSON-RPC.
    public var protocolBinding: String?

    public init(name: String, description: String, url: String, version: String, protocolVersion: String,
                provider: Provider?, iconUrl: String?, documentationUrl: String?, capabilities: Capabilities,
                defaultInputModes: [String], defaultOutputModes: [String], skills: [Skill], extensions: [Extension],
                payments: [PaymentTerms], protocolBinding: String? = nil) {
        self.name = name; self.description = description; self.url = url; self.version = version
        self.protocolVersion = protocolVersion; self.provider = provider; self.iconUrl = iconUrl
        self.documentationUrl = documentationUrl; self.capabilities = capabilities
        self.defaultInputModes = defaultInputModes; self.defaultOutputModes = defaultOutputModes
        self.skills = skills; self.extensions = extensions; self.payments = payments
        self.protocolBinding = protocolBinding
    }

    /// Who runs the agent. Absent when the card leaves both fields empty.
    public struct Provider: Hashable, Sendable {
        public var organization: String
        public var url: String
        public init(organization: String, url: String) { self.organization = organization; self.url = url }
    }

    /// Optional A2A protocol features the agent supports.
    public struct Capabilities: Hashable, Sendable {
        public var streaming: Bool
        public var pushNotifications: Bool
        public var stateTransitionHistory: Bool
        public init(streaming: Bool, pushNotifications: Bool, stateTransitionHistory: Bool) {
            self.streaming = streaming; self.pushNotifications = pushNotifications
            self.stateTransitionHistory = stateTransitionHistory
        }
    }

    /// One thing the agent can do.
    public struct Skill: Hashable, Sendable {
        public var id: String
        public var name: String
        public var description: String
        public var tags: [String]
        public var examples: [String]
        public var inputModes: [String]
        public var outputModes: [String]
        public init(id: String, name: String, description: String, tags: [String], examples: [String],
                    inputModes: [String], outputModes: [String]) {
            self.id = id; self.name = name; self.description = description; self.tags = tags
            self.examples = examples; self.inputModes = inputModes; self.outputModes = outputModes
        }
    }

    /// An A2A extension the agent supports; `params` is JSON text as published.
    public struct Extension: Hashable, Sendable {
        public var uri: String
        public var description: String
        public var required: Bool
        public var params: String
        public init(uri: String, description: String, required: Bool, params: String) {
            self.uri = uri; self.description = description; self.required = required; self.params = params
        }
    }
}

/// x402 payment terms: pay `amount` (atomic units) of `asset` on `network` to `payTo`.
/// `asset` is the zero address for the network's native coin.
public struct PaymentTerms: Hashable, Sendable {
    public var scheme: String
    public var network: String
    public var asset: EthereumAddress
    public var amount: UInt256
    public var payTo: EthereumAddress

    public init(scheme: String, network: String, asset: EthereumAddress, amount: UInt256, payTo: EthereumAddress) {
        self.scheme = scheme
        self.network = network
        self.asset = asset
        self.amount = amount
        self.payTo = payTo
    }

    /// Whether the terms ask for the native coin rather than a token.
    public var isNative: Bool { asset == .zero }
}
