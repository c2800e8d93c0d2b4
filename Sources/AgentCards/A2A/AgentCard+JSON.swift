import EthereumCore

extension CardLimits {
    /// Limits for cards served off-chain (A2A cards behind an ERC-8004 registration): the on-chain
    /// bounds, with room for the longer descriptions and skill lists real cards carry.
    public static let offChain: CardLimits = {
        var limits = CardLimits()
        limits.maxEncodedBytes = 65_536
        limits.maxDescriptionBytes = 8_192
        limits.maxSkills = 64
        limits.maxSkillDescriptionBytes = 4_096
        limits.maxExtensions = 32
        limits.maxPayments = 32
        return limits
    }()
}

extension AgentCard {
    /// The most nesting an A2A card's JSON may have.
    public static let maxJSONDepth = 32

    /// Parses an A2A AgentCard served as JSON: v1.0 (`supportedInterfaces`), v0.3 (top-level
    /// `url`, `protocolVersion`) or a dual card carrying both, into the one card model.
    ///
    /// - `url` and `protocolVersion`: the top-level v0.3 fields, else the first (preferred) v1.0
    ///   interface's.
    /// - x402 terms: the `accepts` of every `capabilities.extensions` entry whose URI names x402
    ///   (v2 `amount`, v1 `maxAmountRequired`; the network as written, `eip155:8453` or `base`);
    ///   an entry with a bad address or amount is skipped, not fatal.
    /// - Strict where it matters: JSON within the size and depth limits, a non-blank `name`,
    ///   every known field of the right type and within ``CardLimits``. Unknown fields are ignored.
    ///
    /// ```swift
    /// let card = try AgentCard(a2aJSON: Array(#"{"name":"Quill","url":"https://q.example/a2a",…}"#.utf8))
    /// card.skills.first?.tags
    /// ```
    /// - Throws: ``CardError`` naming the field that broke a rule.
    public init(a2aJSON bytes: [UInt8], limits: CardLimits = .offChain) throws(CardError) {
        guard bytes.count <= limits.maxEncodedBytes else { throw .tooLarge(bytes: bytes.count, limit: limits.maxEncodedBytes) }
        let root: JSONValue
        do { root = try JSONValue(parsing: bytes, maxDepth: Self.maxJSONDepth) } catch {
            throw .undecodable("not JSON: \(error)")
        }
        try self.init(a2aJSON: root, limits: limits)
    }

