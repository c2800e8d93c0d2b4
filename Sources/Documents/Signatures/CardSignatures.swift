import EthereumCore

/// Checks the JWS signatures an A2A card carries in `signatures` (A2A §8.4): each is
/// `{protected, signature, header?}` over the card's JCS form without `signatures`, with the key
/// in the header (`jwk`) or in a JWK Set at `jku` (fetched by the caller, through the SSRF guard).
///
/// - `valid`: at least one signature verifies.
/// - `invalid`: a signature that could be checked does not verify (a tampered card), and none does.
/// - `unverifiable`: signatures are there but none could be checked (a key named only by `kid`,
///   an algorithm not supported, a `jku` that could not be fetched).
/// - `absent`: no signatures.
///
/// The A2A Python SDK drops empty strings, lists and objects before canonicalising; a signature
/// that fails over the card as served is also tried over that form.
///
/// ```swift
/// let outcome = CardSignatures.check(cardJSON) { jku in try fetchJWKS(jku) }
/// outcome.status   // .valid
/// ```
public enum CardSignatures {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case valid, invalid, unverifiable, absent
    }

    /// The verdict and, when it is not `valid` or `absent`, why.
    public struct Outcome: Sendable, Hashable {
        public var status: Status
        public var reason: String?
        /// The `kid`/`jku` of the signature that verified.
        public var keyID: String?
    }

    /// The most signatures looked at on one card.
    public static let maxSignatures = 8

    /// - Parameter fetchKeySet: the JWK Set document at a `jku` URL (called at most once per URL).
    public static func check(_ card: JSONValue, fetchKeySet: (String) throws -> [UInt8]) -> Outcome {
        guard case .object(let members) = card, let list = card["signatures"]?.arrayValue, !list.isEmpty else {
            return Outcome(status: .absent)
        }
        let unsigned = JSONValue.object(members.filter { $0.0 != "signatures" })
        let payloads = [try? JCS.canonical(unsigned), try? JCS.canonical(withoutEmpty(unsigned) ?? .object([]))].compactMap { $0 }
        guard !payloads.isEmpty else { return Outcome(status: .invalid, reason: "the card has no canonical form (duplicate names or bad numbers)") }
        var keySets: [String: Result<[JWK], JWSError>] = [:]
        var failures: [String] = []
        var checked = false
        for entry in list.prefix(maxSignatures) {
            do {
                let signature = try Signature(entry)
                let keys = try signature.keys { url in
                    if let known = keySets[url] { return try known.get() }
                    let result: Result<[JWK], JWSError>
                    do {
                        let document = try JSONValue(parsing: try fetchKeySet(url), maxDepth: 8)
                        result = .success((document["keys"]?.arrayValue ?? []).prefix(32).compactMap { try? JWK(json: $0) })
                    } catch {
                        result = .failure(JWSError("the key set at \(url.prefix(120)) could not be read: \(error)"))
                    }
                    keySets[url] = result
                    return try result.get()
                }
                guard !keys.isEmpty else { throw JWSError("no key for kid '\(signature.keyID ?? "")'") }
                checked = true
                for payload in payloads {
                    let input = signature.signingInput(payload)
                    if keys.contains(where: { $0.verifies(signature.bytes, over: input, algorithm: signature.algorithm) }) {
                        return Outcome(status: .valid, keyID: signature.keyID ?? signature.keySetURL)
                    }
                }
                failures.append("a \(signature.algorithm) signature does not verify")
            } catch let error as JWSError {
                failures.append(error.description)
            } catch {
                failures.append(String(describing: error))
            }
        }
        return Outcome(status: checked ? .invalid : .unverifiable, reason: failures.joined(separator: "; "))
    }

    /// The value without empty strings, arrays and objects and without nulls (recursively), as
    /// the A2A Python SDK canonicalises a card before signing; nil when nothing is left.
    static func withoutEmpty(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .null: return nil
        case .string(let text): return text.isEmpty ? nil : value
        case .array(let items):
            let kept = items.compactMap(withoutEmpty)
            return kept.isEmpty ? nil : .array(kept)
        case .object(let members):
            let kept = members.compactMap { member in withoutEmpty(member.1).map { (member.0, $0) } }
            return kept.isEmpty ? nil : .object(kept)
        default: return value
        }
    }

    /// One `{protected, signature, header?}` entry.
    struct Signature {
        var protectedText: String
        var bytes: [UInt8]
        var algorithm: String
        var keyID: String?
        var keySetURL: String?
        var embeddedKey: JSONValue?
        /// RFC 7797 `b64: false`: the payload goes into the signing input as is.
        var encodesPayload: Bool

        init(_ entry: JSONValue) throws(JWSError) {
            guard let protectedText = entry["protected"]?.stringValue, let headerBytes = Base64URL.decode(protectedText),
                  let header = try? JSONValue(parsing: headerBytes, maxDepth: 8), case .object = header else {
                throw JWSError("a signature's protected header is not base64url JSON")
            }
            guard let signatureText = entry["signature"]?.stringValue, let bytes = Base64URL.decode(signatureText) else {
                throw JWSError("a signature is not base64url")
            }
            let unprotected = entry["header"]
            func value(_ name: String) -> JSONValue? { header[name] ?? unprotected?[name] }
            guard let algorithm = header["alg"]?.stringValue else { throw JWSError("a signature's header has no alg") }
            guard algorithm != "none" else { throw JWSError("alg 'none' is not a signature") }
            if let critical = header["crit"]?.arrayValue, critical.contains(where: { $0.stringValue != "b64" }) {
                throw JWSError("a signature needs header parameters this verifier does not know (crit)")
            }
            self.protectedText = protectedText
            self.bytes = bytes
            self.algorithm = algorithm
            self.keyID = value("kid")?.stringValue
            self.keySetURL = value("jku")?.stringValue
            self.embeddedKey = value("jwk")
            self.encodesPayload = header["b64"] != .bool(false)
        }

        /// The keys that may have made it: the embedded one, or those of the `jku` set matching `kid`.
        func keys(keySet: (String) throws -> [JWK]) throws -> [JWK] {
            if let embeddedKey { return [try JWK(json: embeddedKey)] }
            guard let keySetURL else { throw JWSError("the key '\(keyID ?? "")' is named but not given (no jwk, no jku)") }
            let all = try keySet(keySetURL)
            return keyID.map { id in all.filter { $0.id == id } } ?? all
        }

        func signingInput(_ payload: [UInt8]) -> [UInt8] {
            Array(protectedText.utf8) + [UInt8(ascii: ".")] + (encodesPayload ? Array(Base64URL.encode(payload).utf8) : payload)
        }
    }
}
