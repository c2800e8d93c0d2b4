import EthereumCore

/// Why a registration file (or the `data:` URI carrying it) was not accepted; the description is
/// the reason stored and shown as `invalidReason`.
public struct RegistrationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension RegistrationFile {
    /// Parses a registration file from JSON bytes under `limits`.
    ///
    /// Strict: the text is RFC 8259 JSON (no duplicate keys) within the size and depth limits,
    /// the root is an object with a non-blank `name`, and every known field has its type and
    /// length. Tolerant: unknown fields are ignored, `endpoints` is read when there are no
    /// `services`, a service entry that is not an object with a string `name` is skipped, and
    /// `agentId` may be a number or a string.
    /// - Throws: ``RegistrationError`` naming the field that broke a rule.
    public init(json bytes: [UInt8], limits: RegistrationLimits = .default) throws(RegistrationError) {
        guard bytes.count <= limits.maxDocumentBytes else {
            throw RegistrationError("the registration file is \(bytes.count) bytes, more than the limit of \(limits.maxDocumentBytes)")
        }
        let root: JSONValue
        do { root = try JSONValue(parsing: bytes, maxDepth: limits.maxDepth) } catch {
            throw RegistrationError("the registration file is not JSON: \(error)")
        }
        guard case .object = root else { throw RegistrationError("the registration file is not a JSON object") }
        let reader = FieldReader(limits: limits)
        let name = try reader.string(root["name"], "name", max: limits.maxNameBytes) ?? ""
        guard !name.trimmingWhitespace.isEmpty else { throw RegistrationError("name is missing or blank") }
        let serviceList = root["services"] != nil && root["services"] != .null ? ("services", root["services"]) : ("endpoints", root["endpoints"])
        self.init(
            type: try reader.string(root["type"], "type", max: limits.maxURLBytes),
            name: name,
            description: try reader.string(root["description"], "description", max: limits.maxDescriptionBytes) ?? "",
            image: try reader.string(root["image"], "image", max: limits.maxURLBytes),
            services: try reader.services(serviceList.1, serviceList.0),
            x402Support: try reader.bool(root["x402Support"], "x402Support") ?? false,
            active: try reader.bool(root["active"], "active") ?? true,
            registrations: try reader.registrations(root["registrations"]),
            supportedTrust: try reader.strings(root["supportedTrust"], "supportedTrust", maxCount: limits.maxTrustModels,
                                               maxBytes: limits.maxShortStringBytes))
    }

    /// The file as AgentIndex serves it: the known fields in a fixed order, optional ones only
    /// when published, empty service lists left out.
    ///
    /// ```json
    /// {"type":"https://eips.ethereum.org/EIPS/eip-8004#registration-v1","name":"Quill","description":"…",
    ///  "services":[{"name":"A2A","endpoint":"https://quill.example/.well-known/agent-card.json","version":"0.3.0"}],
    ///  "x402Support":true,"active":true,"registrations":[{"agentId":3,"agentRegistry":"eip155:1:0x…"}],"supportedTrust":[]}
    /// ```
    public func json() -> JSONValue {
        let strings = { (list: [String]) in JSONValue.array(list.map(JSONValue.string)) }
        var members: [(String, JSONValue)] = []
        if let type { members.append(("type", .string(type))) }
        members.append(("name", .string(name)))
        members.append(("description", .string(description)))
        if let image { members.append(("image", .string(image))) }
        members.append(("services", .array(services.map { service in
            var s: [(String, JSONValue)] = [("name", .string(service.name)), ("endpoint", .string(service.endpoint))]
            if let version = service.version { s.append(("version", .string(version))) }
            if !service.skills.isEmpty { s.append(("skills", strings(service.skills))) }
            if !service.domains.isEmpty { s.append(("domains", strings(service.domains))) }
            return .object(s)
        })))
        members.append(("x402Support", .bool(x402Support)))
        members.append(("active", .bool(active)))
        members.append(("registrations", .array(registrations.map { entry in
            let id: JSONValue = UInt256(decimal: entry.agentID) != nil ? .number(entry.agentID) : .string(entry.agentID)
            return .object([("agentId", id), ("agentRegistry", .string(entry.agentRegistry))])
        })))
        members.append(("supportedTrust", strings(supportedTrust)))
        return .object(members)
    }
}