    /// Parses an A2A card from parsed JSON; see ``init(a2aJSON:limits:)-([UInt8],_)``.
    public init(a2aJSON root: JSONValue, limits: CardLimits = .offChain) throws(CardError) {
        guard case .object = root else { throw .undecodable("the card is not a JSON object") }
        let r = JSONCardReader(limits: limits)
        let l = limits
        let name = try r.string(root["name"], "name", max: l.maxNameBytes) ?? ""
        guard !name.trimmingWhitespace.isEmpty else { throw .missingField("name") }
        let interfaces = try r.list(root["supportedInterfaces"], "supportedInterfaces", maxCount: 16)
        let preferred = interfaces.first
        let interfaceURL = try r.string(preferred?["url"], "supportedInterfaces[0].url", max: l.maxURLBytes)
        let url = try r.string(root["url"], "url", max: l.maxURLBytes) ?? interfaceURL ?? ""
        let interfaceVersion = try r.string(preferred?["protocolVersion"], "supportedInterfaces[0].protocolVersion", max: l.maxShortStringBytes)
        let protocolVersion = try r.string(root["protocolVersion"], "protocolVersion", max: l.maxShortStringBytes) ?? interfaceVersion ?? ""
        let interfaceBinding = try r.string(preferred?["protocolBinding"], "supportedInterfaces[0].protocolBinding", max: l.maxShortStringBytes)
        let binding = try r.string(root["preferredTransport"], "preferredTransport", max: l.maxShortStringBytes) ?? interfaceBinding
        let provider = root["provider"]
        let organization = try r.string(provider?["organization"], "provider.organization", max: l.maxShortStringBytes) ?? ""
        let providerURL = try r.string(provider?["url"], "provider.url", max: l.maxURLBytes) ?? ""
        let capabilities = root["capabilities"]

        var skills: [Skill] = []
        for (i, s) in try r.list(root["skills"], "skills", maxCount: l.maxSkills).enumerated() {
            let p = "skills[\(i)]"
            skills.append(Skill(
                id: try r.string(s["id"], "\(p).id", max: l.maxShortStringBytes) ?? "",
                name: try r.string(s["name"], "\(p).name", max: l.maxShortStringBytes) ?? "",
                description: try r.string(s["description"], "\(p).description", max: l.maxSkillDescriptionBytes) ?? "",
                tags: try r.strings(s["tags"], "\(p).tags", maxCount: l.maxTagsPerSkill, maxBytes: l.maxShortStringBytes),
                examples: try r.strings(s["examples"], "\(p).examples", maxCount: l.maxExamplesPerSkill, maxBytes: l.maxExampleBytes),
                inputModes: try r.strings(s["inputModes"], "\(p).inputModes", maxCount: l.maxModes, maxBytes: l.maxShortStringBytes),
                outputModes: try r.strings(s["outputModes"], "\(p).outputModes", maxCount: l.maxModes, maxBytes: l.maxShortStringBytes)))
        }
        var extensions: [Extension] = []
        var payments: [PaymentTerms] = []
        for (i, e) in try r.list(capabilities?["extensions"], "capabilities.extensions", maxCount: l.maxExtensions).enumerated() {
            let p = "capabilities.extensions[\(i)]"
            let uri = try r.string(e["uri"], "\(p).uri", max: l.maxURLBytes) ?? ""
            let params = e["params"].map { $0 == .null ? "" : $0.serialized() } ?? ""
            guard params.utf8.count <= l.maxExtensionParamsBytes else {
                throw .limitExceeded(field: "\(p).params", size: params.utf8.count, limit: l.maxExtensionParamsBytes)
            }
            if X402Extension.names(uri) {
                for terms in e["params"]?["accepts"]?.arrayValue ?? [] where payments.count < l.maxPayments {
                    // The same terms under two x402 entries (a card that was served and read again) count once.
                    if let parsed = PaymentTerms(x402JSON: terms, maxBytes: l.maxShortStringBytes), !payments.contains(parsed) { payments.append(parsed) }
                }
                // Terms are served from `payments`; the entry itself is not kept twice.
                if X402Extension.uri == uri { continue }
            }
            extensions.append(Extension(uri: uri, description: try r.string(e["description"], "\(p).description", max: l.maxDescriptionBytes) ?? "",
                                        required: try r.bool(e["required"], "\(p).required") ?? false, params: params))
        }
        self.init(
            name: name,
            description: try r.string(root["description"], "description", max: l.maxDescriptionBytes) ?? "",
            url: url,
            version: try r.string(root["version"], "version", max: l.maxShortStringBytes) ?? "",
            protocolVersion: protocolVersion,
            provider: organization.isEmpty && providerURL.isEmpty ? nil : Provider(organization: organization, url: providerURL),
            iconUrl: try r.string(root["iconUrl"], "iconUrl", max: l.maxURLBytes).flatMap { $0.isEmpty ? nil : $0 },
            documentationUrl: try r.string(root["documentationUrl"], "documentationUrl", max: l.maxURLBytes).flatMap { $0.isEmpty ? nil : $0 },
            capabilities: Capabilities(streaming: try r.bool(capabilities?["streaming"], "capabilities.streaming") ?? false,
                                       pushNotifications: try r.bool(capabilities?["pushNotifications"], "capabilities.pushNotifications") ?? false,
                                       stateTransitionHistory: try r.bool(capabilities?["stateTransitionHistory"], "capabilities.stateTransitionHistory") ?? false),
            defaultInputModes: try r.strings(root["defaultInputModes"], "defaultInputModes", maxCount: l.maxModes, maxBytes: l.maxShortStringBytes),
            defaultOutputModes: try r.strings(root["defaultOutputModes"], "defaultOutputModes", maxCount: l.maxModes, maxBytes: l.maxShortStringBytes),
            skills: skills, extensions: extensions, payments: payments,
            protocolBinding: binding.flatMap { $0.isEmpty || $0 == Self.defaultProtocolBinding ? nil : $0 })
    }
}

