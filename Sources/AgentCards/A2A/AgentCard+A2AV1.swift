import EthereumCore

/// The A2A card versions AgentIndex serves a card in.
///
/// ```swift
/// A2AVersion(query: "0.3")   // .v03
/// A2AVersion(query: nil)     // .v10 (the default)
/// ```
public enum A2AVersion: String, Sendable, CaseIterable {
    /// A2A v1.0: `supportedInterfaces`, no v0.3-only fields.
    case v10 = "1.0"
    /// A2A v0.3.0: top-level `url` and `protocolVersion`.
    case v03 = "0.3"
    /// The v1.0 card with the v0.3 fields added, as v1.0 servers publish for older clients.
    case dual

    /// The version a query value names (`1.0`, `1`, `0.3`, `0.3.0`, `dual`); nil when absent.
    public init?(query: String?) {
        switch query {
        case nil, "1.0", "1", "1.0.0": self = .v10
        case "0.3", "0.3.0": self = .v03
        case "dual": self = .dual
        default: return nil
        }
    }
}

/// Why a card cannot be served as an A2A v1.0 card: v1.0 requires what v0.3 left optional
/// (at least one skill, tags on every skill, non-empty modes, …).
public struct A2AV1Error: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field that is missing or empty, and why that matters.
    public let description: String
    init(_ description: String) { self.description = description }
}

extension AgentCard {
    /// The binding of the card's endpoint when the card names none (contract cards never do).
    public static let defaultProtocolBinding = "JSONRPC"

    /// The card as A2A JSON of `version`.
    ///
    /// ```swift
    /// try card.a2aJSON(version: .v10)["supportedInterfaces"]?[0]?["protocolBinding"]   // "JSONRPC"
    /// ```
    /// - Throws: ``A2AV1Error`` when `version` is v1.0 or dual and the card cannot be a valid v1.0 card.
    public func a2aJSON(version: A2AVersion) throws(A2AV1Error) -> JSONValue {
        switch version {
        case .v03: return a2aJSON()
        case .v10: return try a2aV1JSON(dual: false)
        case .dual: return try a2aV1JSON(dual: true)
        }
    }

    /// The card as an A2A v1.0 AgentCard: `supportedInterfaces` from the card's `url`,
    /// `protocolVersion` and binding (`JSONRPC` unless the card said otherwise), no
    /// `stateTransitionHistory`, empty optional fields and lists omitted. With `dual`, the v0.3
    /// fields (`url`, `protocolVersion`, `preferredTransport`, `capabilities.stateTransitionHistory`)
    /// are added for older clients.
    ///
    /// - Throws: ``A2AV1Error`` naming the first field v1.0 requires that the card leaves empty.
    public func a2aV1JSON(dual: Bool = false) throws(A2AV1Error) -> JSONValue {
        let strings = { (list: [String]) in JSONValue.array(list.map(JSONValue.string)) }
        func required(_ value: String, _ field: String) throws(A2AV1Error) -> JSONValue {
            guard !value.isEmpty else { throw A2AV1Error("\(field) is empty; A2A v1.0 requires it") }
            return .string(value)
        }
        func requiredList(_ values: [String], _ field: String) throws(A2AV1Error) -> JSONValue {
            guard !values.isEmpty else { throw A2AV1Error("\(field) is empty; A2A v1.0 requires at least one") }
            for (index, value) in values.enumerated() where value.isEmpty {
                throw A2AV1Error("\(field)[\(index)] is an empty string; A2A v1.0 counts it as missing")
            }
            return strings(values)
        }
        let binding = protocolBinding ?? Self.defaultProtocolBinding
        let interfaceVersion = protocolVersion.isEmpty ? "0.3.0" : protocolVersion
        var members: [(String, JSONValue)] = [
            ("name", try required(name, "name")),
            ("description", try required(description, "description")),
            ("supportedInterfaces", .array([.object([
                ("url", try required(url, "url")),
                ("protocolBinding", .string(binding)),
                ("protocolVersion", .string(interfaceVersion)),
            ])])),
            ("version", try required(version, "version")),
        ]
        if dual {
            members += [("url", .string(url)), ("protocolVersion", .string(interfaceVersion)), ("preferredTransport", .string(binding))]
        }
        if let provider {
            members.append(("provider", .object([("organization", try required(provider.organization, "provider.organization")),
                                                 ("url", try required(provider.url, "provider.url"))])))
        }
        if let iconUrl, !iconUrl.isEmpty { members.append(("iconUrl", .string(iconUrl))) }
        if let documentationUrl, !documentationUrl.isEmpty { members.append(("documentationUrl", .string(documentationUrl))) }
        var capabilityMembers: [(String, JSONValue)] = [
            ("streaming", .bool(capabilities.streaming)),
            ("pushNotifications", .bool(capabilities.pushNotifications)),
        ]
        if dual { capabilityMembers.append(("stateTransitionHistory", .bool(capabilities.stateTransitionHistory))) }
        for (index, extensionEntry) in extensions.enumerated() where extensionEntry.uri.isEmpty {
            throw A2AV1Error("capabilities.extensions[\(index)].uri is empty; A2A v1.0 requires it")
        }
        let extensionValues = extensions.map(\.a2aJSON) + (payments.isEmpty ? [] : [x402Extension])
        if !extensionValues.isEmpty { capabilityMembers.append(("extensions", .array(extensionValues))) }
        members.append(("capabilities", .object(capabilityMembers)))
        members.append(("defaultInputModes", try requiredList(defaultInputModes, "defaultInputModes")))
        members.append(("defaultOutputModes", try requiredList(defaultOutputModes, "defaultOutputModes")))
        guard !skills.isEmpty else { throw A2AV1Error("skills is empty; A2A v1.0 requires at least one skill") }
        var skillValues: [JSONValue] = []
        for (index, skill) in skills.enumerated() {
            let path = "skills[\(index)]"
            var s: [(String, JSONValue)] = [("id", try required(skill.id, "\(path).id")), ("name", try required(skill.name, "\(path).name")),
                                            ("description", try required(skill.description, "\(path).description")),
                                            ("tags", try requiredList(skill.tags, "\(path).tags"))]
            if !skill.examples.isEmpty { s.append(("examples", strings(skill.examples))) }
            if !skill.inputModes.isEmpty { s.append(("inputModes", strings(skill.inputModes))) }
            if !skill.outputModes.isEmpty { s.append(("outputModes", strings(skill.outputModes))) }
            skillValues.append(.object(s))
        }
        members.append(("skills", .array(skillValues)))
        return .object(members)
    }
}
