import CSecp256k1

/// ECDSA over secp256k1 through libsecp256k1: recover a signer, sign (for tests and tools).
///
/// ```swift
/// let hash = Secp256k1.personalMessageHash(Array("Some data".utf8))
/// let signer = try Secp256k1.recoverAddress(hash: hash, signature: signature)  // 65 bytes r‖s‖v
/// ```
public enum Secp256k1 {
    nonisolated(unsafe) private static let context: OpaquePointer = {
        guard let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            fatalError("libsecp256k1 could not create a context")
        }
        return ctx
    }()

    /// Recovers the address that signed a 32-byte hash.
    /// - Parameter signature: 65 bytes `r ‖ s ‖ v`, with `v` in {0, 1, 27, 28}.
    public static func recoverAddress(hash: [UInt8], signature: [UInt8]) throws(SignatureError) -> EthereumAddress {
        guard hash.count == 32 else { throw .invalidHashLength(hash.count) }
        guard signature.count == 65 else { throw .invalidSignatureLength(signature.count) }
        let v = signature[64]
        let recoveryID: Int32
        switch v {
        case 0, 1: recoveryID = Int32(v)
        case 27, 28: recoveryID = Int32(v - 27)
        default: throw .invalidRecoveryID(v)
        }
        return try recoverAddress(hash: hash, r: Array(signature[0..<32]), s: Array(signature[32..<64]), recoveryID: recoveryID)
    }

    /// Recovers the address from `r`, `s` (32 bytes each) and a recovery id of 0 or 1.
    public static func recoverAddress(hash: [UInt8], r: [UInt8], s: [UInt8], recoveryID: Int32) throws(SignatureError) -> EthereumAddress {
        guard hash.count == 32 else { throw .invalidHashLength(hash.count) }
        guard r.count == 32, s.count == 32 else { throw .invalidSignatureLength(r.count + s.count + 1) }
        guard recoveryID == 0 || recoveryID == 1 else { throw .invalidRecoveryID(UInt8(truncatingIfNeeded: recoveryID)) }
        var recoverable = secp256k1_ecdsa_recoverable_signature()
        let compact = r + s
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(context, &recoverable, compact, recoveryID) == 1 else {
            throw .invalidSignature
        }
        var pubkey = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(context, &pubkey, &recoverable, hash) == 1 else { throw .recoveryFailed }
        return address(of: pubkey)
    }

    /// Signs a 32-byte hash; returns 65 bytes `r ‖ s ‖ v` with `v` in {27, 28}.
    public static func sign(hash: [UInt8], privateKey: [UInt8]) throws(SignatureError) -> [UInt8] {
        guard hash.count == 32 else { throw .invalidHashLength(hash.count) }
        guard privateKey.count == 32, secp256k1_ec_seckey_verify(context, privateKey) == 1 else { throw .invalidPrivateKey }
        var signature = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_sign_recoverable(context, &signature, hash, privateKey, nil, nil) == 1 else {
            throw .invalidPrivateKey
        }
        var compact = [UInt8](repeating: 0, count: 64)
        var recoveryID: Int32 = 0
        secp256k1_ecdsa_recoverable_signature_serialize_compact(context, &compact, &recoveryID, &signature)
        return compact + [UInt8(27 + recoveryID)]
    }

    /// The address of a private key.
    public static func address(privateKey: [UInt8]) throws(SignatureError) -> EthereumAddress {
        var pubkey = secp256k1_pubkey()
        guard privateKey.count == 32, secp256k1_ec_pubkey_create(context, &pubkey, privateKey) == 1 else {
            throw .invalidPrivateKey
        }
        return address(of: pubkey)
    }

    /// keccak-256 of the 64-byte uncompressed public key; the last 20 bytes.
    static func address(of pubkey: secp256k1_pubkey) -> EthereumAddress {
        var key = pubkey
        var serialized = [UInt8](repeating: 0, count: 65)
        var length = 65
        secp256k1_ec_pubkey_serialize(context, &serialized, &length, &key, UInt32(SECP256K1_EC_UNCOMPRESSED))
        let hash = Keccak256.hash(serialized[1..<65])
        return EthereumAddress(unchecked: Array(hash[12..<32]))
    }

    /// The EIP-191 (version 0x45) hash of a personal message:
    /// keccak-256("\u{19}Ethereum Signed Message:\n" + length + message).
    public static func personalMessageHash(_ message: [UInt8]) -> [UInt8] {
        Keccak256.hash(Array("\u{19}Ethereum Signed Message:\n\(message.count)".utf8) + message)
    }
}

/// Why a signature could not be used.
public enum SignatureError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidHashLength(Int)
    case invalidSignatureLength(Int)
    case invalidRecoveryID(UInt8)
    case invalidSignature
    case recoveryFailed
    case invalidPrivateKey

    public var description: String {
        switch self {
        case .invalidHashLength(let n): return "hash must be 32 bytes, got \(n)"
        case .invalidSignatureLength(let n): return "signature must be 65 bytes (r, s, v), got \(n)"
        case .invalidRecoveryID(let v): return "v must be 0, 1, 27 or 28, got \(v)"
        case .invalidSignature: return "r or s is not a valid scalar"
        case .recoveryFailed: return "no public key recovers from this signature and hash"
        case .invalidPrivateKey: return "invalid private key"
        }
    }
}