extension X402Extension {
    /// Whether an extension URI names an x402 extension (`…/a2a-x402/…` and the like).
    public static func names(_ uri: String) -> Bool {
        uri.lowercased().contains("x402")
    }
}

extension PaymentTerms {
    /// One entry of an x402 `accepts` list: `scheme`, `network`, `asset`, `payTo`, and `amount`
    /// (x402 v2) or `maxAmountRequired` (v1) as a decimal string or integer. Nil when any of them
    /// is missing, malformed or too long.
    public init?(x402JSON json: JSONValue, maxBytes: Int = 256) {
        func text(_ name: String) -> String? {
            guard let value = json[name]?.stringValue, !value.isEmpty, value.utf8.count <= maxBytes else { return nil }
            return value
        }
        let amountValue = json["amount"] ?? json["maxAmountRequired"]
        let amountText: String? = switch amountValue {
        case .string(let s)?: s
        case .number(let n)?: n
        default: nil
        }
        guard let scheme = text("scheme"), let network = text("network"),
              let asset = text("asset").flatMap({ try? EthereumAddress($0) }), let payTo = text("payTo").flatMap({ try? EthereumAddress($0) }),
              let amountText, amountText.utf8.count <= 78, let amount = UInt256(decimal: amountText) else { return nil }
        self.init(scheme: scheme, network: network, asset: asset, amount: amount, payTo: payTo)
    }
}

/// Reads fields of an A2A card's JSON, checking types and limits; a field that is absent or
/// `null` reads as nil (or empty), one of the wrong type is an error.
struct JSONCardReader {
    let limits: CardLimits

    func string(_ value: JSONValue?, _ field: String, max: Int) throws(CardError) -> String? {
        guard let value, value != .null else { return nil }
        guard case .string(let s) = value else { throw .undecodable("\(field) is not a string") }
        guard s.utf8.count <= max else { throw .limitExceeded(field: field, size: s.utf8.count, limit: max) }
        return s
    }

    func bool(_ value: JSONValue?, _ field: String) throws(CardError) -> Bool? {
        guard let value, value != .null else { return nil }
        guard case .bool(let b) = value else { throw .undecodable("\(field) is not a boolean") }
        return b
    }

    func strings(_ value: JSONValue?, _ field: String, maxCount: Int, maxBytes: Int) throws(CardError) -> [String] {
        guard let value, value != .null else { return [] }
        guard case .array(let items) = value else { throw .undecodable("\(field) is not a list") }
        guard items.count <= maxCount else { throw .limitExceeded(field: field, size: items.count, limit: maxCount) }
        var out: [String] = []
        for (i, item) in items.enumerated() { out.append(try string(item, "\(field)[\(i)]", max: maxBytes) ?? "") }
        return out
    }

    /// A list of objects.
    func list(_ value: JSONValue?, _ field: String, maxCount: Int) throws(CardError) -> [JSONValue] {
        guard let value, value != .null else { return [] }
        guard case .array(let items) = value else { throw .undecodable("\(field) is not a list") }
        guard items.count <= maxCount else { throw .limitExceeded(field: field, size: items.count, limit: maxCount) }
        for (i, item) in items.enumerated() {
            guard case .object = item else { throw .undecodable("\(field)[\(i)] is not an object") }
        }
        return items
    }
}
