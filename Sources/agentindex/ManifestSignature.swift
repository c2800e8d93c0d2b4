import DiscoveryAPI
import EthereumCore
import Store

/// The signature of a snapshot manifest, written to `FILE.manifest.json.sig`:
/// `{"signer":"0x…","block":"<chainId>:<number>:<hash>","signature":"0x…"}`, an EIP-191 personal
/// signature over
///
/// ```text
/// AgentIndex snapshot
/// <chainId>:<number>:<hash>
/// <sha256 hex of the manifest file's bytes>
/// ```
///
/// The manifest holds the snapshot file's sha256, so the signature covers the snapshot too.
enum ManifestSignature {
    static func make(manifest: [UInt8], plan: SnapshotPlan, signer: AnswerSigner) throws -> JSONValue {
        let block = "\(plan.chainID):\(plan.atBlock):\(plan.clockBlock == plan.atBlock && !plan.clockBlockHash.isEmpty ? plan.clockBlockHash : "unknown")"
        let text = "AgentIndex snapshot\n\(block)\n\(AnswerSigner.sha256Hex(manifest))"
        return .object([("signer", .string(signer.address.checksummed)), ("block", .string(block)),
                        ("signature", .string(try signer.sign(text)))])
    }
}
