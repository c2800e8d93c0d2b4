import EthereumCore

/// Why a published card was not accepted. The description is the reason stored and shown.
public enum CardError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The bytes are not an ABI-encoded `(AgentCard)`.
    case undecodable(String)
    /// The encoded card is larger than ``CardLimits/maxEncodedBytes``.
    case tooLarge(bytes: Int, limit: Int)
    /// A field is longer, or a list has more elements, than the limits allow.
    case limitExceeded(field: String, size: Int, limit: Int)
    /// A required field is empty.
    case missingField(String)

    public var description: String {
        switch self {
        case .undecodable(let reason): return "card does not decode: \(reason)"
        case let .tooLarge(bytes, limit): return "card is \(bytes) bytes, more than the limit of \(limit)"
        case let .limitExceeded(field, size, limit): return "\(field) has size \(size), more than the limit of \(limit)"
        case .missingField(let field): return "\(field) is empty"
        }
    }
}

extension AgentCard {
    /// The ABI type of `(AgentCard)`: the layout of `getAgentCard()`'s return data and of
    /// `AgentCardUpdated.card`.
    public static let abiType: ABIType = .tuple([
        .string, .string, .string, .string, .string, .string, .string, .string, .string,
        .tuple([.bool, .bool, .bool]),
        .array(.string, nil), .array(.string, nil),
        .array(.tuple([.string, .string, .string, .array(.string, nil), .array(.string, nil), .array(.string, nil), .array(.string, nil)]), nil),
        .array(.tuple([.string, .string, .bool, .string]), nil),
        .array(.tuple([.string, .string, .address, .uint(256), .address]), nil),
    ])

    /// Decodes and validates ABI-encoded `(AgentCard)` bytes.
    /// - Throws: ``CardError`` with the reason the card is invalid.
    public init(abiEncoded data: [UInt8], limits: CardLimits = .default) throws(CardError) {
        guard data.count <= limits.maxEncodedBytes else { throw .tooLarge(bytes: data.count, limit: limits.maxEncodedBytes) }
        let values: [ABIValue]
        do { values = try ABIDecoder.decode([Self.abiType], from: data) } catch { throw .undecodable(error.description) }
        var reader = CardReader(limits: limits)
        self = try reader.card(values[0])
    }

    /// The card as ABI values in the contract's layout (for encoding and tests).
    public var abiValue: ABIValue {
        let strings = { (list: [String]) in ABIValue.array(list.map(ABIValue.string)) }
        return .tuple([
            .string(name), .string(description), .string(url), .string(version), .string(protocolVersion),
            .string(provider?.organization ?? ""), .string(provider?.url ?? ""), .string(iconUrl ?? ""), .string(documentationUrl ?? ""),
            .tuple([.bool(capabilities.streaming), .bool(capabilities.pushNotifications), .bool(capabilities.stateTransitionHistory)]),
            strings(defaultInputModes), strings(defaultOutputModes),
            .array(skills.map { .tuple([.string($0.id), .string($0.name), .string($0.description), strings($0.tags),
                                        strings($0.examples), strings($0.inputModes), strings($0.outputModes)]) }),
            .array(extensions.map { .tuple([.string($0.uri), .string($0.description), .bool($0.required), .string($0.params)]) }),
            .array(payments.map { .tuple([.string($0.scheme), .string($0.network), .address($0.asset), .uint($0.amount), .address($0.payTo)]) }),
        ])
    }

    /// The ABI encoding of `(AgentCard)`.
    public func abiEncoded() -> [UInt8] {
        // The value is built from this card's own fields, so it always matches the type.
        (try? ABIEncoder.encode([abiValue], as: [Self.abiType])) ?? []
    }
}

/// Maps decoded ABI values to the model, checking every limit on the way.
struct CardReader {
    let limits: CardLimits

    func string(_ value: ABIValue, _ field: String, max: Int) throws(CardError) -> String {
        guard let s = value.stringValue else { throw .undecodable("\(field) is not a string") }
        guard s.utf8.count <= max else { throw .limitExceeded(field: field, size: s.utf8.count, limit: max) }
        return s
    }

    func strings(_ value: ABIValue, _ field: String, maxCount: Int, maxBytes: Int) throws(CardError) -> [String] {
        guard let items = value.elements else { throw .undecodable("\(field) is not a list") }
        guard items.count <= maxCount else { throw .limitExceeded(field: field, size: items.count, limit: maxCount) }
        var out: [String] = []
        for (i, item) in items.enumerated() { out.append(try string(item, "\(field)[\(i)]", max: maxBytes)) }
        return out
    }

