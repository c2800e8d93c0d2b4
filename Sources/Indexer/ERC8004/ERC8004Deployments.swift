import EthereumCore
import Store

/// Where the ERC-8004 registries are deployed: the same vanity addresses on every chain, one set
/// for mainnets and one for testnets (erc-8004/erc-8004-contracts, contracts v2.0.0), the first
/// blocks a public subgraph saw them at, and the chain's native USDC (Circle's own contract) to
/// follow as a payment token. What `erc8004: default` resolves to.
///
/// ```swift
/// let base = try ERC8004Deployments.default(chainID: 8453)
/// base.registries.map(\.kind)   // [.identity, .reputation]: no Validation Registry is deployed yet
/// base.usdc                     // 0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913
/// ```
public enum ERC8004Deployments {
    /// A chain's registries and payment token under `erc8004: default`.
    public struct Deployment: Sendable, Hashable {
        public var registries: [ERC8004Registry]
        /// Circle's USDC on the chain; nil where Circle issues none (BSC, Gnosis, Scroll, …).
        public var usdc: EthereumAddress?
        /// False when the first block is not known: the follower starts at block 0.
        public var startKnown: Bool
    }

    /// Why a chain has no default deployment.
    public struct UnknownChain: Error, CustomStringConvertible {
        public let chainID: UInt64
        public var description: String {
            "chain \(chainID) has no known ERC-8004 deployment; name the registries (erc8004: {identity: ADDRESS@BLOCK, …})"
        }
    }

    static let mainnetIdentity = try! EthereumAddress("0x8004A169FB4a3325136EB29fA0ceB6D2e539a432")
    static let mainnetReputation = try! EthereumAddress("0x8004BAa17C55a88189AE136b182e5fdA19dE9b63")
    static let testnetIdentity = try! EthereumAddress("0x8004A818BFB912233c491871b3d84c89A494BD9e")
    static let testnetReputation = try! EthereumAddress("0x8004B663056A597Dffe9eCcC1965A193B7388713")

    /// Mainnets with the registries (the contracts repository's list).
    public static let mainnets: Set<UInt64> = [1, 8453, 42161, 10, 137, 43114, 56, 143, 534352, 100, 42220, 167000, 59144, 4326, 196,
                                               2741, 5000, 1868, 2345, 1088, 295, 1187947933, 360]
    /// Testnets with the registries (a local chain, 31337, is not one: nothing is deployed there).
    public static let testnets: Set<UInt64> = [11155111, 84532, 421614, 11155420, 80002, 43113, 97, 10143, 534351, 10200, 11142220,
                                               167013, 6343, 59141, 1952, 11124, 5003, 1946, 48816, 59902, 296, 324705682, 5042002, 11011]

    /// First blocks seen by a public subgraph: (identity, reputation).
    static let firstBlocks: [UInt64: (UInt64, UInt64)] = [
        1: (24_339_924, 24_339_924), 8453: (41_663_799, 41_663_801), 56: (79_031_671, 79_031_671),
        137: (82_458_528, 82_458_528), 11155111: (9_980_000, 9_980_000), 84532: (37_174_254, 37_174_254),
    ]

    /// Circle's native USDC per chain.
    public static let usdc: [UInt64: EthereumAddress] = [
        1: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", 8453: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
        42161: "0xaf88d065e77c8cC2239327C5EDb3A432268e5831", 10: "0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85",
        137: "0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359", 43114: "0xB97EF9Ef8734C71904D8002F8b6Bc66Dd9c48a6E",
        59144: "0x176211869cA2b568f2A7D4EE941E073a821EE1ff", 42220: "0xcebA9300f2b948710d2653dD7B07f33A8B32118C",
        11155111: "0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238", 84532: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
        421614: "0x75faf114eafb1BDbe2F0316DF893fd58CE46AA4d", 11155420: "0x5fd84259d66Cd46123540766Be93DFE6D43130D7",
        80002: "0x41E94Eb019C0762f9Bfcf9Fb1E58725BfB0e7582", 43113: "0x5425890298aed601595a70AB815c96711a31Bc65",
    ].mapValues { try! EthereumAddress($0.lowercased()) }

    /// The deployment `erc8004: default` means on `chainID`.
    /// - Throws: ``UnknownChain`` for a chain with no known deployment.
    public static func `default`(chainID: UInt64) throws(UnknownChain) -> Deployment {
        let mainnet = mainnets.contains(chainID)
        guard mainnet || testnets.contains(chainID) else { throw UnknownChain(chainID: chainID) }
        let first = firstBlocks[chainID]
        return Deployment(registries: [
            ERC8004Registry(kind: .identity, address: mainnet ? mainnetIdentity : testnetIdentity, startBlock: first?.0 ?? 0),
            ERC8004Registry(kind: .reputation, address: mainnet ? mainnetReputation : testnetReputation, startBlock: first?.1 ?? 0),
        ], usdc: usdc[chainID], startKnown: first != nil)
    }
}
