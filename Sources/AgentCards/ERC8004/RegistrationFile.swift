import EthereumCore

/// An ERC-8004 agent registration file: what an agent's `agentURI` points at.
///
/// The spec's shape (`type` `https://eips.ethereum.org/EIPS/eip-8004#registration-v1`), read
/// strictly but tolerantly by ``init(json:limits:)``: every limit holds and every known field has
/// its type, while unknown fields are ignored, legacy `endpoints` stand in for `services`, and an
/// `agentId` may be a number or a string.
///
/// ```swift
/// let file = try RegistrationFile(json: Array(text.utf8))
/// file.services.map(\.name)            // ["A2A", "MCP", "OASF"]
/// file.lists(agentID: 7, registry: "eip155:1:0x8004A169FB4a3325136EB29fA0ceB6D2e539a432")
/// ```
public struct RegistrationFile: Hashable, Sendable {
    /// The `type` URL, as published (nil when absent).
    public var type: String?
    public var name: String
    public var description: String
    public var image: String?
    /// `services`, or the legacy `endpoints` when a file has no `services`.
    public var services: [Service]
    public var x402Support: Bool
    /// `false` delists the agent from default results; absent means `true`.
    public var active: Bool
    /// Where the file says the agent is registered.
    public var registrations: [Registration]
    /// Trust models the agent supports (`reputation`, `crypto-economic`, `tee-attestation`, …).
    public var supportedTrust: [String]

    public init(type: String? = nil, name: String, description: String = "", image: String? = nil, services: [Service] = [],
                x402Support: Bool = false, active: Bool = true, registrations: [Registration] = [], supportedTrust: [String] = []) {
        self.type = type; self.name = name; self.description = description; self.image = image; self.services = services
        self.x402Support = x402Support; self.active = active; self.registrations = registrations
        self.supportedTrust = supportedTrust
    }

    /// One way to reach the agent: `A2A`, `MCP`, `OASF`, `ENS`, `DID`, `web`, `email`, `wallet` or
    /// any other name (kept as published).
    public struct Service: Hashable, Sendable {
        public var name: String
        /// The endpoint as published (a URL, an ENS name, a DID, an e-mail address…); empty when absent.
        public var endpoint: String
        public var version: String?
        /// OASF skills (`natural_language_processing/summarization`), when the service lists them.
        public var skills: [String]
        /// OASF domains, when the service lists them.
        public var domains: [String]

        public init(name: String, endpoint: String, version: String? = nil, skills: [String] = [], domains: [String] = []) {
            self.name = name; self.endpoint = endpoint; self.version = version; self.skills = skills; self.domains = domains
        }
    }

    /// An entry of `registrations`: `{"agentId": 22, "agentRegistry": "eip155:1:0x…"}`.
    public struct Registration: Hashable, Sendable {
        /// The agent id as published: decimal digits when it is an integer, else the text given.
        public var agentID: String
        /// `<namespace>:<chainId>:<identityRegistry>`.
        public var agentRegistry: String

        public init(agentID: String, agentRegistry: String) {
            self.agentID = agentID
            self.agentRegistry = agentRegistry
        }
    }

    /// The OASF skills of every service, each once, in the order first listed.
    public var oasfSkills: [String] {
        var seen = Set<String>()
        return services.flatMap(\.skills).filter { seen.insert($0).inserted }
    }

    /// Whether `registrations` names this agent: `agentID` in the registry `registry`
    /// (`eip155:<chainId>:<address>`), the registry compared without regard to case.
    public func lists(agentID: UInt256, registry: String) -> Bool {
        registrations.contains { entry in
            entry.agentRegistry.lowercased() == registry.lowercased() && UInt256(decimal: entry.agentID) == agentID
        }
    }

    /// True when the file lists registrations and none of them is this agent: a file copied from
    /// another agent, a common spam pattern. An empty list is normal (SDKs write the file before
    /// the id exists).
    public func isMismatched(agentID: UInt256, registry: String) -> Bool {
        !registrations.isEmpty && !lists(agentID: agentID, registry: registry)
    }
}
