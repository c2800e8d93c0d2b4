/// The chain an x402 `network` names: CAIP-2 (`eip155:8453`, x402 v2) or the names x402 v1 used
/// (`base`, `base-sepolia`, …). Terms count as payees only on the chain they name.
///
/// ```swift
/// X402Network.chainID("eip155:8453")   // 8453
/// X402Network.chainID("base")          // 8453
/// X402Network.chainID("solana")        // nil
/// ```
public enum X402Network {
    /// The x402 v1 network names of EVM chains.
    public static let names: [String: UInt64] = [
        "ethereum": 1, "mainnet": 1, "sepolia": 11_155_111,
        "base": 8_453, "base-sepolia": 84_532,
        "optimism": 10, "optimism-sepolia": 11_155_420,
        "arbitrum": 42_161, "arbitrum-sepolia": 421_614,
        "polygon": 137, "polygon-amoy": 80_002,
        "avalanche": 43_114, "avalanche-fuji": 43_113,
        "bsc": 56, "gnosis": 100, "linea": 59_144, "scroll": 534_352, "celo": 42_220,
        "iotex": 4_689, "sei": 1_329, "sei-testnet": 1_328, "abstract": 2_741, "abstract-testnet": 11_124,
    ]

    /// The EVM chain id `network` names, or nil for another family or an unknown name.
    public static func chainID(_ network: String) -> UInt64? {
        let lowered = network.lowercased()
        if lowered.hasPrefix("eip155:") {
            let reference = lowered.dropFirst(7)
            guard !reference.isEmpty, reference.count <= 20, reference.allSatisfy(\.isASCII), reference.first != "0" else { return nil }
            return UInt64(reference)
        }
        return names[lowered]
    }
}