/// Reads the fields of a registration file, checking each limit on the way.
struct FieldReader {
    let limits: RegistrationLimits

    /// A string field; nil when absent or null.
    func string(_ value: JSONValue?, _ field: String, max: Int) throws(RegistrationError) -> String? {
        guard let value, value != .null else { return nil }
        guard case .string(let text) = value else { throw RegistrationError("\(field) is not a string") }
        guard text.utf8.count <= max else {
            throw RegistrationError("\(field) has size \(text.utf8.count), more than the limit of \(max)")
        }
        return text
    }

    func bool(_ value: JSONValue?, _ field: String) throws(RegistrationError) -> Bool? {
        guard let value, value != .null else { return nil }
        guard case .bool(let flag) = value else { throw RegistrationError("\(field) is not true or false") }
        return flag
    }

    /// A list of strings; an element that is not a string is an error.
    func strings(_ value: JSONValue?, _ field: String, maxCount: Int, maxBytes: Int) throws(RegistrationError) -> [String] {
        let items = try list(value, field, maxCount: maxCount)
        var out: [String] = []
        for (index, item) in items.enumerated() {
            out.append(try string(item, "\(field)[\(index)]", max: maxBytes) ?? "")
        }
        return out
    }

    func list(_ value: JSONValue?, _ field: String, maxCount: Int) throws(RegistrationError) -> [JSONValue] {
        guard let value, value != .null else { return [] }
        guard case .array(let items) = value else { throw RegistrationError("\(field) is not a list") }
        guard items.count <= maxCount else {
            throw RegistrationError("\(field) has \(items.count) entries, more than the limit of \(maxCount)")
        }
        return items
    }

    func services(_ value: JSONValue?, _ field: String) throws(RegistrationError) -> [RegistrationFile.Service] {
        var services: [RegistrationFile.Service] = []
        for (index, item) in try list(value, field, maxCount: limits.maxServices).enumerated() {
            let path = "\(field)[\(index)]"
            // Tolerated: an entry without a name says nothing anybody could use.
            guard case .object = item, case .string = item["name"] else { continue }
            services.append(RegistrationFile.Service(
                name: try string(item["name"], "\(path).name", max: limits.maxShortStringBytes) ?? "",
                endpoint: try string(item["endpoint"], "\(path).endpoint", max: limits.maxURLBytes) ?? "",
                version: try string(item["version"], "\(path).version", max: limits.maxShortStringBytes),
                skills: try strings(item["skills"], "\(path).skills", maxCount: limits.maxSkillsPerService,
                                    maxBytes: limits.maxShortStringBytes),
                domains: try strings(item["domains"], "\(path).domains", maxCount: limits.maxSkillsPerService,
                                     maxBytes: limits.maxShortStringBytes)))
        }
        return services
    }

    func registrations(_ value: JSONValue?) throws(RegistrationError) -> [RegistrationFile.Registration] {
        var entries: [RegistrationFile.Registration] = []
        for (index, item) in try list(value, "registrations", maxCount: limits.maxRegistrations).enumerated() {
            let path = "registrations[\(index)]"
            guard case .object = item else { throw RegistrationError("\(path) is not an object") }
            let id: String
            switch item["agentId"] {
            case .number(let text)?, .string(let text)?:
                guard text.utf8.count <= limits.maxShortStringBytes else {
                    throw RegistrationError("\(path).agentId has size \(text.utf8.count), more than the limit of \(limits.maxShortStringBytes)")
                }
                id = UInt256(decimal: text)?.description ?? text
            case nil, .null?: id = ""
            default: throw RegistrationError("\(path).agentId is not a number or a string")
            }
            entries.append(RegistrationFile.Registration(
                agentID: id, agentRegistry: try string(item["agentRegistry"], "\(path).agentRegistry",
                                                       max: limits.maxShortStringBytes) ?? ""))
        }
        return entries
    }
}
