import EthereumCore

/// The optional domain proof of ERC-8004: `https://{A2A endpoint host}/.well-known/agent-registration.json`
/// lists the agents the domain vouches for, as `registrations` entries of a registration file.
/// An agent whose (agentId, registry) is listed there has `domainVerified: true`.
///
/// ```swift
/// let proof = try DomainProof(json: bytes)
/// proof.lists(agentID: UInt256(7), registry: "eip155:1:0x8004a169fb4a3325136eb29fa0ceb6d2e539a432")
/// ```
public struct DomainProof: Hashable, Sendable {
    public var registrations: [RegistrationFile.Registration]

    /// The most entries a domain proof is read for (one domain may host many agents).
    public static let maxEntries = 1_024

    public init(registrations: [RegistrationFile.Registration]) { self.registrations = registrations }

    /// Reads the `registrations` list of a domain proof document; other fields are ignored.
    /// - Throws: ``RegistrationError`` for a document that is not a JSON object with such a list.
    public init(json bytes: [UInt8], limits: RegistrationLimits = .default) throws(RegistrationError) {
        guard bytes.count <= limits.maxDocumentBytes else {
            throw RegistrationError("the domain proof is \(bytes.count) bytes, more than the limit of \(limits.maxDocumentBytes)")
        }
        let root: JSONValue
        do { root = try JSONValue(parsing: bytes, maxDepth: limits.maxDepth) } catch {
            throw RegistrationError("the domain proof is not JSON: \(error)")
        }
        guard case .object = root, root["registrations"]?.arrayValue != nil else {
            throw RegistrationError("the domain proof has no registrations list")
        }
        var wide = limits
        wide.maxRegistrations = Self.maxEntries
        registrations = try FieldReader(limits: wide).registrations(root["registrations"])
    }

    /// Whether the proof lists `agentID` in `registry` (`eip155:<chainId>:<address>`, any case).
    public func lists(agentID: UInt256, registry: String) -> Bool {
        RegistrationFile(type: nil, name: "-", description: "", image: nil, services: [], x402Support: false, active: true,
                         registrations: registrations, supportedTrust: []).lists(agentID: agentID, registry: registry)
    }
}
