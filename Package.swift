// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "AgentIndex",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "agentindex", targets: ["agentindex"]),
        .library(name: "EthereumCore", targets: ["EthereumCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // libsecp256k1 from Debian (libsecp256k1-dev), recovery module included.
        .systemLibrary(
            name: "CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]
        ),
        // libcurl (libcurl4-openssl-dev) behind non-variadic C wrappers.
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        // Hex, keccak-256, addresses, 256-bit integers, ABI, RLP, signature recovery. No I/O.
        .target(
            name: "EthereumCore",
            dependencies: ["CSecp256k1"]
        ),
        // JSON-RPC 2.0 over HTTP through libcurl: batching, typed calls and errors.
        .target(
            name: "ChainRPC",
            dependencies: ["CCurl", "EthereumCore"]
        ),
        // The domain: AgentCards, x402 terms, decoding with limits, A2A JSON.
        .target(
            name: "AgentCards",
            dependencies: ["EthereumCore"]
        ),
        // The command line.
        .executableTarget(
            name: "agentindex",
            dependencies: [
                "EthereumCore",
                "AgentCards",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Throughput of the Ethereum core (`make bench`).
        .executableTarget(
            name: "agentindex-bench",
            dependencies: ["EthereumCore"],
            path: "Benchmarks/CoreThroughput"
        ),
        .testTarget(
            name: "EthereumCoreTests",
            dependencies: ["EthereumCore"]
        ),
        .testTarget(
            name: "AgentCardsTests",
            dependencies: ["AgentCards", "EthereumCore"]
        ),
        // Runs the built binary and the real local EVM (Tests/Devnet).
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["EthereumCore", "AgentCards", "ChainRPC"]
        ),
    ]
)
