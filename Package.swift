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
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libsecp256k1 from Debian (libsecp256k1-dev), recovery module included.
        .systemLibrary(
            name: "CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]
        ),
        // zlib from Debian (zlib1g-dev): gzip payloads of data: URIs.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
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
        // JSON-RPC 2.0 over HTTP through libcurl: batching, retries, failover, typed calls and errors.
        .target(
            name: "ChainRPC",
            dependencies: ["CCurl", "EthereumCore", .product(name: "Metrics", package: "swift-metrics")]
        ),
        // The domain: AgentCards, x402 terms, ERC-8004 registration files, decoding with limits, A2A JSON.
        .target(
            name: "AgentCards",
            dependencies: ["EthereumCore", "CZlib"]
        ),
        // Payment rules, reputation metrics, the versioned score formula, snapshot rows. Pure;
        // needs only addresses, 256-bit amounts and JSON from EthereumCore.
        .target(
            name: "Reputation",
            dependencies: ["EthereumCore"]
        ),
        // SQLite through GRDB: migrations, FTS5, one transaction per block range, queries.
        .target(
            name: "Store",
            dependencies: [
                "AgentCards",
                "EthereumCore",
                "Reputation",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The C API, for reading a million payment rows in place (PaymentFold).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The follower: block ranges, factory children, registries, cards, checkpoints.
        .target(
            name: "Indexer",
            dependencies: [
                "ChainRPC",
                "EthereumCore",
                "AgentCards",
                "Store",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The off-chain document fetcher: registration files, A2A cards, domain proofs and feedback
        // files over https: and IPFS, behind the SSRF guard; CID, JWS and JCS checks.
        .target(
            name: "Documents",
            dependencies: [
                "CCurl",
                "EthereumCore",
                "AgentCards",
                "Store",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // Hummingbird routes: query parsing, JSON responses.
        .target(
            name: "DiscoveryAPI",
            dependencies: [
                "Store",
                "AgentCards",
                "EthereumCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The MCP server: the discovery operations as MCP tools, over Streamable HTTP at /mcp and over stdio.
        .target(
            name: "MCPServer",
            dependencies: [
                "DiscoveryAPI",
                "Store",
                "EthereumCore",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // The command line.
        .executableTarget(
            name: "agentindex",
            dependencies: [
                "MCPServer",
                "EthereumCore",
                "AgentCards",
                "ChainRPC",
                "Store",
                "Indexer",
                "DiscoveryAPI",
                "Documents",
                "Reputation",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer's driver, declared weak (header only): the fuzz targets link in any build.
        .systemLibrary(
            name: "CFuzzerDriver",
            path: "Sources/CFuzzerDriver"
        ),
        // Runs libFuzzer for a fuzz target, or explains how to build one.
        .target(
            name: "FuzzDriver",
            dependencies: ["CFuzzerDriver"],
            path: "Fuzz/FuzzDriver"
        ),
        // Fuzz targets (`make fuzz`): built with -sanitize=fuzzer in .build-fuzz.
        .executableTarget(
            name: "abi-decoder-fuzz",
            dependencies: ["EthereumCore", "FuzzDriver"],
            path: "Fuzz/ABIDecoderFuzz"
        ),
        .executableTarget(
            name: "card-decoder-fuzz",
            dependencies: ["AgentCards", "EthereumCore", "FuzzDriver"],
            path: "Fuzz/CardDecoderFuzz"
        ),
        .executableTarget(
            name: "registration-fuzz",
            dependencies: ["AgentCards", "EthereumCore", "FuzzDriver"],
            path: "Fuzz/RegistrationFuzz"
        ),
        .executableTarget(
            name: "document-fuzz",
            dependencies: ["Documents", "AgentCards", "EthereumCore", "FuzzDriver"],
            path: "Fuzz/DocumentFuzz"
        ),
        .executableTarget(
            name: "logs-answer-fuzz",
            dependencies: ["ChainRPC", "EthereumCore", "FuzzDriver"],
            path: "Fuzz/LogsAnswerFuzz"
        ),
        // Throughput of the Ethereum core (`make bench`).
        .executableTarget(
            name: "agentindex-bench",
            dependencies: ["EthereumCore", "ChainRPC", "Store", "DiscoveryAPI"],
            path: "Benchmarks/CoreThroughput"
        ),
        // What several test targets share: a seedable random generator.
        .target(
            name: "TestSupport",
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "EthereumCoreTests",
            dependencies: ["EthereumCore", "TestSupport"]
        ),
        .testTarget(
            name: "AgentCardsTests",
            dependencies: ["AgentCards", "EthereumCore", "TestSupport"]
        ),
        // Runs the built binary and the real local EVM (Tests/Devnet).
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["EthereumCore", "AgentCards", "ChainRPC", "TestSupport"]
        ),
        .testTarget(
            name: "ReputationTests",
            dependencies: ["Reputation", "EthereumCore"]
        ),
        .testTarget(
            name: "ChainRPCTests",
            dependencies: ["ChainRPC"]
        ),
        .testTarget(
            name: "IndexerTests",
            dependencies: ["Indexer", "ChainRPC"]
        ),
        .testTarget(
            name: "DocumentsTests",
            dependencies: ["Documents", "Store", "AgentCards", "EthereumCore", "TestSupport",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: ["Store", "AgentCards", "EthereumCore", "TestSupport"]
        ),
    ]
)
