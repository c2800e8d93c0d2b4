import EthereumCore

/// AgentIndex's own A2A card (`/.well-known/agent-card.json`): a v1.0 card with the v0.3 fields
/// added (dual), two skills, and the address that signs its answers.
///
/// ```swift
/// IndexAgentCard.json(baseURL: "http://127.0.0.1:8080", signer: signer.address, version: "0.9.0")
/// ```
public enum IndexAgentCard {
    /// The extension that names the key signing every answer (see the README, Signed answers).
    public static let signedAnswersExtension = "urn:agentindex:signed-answers:v1"
    /// The path of the JSON-RPC endpoint, relative to the API's base URL.
    public static let endpointPath = "/a2a"

    public static func json(baseURL: String, signer: EthereumAddress?, version: String) -> JSONValue {
        let endpoint = baseURL + endpointPath
        let strings = { (list: [String]) in JSONValue.array(list.map(JSONValue.string)) }
        var extensions: [JSONValue] = []
        if let signer {
            extensions.append(.object([
                ("uri", .string(signedAnswersExtension)),
                ("description", .string("Every 200 JSON answer of the REST API carries AgentIndex-Block and an EIP-191 AgentIndex-Signature by this address.")),
                ("required", .bool(false)),
                ("params", .object([("address", .string(signer.checksummed)), ("scheme", .string("eip191"))])),
            ]))
        }
        var capabilities: [(String, JSONValue)] = [("streaming", .bool(false)), ("pushNotifications", .bool(false))]
        if !extensions.isEmpty { capabilities.append(("extensions", .array(extensions))) }
        capabilities.append(("stateTransitionHistory", .bool(false)))   // the v0.3 field of the dual card
        return .object([
            ("name", .string("AgentIndex")),
            ("description", .string("Finds AI agents published on Ethereum (agent contracts, registries, ERC-8004) by what they can do, with a reputation derived from the payments they really received.")),
            ("supportedInterfaces", .array([
                .object([("url", .string(endpoint)), ("protocolBinding", .string("JSONRPC")), ("protocolVersion", .string("1.0"))]),
                .object([("url", .string(endpoint)), ("protocolBinding", .string("JSONRPC")), ("protocolVersion", .string("0.3"))]),
            ])),
            ("version", .string(version)),
            ("capabilities", .object(capabilities)),
            ("defaultInputModes", strings(["text/plain", "application/json"])),
            ("defaultOutputModes", strings(["application/json", "text/plain"])),
            ("skills", .array([
                .object([
                    ("id", .string("find-agents")),
                    ("name", .string("Find agents")),
                    ("description", .string("A text query (or a data part with the /v1/agents filters: q, skill, tag, inputMode, asset, network, chainId, minScore, sort, limit, …) → the matching agents with their reputation score.")),
                    ("tags", strings(["discovery", "search", "agents", "reputation"])),
                    ("examples", strings(["legal translation german", #"{"skill":"text-to-sql","sort":"score","limit":5}"#])),
                    ("inputModes", strings(["text/plain", "application/json"])),
                    ("outputModes", strings(["application/json", "text/plain"])),
                ]),
                .object([
                    ("id", .string("agent-reputation")),
                    ("name", .string("Agent reputation")),
                    ("description", .string("A data part {\"agentId\": …} (optionally \"atBlock\") → the agent's payments-based reputation: metrics, score, components.")),
                    ("tags", strings(["reputation", "trust", "payments"])),
                    ("examples", strings([#"{"agentId":"eip155:8453/erc721:0x8004A169FB4a3325136EB29fA0ceB6D2e539a432/7"}"#])),
                    ("inputModes", strings(["application/json"])),
                    ("outputModes", strings(["application/json", "text/plain"])),
                ]),
            ])),
            // The v0.3 fields, for older clients.
            ("url", .string(endpoint)),
            ("protocolVersion", .string("0.3.0")),
            ("preferredTransport", .string("JSONRPC")),
        ])
    }
}
