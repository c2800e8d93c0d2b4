import Crypto
import EthereumCore

/// Signs the API's answers with the indexer's secp256k1 key, so a client can check that an
/// answer came from the indexer it trusts and was not changed on the way.
///
/// The signature is an EIP-191 personal signature (`personal_sign`, what `eth_account`'s
/// `encode_defunct` + `recover_message` and ethers' `verifyMessage` check) over the text
///
/// ```text
/// AgentIndex answer
/// GET /v1/agents?q=legal
/// 31337:83:0x5c1f…
/// 3b7e…(sha256 of the body, lowercase hex)
/// ```
///
/// ```swift
/// let signer = try AnswerSigner(privateKey: key)
/// let signature = try signer.signature(method: "GET", target: "/v1/agents?q=legal", block: "31337:83:0x5c1f…", body: bytes)
/// ```
public struct AnswerSigner: Sendable {
    public let address: EthereumAddress
    private let privateKey: [UInt8]

    /// - Throws: ``SignatureError/invalidPrivateKey`` unless `privateKey` is a valid 32-byte secp256k1 key.
    public init(privateKey: [UInt8]) throws(SignatureError) {
        self.address = try Secp256k1.address(privateKey: privateKey)
        self.privateKey = privateKey
    }

    /// The text that is signed for an answer.
    public static func message(method: String, target: String, block: String, bodySHA256: String) -> String {
        "AgentIndex answer\n\(method) \(target)\n\(block)\n\(bodySHA256)"
    }

    /// The lowercase hex sha256 of `body`.
    public static func sha256Hex(_ body: some Sequence<UInt8>) -> String {
        Hex.encode(Array(SHA256.hash(data: Array(body))), prefix: false)
    }

    /// `0x` + 65 bytes `r ‖ s ‖ v` (v 27 or 28) over ``message(method:target:block:bodySHA256:)``.
    public func signature(method: String, target: String, block: String, body: some Sequence<UInt8>) throws(SignatureError) -> String {
        try sign(Self.message(method: method, target: target, block: block, bodySHA256: Self.sha256Hex(body)))
    }

    /// An EIP-191 personal signature over `text`, `0x` hex.
    public func sign(_ text: String) throws(SignatureError) -> String {
        Hex.encode(try Secp256k1.sign(hash: Secp256k1.personalMessageHash(Array(text.utf8)), privateKey: privateKey))
    }
}
