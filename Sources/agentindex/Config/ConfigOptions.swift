import ArgumentParser
import EthereumCore
import Indexer
import Store

/// The flags every long-running command shares. They override the YAML file for the single-chain
/// case, so a one-off run needs no file:
///
/// ```
/// agentindex run --rpc http://127.0.0.1:8545 --chain-id 31337 --factory 0xDe09…@3 --registry 0x51a2…@5
/// ```
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "The YAML configuration file (see agentindex.example.yaml).")
    var config: String?

    @Option(name: .long, help: "The SQLite database file.")
    var db: String?

    @Option(name: .long, help: "The API's listen address, HOST:PORT (port 0 picks a free port).")
    var listen: String?

    @Option(name: .customLong("signing-key"), help: "The secp256k1 key file that signs the API's answers (default: <db>.key; created, mode 0600, when absent).")
    var signingKey: String?

    @Option(name: .customLong("search-cache-mb"), help: "Memory for repeated search pages, emptied at every commit (0: off; default 16).")
    var searchCacheMB: Int?

    @Option(name: .long, help: "A JSON-RPC URL (repeatable).")
    var rpc: [String] = []

    @Option(name: .customLong("chain-id"), help: "The chain id the RPC must serve.")
    var chainID: UInt64?

    @Option(name: .long, help: "The chain's name in status and logs.")
    var name: String?

    @Option(name: .long, help: "A factory to follow, ADDRESS[@START_BLOCK] (repeatable).")
    var factory: [String] = []

    @Option(name: .long, help: "A registry to follow, ADDRESS[@START_BLOCK] (repeatable).")
    var registry: [String] = []

    @Option(name: .long, help: "'default': the published ERC-8004 registries of the chain (and its USDC as a payment token).")
    var erc8004: String?

    @Option(name: .customLong("erc8004-identity"), help: "An ERC-8004 Identity Registry, ADDRESS[@START_BLOCK].")
    var erc8004Identity: String?

    @Option(name: .customLong("erc8004-reputation"), help: "An ERC-8004 Reputation Registry, ADDRESS[@START_BLOCK].")
    var erc8004Reputation: String?

    @Option(name: .customLong("erc8004-validation"), help: "An ERC-8004 Validation Registry, ADDRESS[@START_BLOCK].")
    var erc8004Validation: String?

    @Option(name: .long, help: "An ERC-20 payment token, ADDRESS (repeatable).")
    var token: [String] = []

    @Option(name: .long, help: "A dust threshold, ASSET=AMOUNT in atomic units; ASSET is an address or 'native' (repeatable).")
    var dust: [String] = []

    @Option(name: .long, help: "Index up to head minus this many blocks.")
    var confirmations: UInt64?

    @Option(name: .customLong("poll-interval"), help: "Time between head polls once caught up (e.g. 2s, 500ms).")
    var pollInterval: String?

    @Option(name: .customLong("block-range"), help: "The largest block range per eth_getLogs round.")
    var blockRange: UInt64?

    @Option(name: .customLong("address-filter-limit"),
            help: "Above this many agents or payees, fetch their logs by topic and match them here (default 1000).")
    var addressFilterLimit: Int?

    @Option(name: .customLong("rpc-timeout"), help: "Time limit of one JSON-RPC request (e.g. 30s, 500ms).")
    var rpcTimeout: String?

    @Option(name: .customLong("rpc-attempts"), help: "Sends per request before a transient failure is given up.")
    var rpcAttempts: Int?

    @Option(name: .customLong("reorg-window"), help: "Blocks below the head that may reorganise when the node has no 'finalized' tag.")
    var reorgWindow: UInt64?

    private var hasChainFlags: Bool {
        !rpc.isEmpty || chainID != nil || name != nil || !factory.isEmpty || !registry.isEmpty || !token.isEmpty
            || erc8004 != nil || erc8004Identity != nil || erc8004Reputation != nil || erc8004Validation != nil
            || !dust.isEmpty || confirmations != nil || pollInterval != nil || blockRange != nil
            || rpcTimeout != nil || rpcAttempts != nil || reorgWindow != nil || addressFilterLimit != nil
    }

    /// The file's configuration with the flags applied.
    func resolve() throws -> AppConfig {
        var config = try self.config.map { try ConfigFile.load(path: $0) } ?? AppConfig()
        if let db { config.database = db }
        if let listen { config.listen = try AppConfig.ListenAddress(parsing: listen, key: "--listen") }
        if let signingKey { config.signingKeyFile = signingKey }
        if let searchCacheMB {
            guard searchCacheMB >= 0 else { throw ConfigError("--search-cache-mb", "must be 0 or more") }
            config.searchCacheMB = searchCacheMB
        }
        guard hasChainFlags else { return config }
        guard config.chains.count <= 1 else {
            throw ConfigError("chains", "chain flags (--rpc, --factory, …) apply to a single chain; the file has \(config.chains.count)")
        }
        var chain = config.chains.first ?? ChainConfig(name: "", chainID: 0, rpcURLs: [])
        if config.chains.isEmpty {
            guard let chainID else { throw ConfigError("--chain-id", "is required when no config file names the chain") }
            chain.chainID = chainID
        }
        if let chainID { chain.chainID = chainID }
        if let name { chain.name = name }
        if chain.name.isEmpty { chain.name = "chain-\(chain.chainID)" }
        if !rpc.isEmpty { chain.rpcURLs = rpc }
        if !factory.isEmpty { chain.factories = try factory.map { try Self.parseSource($0, key: "--factory") } }
        if !registry.isEmpty { chain.registries = try registry.map { try Self.parseSource($0, key: "--registry") } }
        if !token.isEmpty { chain.tokens = try token.map { try Self.parseAddress($0, key: "--token") } }
        if let erc8004 {
            guard erc8004 == "default" else { throw ConfigError("--erc8004", "the only value is 'default' (else give --erc8004-identity …)") }
            try Self.applyERC8004Default(to: &chain, key: "--erc8004")
        }
        for (kind, flag) in [(ERC8004Registry.Kind.identity, erc8004Identity), (.reputation, erc8004Reputation),
                             (.validation, erc8004Validation)] {
            guard let flag else { continue }
            chain.erc8004.removeAll { $0.kind == kind }
            chain.erc8004.append(try Self.parseRegistry(kind, flag, key: "--erc8004-\(kind.rawValue)"))
        }
        if !dust.isEmpty {
            chain.dust = [:]
            for entry in dust {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw ConfigError("--dust", "'\(entry)' is not ASSET=AMOUNT") }
                let (asset, amount) = try Self.parseDust(asset: parts[0], amount: parts[1], key: "--dust")
                chain.dust[asset] = amount
            }
        }
        if let confirmations { chain.confirmations = confirmations }
        if let pollInterval { chain.pollInterval = try Self.parseDuration(pollInterval, key: "--poll-interval") }
        if let blockRange { chain.blockRange = blockRange }
        if let rpcTimeout { chain.rpcTimeout = try Self.parseDuration(rpcTimeout, key: "--rpc-timeout") }
        if let rpcAttempts { chain.rpcAttempts = rpcAttempts }
        if let reorgWindow { chain.reorgWindow = reorgWindow }
        if let addressFilterLimit {
            guard addressFilterLimit >= 1 else { throw ConfigError("--address-filter-limit", "must be at least 1") }
            chain.addressFilterLimit = addressFilterLimit
        }
        config.chains = [chain]
        return config
    }

    /// `ADDRESS[@BLOCK]`.
    static func parseSource(_ text: String, key: String) throws -> ChainConfig.SourceEndpoint {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let address = try parseAddress(parts[0], key: key)
        guard parts.count == 2 else { return .init(address: address, startBlock: 0) }
        guard let block = UInt64(parts[1]) else { throw ConfigError(key, "'\(parts[1])' is not a block number") }
        return .init(address: address, startBlock: block)
    }

    /// An ERC-8004 registry, `ADDRESS[@BLOCK]`.
    static func parseRegistry(_ kind: ERC8004Registry.Kind, _ text: String, key: String) throws -> ERC8004Registry {
        let source = try parseSource(text, key: key)
        return ERC8004Registry(kind: kind, address: source.address, startBlock: source.startBlock)
    }

    /// `erc8004: default`: the published registries of the chain, from their first known blocks,
    /// and Circle's USDC on the chain as a payment token.
    static func applyERC8004Default(to chain: inout ChainConfig, key: String) throws {
        let deployment: ERC8004Deployments.Deployment
        do { deployment = try ERC8004Deployments.default(chainID: chain.chainID) } catch { throw ConfigError(key, error.description) }
        chain.erc8004 = deployment.registries
        if let usdc = deployment.usdc, !chain.tokens.contains(usdc) { chain.tokens.append(usdc) }
    }

    /// An address in any case (checksums are not enforced in configuration).
    static func parseAddress(_ text: String, key: String) throws -> EthereumAddress {
        guard let address = try? EthereumAddress(text.lowercased()) else { throw ConfigError(key, "'\(text)' is not an address") }
        return address
    }

    /// A dust threshold: `native` or an address, and a decimal amount in atomic units.
    static func parseDust(asset: String, amount: String, key: String) throws -> (EthereumAddress, UInt256) {
        let address = asset == "native" ? EthereumAddress.zero : try parseAddress(asset, key: key)
        guard let value = UInt256(decimal: amount.replacingOccurrences(of: "_", with: "")) else {
            throw ConfigError(key, "'\(amount)' is not a non-negative integer amount")
        }
        return (address, value)
    }

    /// `2s`, `500ms`, `1m`, `6h`, `1d` or a plain number of seconds.
    static func parseDuration(_ text: String, key: String) throws -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let value = Double(text.dropLast(suffix.count)), value >= 0 { return .milliseconds(Int64(value * scale * 1000)) }
        }
        if let value = Double(text), value >= 0 { return .milliseconds(Int64(value * 1000)) }
        throw ConfigError(key, "'\(text)' is not a duration (e.g. 2s, 500ms, 1d)")
    }
}
