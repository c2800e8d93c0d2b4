import AgentCards
import EthereumCore

/// The short form of an agent that search results list, rendered once when the agent's state
/// changes and stored, so a search only reads it. Contract agents and ERC-8004 agents share one
/// shape; fields that do not apply are null.
///
/// ```json
/// {"id":"eip155:31337:0x…","standard":"agent-contract","chainId":31337,"name":"LexTranslate","description":"…",
///  "url":"…","version":"1.0.0","skills":[{"id":"translate-legal","name":"Legal translation","tags":["translation"]}],
///  "inputModes":["application/pdf"],"outputModes":["application/pdf"],
///  "payments":[{"scheme":"exact","network":"base","asset":"0x…","amount":"2500000","payTo":"0x…"}],
///  "services":[{"name":"A2A","endpoint":"…","version":"0.3.0"}],"x402Support":true,
///  "sources":[{"kind":"factory","address":"0x…","status":"created"}],"owner":"0x…","active":true,
///  "registry":null,"tokenId":null,"agentWallet":null,"agentURI":null,"documentStatus":null,"registrationMismatch":false}
/// ```
enum AgentSummary {
    /// A contract agent's summary, from its current card.
    static func json(id: AgentID, card: AgentCard, owner: String?, active: Bool, sources: [SourceMembership]) -> String {
        let skills: [JSONValue] = card.skills.map {
            .object([("id", .string($0.id)), ("name", .string($0.name)), ("tags", .array($0.tags.map(JSONValue.string)))])
        }
        var service: [(String, JSONValue)] = [("name", .string("A2A")), ("endpoint", .string(card.url))]
        if !card.protocolVersion.isEmpty { service.append(("version", .string(card.protocolVersion))) }
        return JSONValue.object(identity(id, standard: "agent-contract") + [
            ("name", .string(card.name)),
            ("description", .string(card.description)),
            ("url", .string(card.url)),
            ("version", .string(card.version)),
            ("skills", .array(skills)),
            ("inputModes", .array(card.defaultInputModes.map(JSONValue.string))),
            ("outputModes", .array(card.defaultOutputModes.map(JSONValue.string))),
            ("payments", .array(card.payments.map(\.json))),
            ("services", .array([.object(service)])),
            ("x402Support", .bool(!card.payments.isEmpty)),
        ] + standing(owner: owner, active: active, sources: sources) + [
            ("registry", .null), ("tokenId", .null), ("agentWallet", .null), ("agentURI", .null),
            ("documentStatus", .null), ("registrationMismatch", .bool(false)), ("cardSignature", .null),
            ("domainVerified", .bool(false)),
        ]).serialized()
    }

    /// An ERC-8004 agent's summary: its registration file when known (name null until then),
    /// with what its A2A card adds (url, version, skills with tags, modes, x402 terms).
    static func json(id: AgentID, token: TokenAgent, file: RegistrationFile?, card: AgentCard?, status: RegistrationDocument.Status,
                     uri: String?, wallet: String?, mismatch: Bool, owner: String?, active: Bool, sources: [SourceMembership],
                     cardSignature: String?, domainVerified: Bool) -> String {
        var skills: [JSONValue] = (file?.oasfSkills ?? []).map {
            .object([("id", .string($0)), ("name", .string($0)), ("tags", .array([]))])
        }
        skills += (card?.skills ?? []).map {
            .object([("id", .string($0.id)), ("name", .string($0.name)), ("tags", .array($0.tags.map(JSONValue.string)))])
        }
        return JSONValue.object(identity(id, standard: "erc8004") + [
            ("name", file.map { .string($0.name) } ?? .null),
            ("description", file.map { .string($0.description) } ?? .null),
            ("url", card.map { .string($0.url) } ?? .null),
            ("version", card.map { .string($0.version) } ?? .null),
            ("skills", .array(skills)),
            ("inputModes", .array((card?.defaultInputModes ?? []).map(JSONValue.string))),
            ("outputModes", .array((card?.defaultOutputModes ?? []).map(JSONValue.string))),
            ("payments", .array((card?.payments ?? []).map(\.json))),
            ("services", .array(file?.services.map(\.json) ?? [])),
            ("x402Support", .bool((file?.x402Support ?? false) || !(card?.payments.isEmpty ?? true))),
        ] + standing(owner: owner, active: active, sources: sources) + [
            ("registry", .string(token.registry.checksummed)),
            ("tokenId", .string(token.tokenID.description)),
            ("agentWallet", wallet.map { .string(AgentRecordSQL.checksummed($0)) } ?? .null),
            ("agentURI", uri.map { .string(shortURI($0)) } ?? .null),
            ("documentStatus", .string(status.rawValue)),
            ("registrationMismatch", .bool(mismatch)),
            ("cardSignature", cardSignature.map(JSONValue.string) ?? .null),
            ("domainVerified", .bool(domainVerified)),
        ]).serialized()
    }

    /// A `data:` URI is shown by its header alone in summaries (its payload is the file, in full in
    /// the agent's record); any other URI as it is.
    static func shortURI(_ uri: String) -> String {
        guard DataURI.isDataURI(uri), let comma = uri.firstIndex(of: ",") else { return uri }
        return String(uri[...comma]) + "…"
    }

    private static func identity(_ id: AgentID, standard: String) -> [(String, JSONValue)] {
        [("id", .string(id.description)), ("standard", .string(standard)), ("chainId", .number(String(id.chainID)))]
    }

    private static func standing(owner: String?, active: Bool, sources: [SourceMembership]) -> [(String, JSONValue)] {
        [("sources", .array(sources.map(\.summaryJSON))),
         ("owner", owner.map { .string(AgentRecordSQL.checksummed($0)) } ?? .null),
         ("active", .bool(active))]
    }
}

extension SourceMembership {
    var summaryJSON: JSONValue {
        .object([
            ("kind", .string(kind.rawValue)),
            ("address", .string(AgentRecordSQL.checksummed(source))),
            ("status", .string(status.rawValue)),
        ])
    }
}

extension RegistrationFile.Service {
    /// `{"name","endpoint","version"?}` plus OASF `skills` and `domains` when listed.
    var json: JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(name)), ("endpoint", .string(endpoint))]
        if let version { members.append(("version", .string(version))) }
        if !skills.isEmpty { members.append(("skills", .array(skills.map(JSONValue.string)))) }
        if !domains.isEmpty { members.append(("domains", .array(domains.map(JSONValue.string)))) }
        return .object(members)
    }
}
