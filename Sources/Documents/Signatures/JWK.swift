import Crypto
import CryptoExtras
import EthereumCore
import Foundation

/// A public JSON Web Key (RFC 7517) that can check a JWS: EC P-256/384/521, Ed25519 (OKP) or RSA
/// (2048 bits or more).
///
/// ```swift
/// let key = try JWK(json: .object([("kty", "OKP"), ("crv", "Ed25519"), ("x", "11qYAY…")]))
/// key.verifies(signature, over: signingInput, algorithm: "EdDSA")
/// ```
public struct JWK: Sendable {
    enum Key: Sendable {
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
        case p521(P521.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)
        case rsa(_RSA.Signing.PublicKey)
    }

    let key: Key
    /// The key's `kid`, when it has one.
    public let id: String?

    /// Reads a public key; private members, if any, are ignored.
    /// - Throws: ``JWSError`` for an unknown key type or curve, or bad key material.
    public init(json: JSONValue) throws(JWSError) {
        guard case .object = json else { throw JWSError("a JWK is not a JSON object") }
        func member(_ name: String) throws(JWSError) -> [UInt8] {
            guard let text = json[name]?.stringValue, let bytes = Base64URL.decode(text) else {
                throw JWSError("the JWK has no valid '\(name)'")
            }
            return bytes
        }
        id = json["kid"]?.stringValue
        let kty = json["kty"]?.stringValue ?? ""
        do {
            switch (kty, json["crv"]?.stringValue) {
            case ("EC", "P-256"): key = .p256(try P256.Signing.PublicKey(rawRepresentation: member("x") + member("y")))
            case ("EC", "P-384"): key = .p384(try P384.Signing.PublicKey(rawRepresentation: member("x") + member("y")))
            case ("EC", "P-521"): key = .p521(try P521.Signing.PublicKey(rawRepresentation: member("x") + member("y")))
            case ("OKP", "Ed25519"): key = .ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: member("x")))
            case ("RSA", _): key = .rsa(try _RSA.Signing.PublicKey(n: member("n"), e: member("e")))
            default: throw JWSError("the key type '\(kty.prefix(16))' (curve '\((json["crv"]?.stringValue ?? "").prefix(16))') is not supported")
            }
        } catch let error as JWSError {
            throw error
        } catch {
            throw JWSError("the JWK's key material is invalid")
        }
    }

    /// The algorithms this key can check.
    func accepts(_ algorithm: String) -> Bool {
        switch key {
        case .p256: algorithm == "ES256"
        case .p384: algorithm == "ES384"
        case .p521: algorithm == "ES512"
        case .ed25519: algorithm == "EdDSA" || algorithm == "Ed25519"
        case .rsa: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"].contains(algorithm)
        }
    }

    /// Whether `signature` (JWS form: raw r‖s for ECDSA) signs `input` under `algorithm` with this key.
    public func verifies(_ signature: [UInt8], over input: [UInt8], algorithm: String) -> Bool {
        guard accepts(algorithm) else { return false }
        switch key {
        case .p256(let key):
            guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: input)
        case .p384(let key):
            guard let parsed = try? P384.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: input)
        case .p521(let key):
            guard let parsed = try? P521.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: input)
        case .ed25519(let key):
            return key.isValidSignature(signature, for: input)
        case .rsa(let key):
            let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
            let padding: _RSA.Signing.Padding = algorithm.hasPrefix("PS") ? .PSS : .insecurePKCS1v1_5
            switch algorithm.suffix(3) {
            case "256": return key.isValidSignature(rsaSignature, for: SHA256.hash(data: input), padding: padding)
            case "384": return key.isValidSignature(rsaSignature, for: SHA384.hash(data: input), padding: padding)
            default: return key.isValidSignature(rsaSignature, for: SHA512.hash(data: input), padding: padding)
            }
        }
    }
}

/// Why a signature or key could not be read.
public struct JWSError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
