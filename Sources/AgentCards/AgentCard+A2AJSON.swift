import EthereumCore

/// The x402 extension under which payment terms are served in A2A JSON.
public enum X402Extension {
    public static let uri = "https://github.com/google-a2a/a2a-x402/v0.1"
}

extension AgentCard {
    /// The card as A2A AgentCard JSON (v0.3.0 shape): required fields always present, optional
    /// ones only when published; extensions under `capabilities.extensions` (their `params`
    /// included when they are a JSON object); payment terms as the x402 extension's `accepts`.
    ///
    /// ```swift
    /// card.a2aJSON().serialized()   // {"name":"LexTranslate","description":…}
    /// ```
    public func a2aJSON() -> JSONValue {
        let strings = { (list: [String]) in JSONValue.array(list.map(JSONValue.string)) }
        var members: [(String, JSONValue)] = [
            ("name", .string(name)),
            ("description", .string(description)),
            ("url", .string(url)),
            ("version", .string(version)),
            ("protocolVersion", .string(protocolVersion.isEmpty ? "0.3.0" : protocolVersion)),
        ]
        if let protocolBinding { members.append(("preferredTransport", .string(protocolBinding))) }
        if let provider { members.append(("provider", .object([("organization", .string(provider.organization)), ("url", .string(provider.url))]))) }
        if let iconUrl { members.append(("iconUrl", .string(iconUrl))) }
        if let documentationUrl { members.append(("documentationUrl", .string(documentationUrl))) }
        var capabilityMembers: [(String, JSONValue)] = [
            ("streaming", .bool(capabilities.streaming)),
            ("pushNotifications", .bool(capabilities.pushNotifications)),
            ("stateTransitionHistory", .bool(capabilities.stateTransitionHistory)),
        ]
        let extensionValues = extensions.map(\.a2aJSON) + (payments.isEmpty ? [] : [x402Extension])
        if !extensionValues.isEmpty { capabilityMembers.append(("extensions", .array(extensionValues))) }
        members.append(("capabilities", .object(capabilityMembers)))
        members.append(("defaultInputModes", strings(defaultInputModes)))
        members.append(("defaultOutputModes", strings(defaultOutputModes)))
        members.append(("skills", .array(skills.map { skill in
            var s: [(String, JSONValue)] = [("id", .string(skill.id)), ("name", .string(skill.name)),
                                            ("description", .string(skill.description)), ("tags", strings(skill.tags))]
            if !skill.examples.isEmpty { s.append(("examples", strings(skill.examples))) }
            if !skill.inputModes.isEmpty { s.append(("inputModes", strings(skill.inputModes))) }
            if !skill.outputModes.isEmpty { s.append(("outputModes", strings(skill.outputModes))) }
            return .object(s)
        })))
        return .object(members)
    }

    var x402Extension: JSONValue {
        .object([
            ("uri", .string(X402Extension.uri)),
            ("description", .string("x402 payment terms")),
            ("required", .bool(false)),
            ("params", .object([("accepts", .array(payments.map(\.json)))])),
        ])
    }
}

extension AgentCard.Extension {
    var a2aJSON: JSONValue {
        var members: [(String, JSONValue)] = [("uri", .string(uri))]
        if !description.isEmpty { members.append(("description", .string(description))) }
        members.append(("required", .bool(required)))
        if let parsed = try? JSONValue(parsing: params, maxDepth: 16), case .object = parsed { members.append(("params", parsed)) }
        return .object(members)
    }
}

extension PaymentTerms {
    /// The terms in the project's JSON convention (amount as a decimal string).
    public var json: JSONValue {
        .object([
            ("scheme", .string(scheme)), ("network", .string(network)), ("asset", .string(asset.checksummed)),
            ("amount", .string(amount.description)), ("payTo", .string(payTo.checksummed)),
        ])
    }
}