    func list(_ value: ABIValue, _ field: String, maxCount: Int) throws(CardError) -> [[ABIValue]] {
        guard let items = value.elements else { throw .undecodable("\(field) is not a list") }
        guard items.count <= maxCount else { throw .limitExceeded(field: field, size: items.count, limit: maxCount) }
        var out: [[ABIValue]] = []
        for item in items {
            guard let members = item.elements else { throw .undecodable("\(field) element is not a tuple") }
            out.append(members)
        }
        return out
    }

    mutating func card(_ value: ABIValue) throws(CardError) -> AgentCard {
        guard let f = value.elements, f.count == 15 else { throw .undecodable("not an AgentCard tuple") }
        let l = limits
        let name = try string(f[0], "name", max: l.maxNameBytes)
        guard !name.trimmingWhitespace.isEmpty else { throw .missingField("name") }
        let organization = try string(f[5], "providerOrganization", max: l.maxShortStringBytes)
        let providerURL = try string(f[6], "providerUrl", max: l.maxURLBytes)
        let icon = try string(f[7], "iconUrl", max: l.maxURLBytes)
        let docs = try string(f[8], "documentationUrl", max: l.maxURLBytes)
        guard let caps = f[9].elements, caps.count == 3 else { throw .undecodable("capabilities is not a tuple") }

        var skills: [AgentCard.Skill] = []
        for (i, s) in try list(f[12], "skills", maxCount: l.maxSkills).enumerated() {
            let p = "skills[\(i)]"
            skills.append(AgentCard.Skill(
                id: try string(s[0], "\(p).id", max: l.maxShortStringBytes),
                name: try string(s[1], "\(p).name", max: l.maxShortStringBytes),
                description: try string(s[2], "\(p).description", max: l.maxSkillDescriptionBytes),
                tags: try strings(s[3], "\(p).tags", maxCount: l.maxTagsPerSkill, maxBytes: l.maxShortStringBytes),
                examples: try strings(s[4], "\(p).examples", maxCount: l.maxExamplesPerSkill, maxBytes: l.maxExampleBytes),
                inputModes: try strings(s[5], "\(p).inputModes", maxCount: l.maxModes, maxBytes: l.maxShortStringBytes),
                outputModes: try strings(s[6], "\(p).outputModes", maxCount: l.maxModes, maxBytes: l.maxShortStringBytes)))
        }
        var extensions: [AgentCard.Extension] = []
        for (i, e) in try list(f[13], "extensions", maxCount: l.maxExtensions).enumerated() {
            extensions.append(AgentCard.Extension(
                uri: try string(e[0], "extensions[\(i)].uri", max: l.maxURLBytes),
                description: try string(e[1], "extensions[\(i)].description", max: l.maxDescriptionBytes),
                required: e[2].boolValue ?? false,
                params: try string(e[3], "extensions[\(i)].params", max: l.maxExtensionParamsBytes)))
        }
        var payments: [PaymentTerms] = []
        for (i, p) in try list(f[14], "payments", maxCount: l.maxPayments).enumerated() {
            guard let asset = p[2].addressValue, let amount = p[3].uintValue, let payTo = p[4].addressValue else {
                throw .undecodable("payments[\(i)] has the wrong types")
            }
            payments.append(PaymentTerms(
                scheme: try string(p[0], "payments[\(i)].scheme", max: l.maxShortStringBytes),
                network: try string(p[1], "payments[\(i)].network", max: l.maxShortStringBytes),
                asset: asset, amount: amount, payTo: payTo))
        }
        return AgentCard(
            name: name,
            description: try string(f[1], "description", max: l.maxDescriptionBytes),
            url: try string(f[2], "url", max: l.maxURLBytes),
            version: try string(f[3], "version", max: l.maxShortStringBytes),
            protocolVersion: try string(f[4], "protocolVersion", max: l.maxShortStringBytes),
            provider: organization.isEmpty && providerURL.isEmpty ? nil : .init(organization: organization, url: providerURL),
            iconUrl: icon.isEmpty ? nil : icon,
            documentationUrl: docs.isEmpty ? nil : docs,
            capabilities: .init(streaming: caps[0].boolValue ?? false, pushNotifications: caps[1].boolValue ?? false,
                                stateTransitionHistory: caps[2].boolValue ?? false),
            defaultInputModes: try strings(f[10], "defaultInputModes", maxCount: l.maxModes, maxBytes: l.maxShortStringBytes),
            defaultOutputModes: try strings(f[11], "defaultOutputModes", maxCount: l.maxModes, maxBytes: l.maxShortStringBytes),
            skills: skills, extensions: extensions, payments: payments)
    }
}

extension String {
    var trimmingWhitespace: Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return Substring(scalars[first...last])
    }
}
