import Documents
import EthereumCore
import Foundation
import Indexer
import Store
import Yams

/// Reads the YAML configuration (see `agentindex.example.yaml`).
///
/// Scalars are read as text (so `0x…` addresses are never mistaken for hex integers) after
/// `${NAME}` / `${NAME:-default}` interpolation from the environment. Unknown keys are errors,
/// so a typo never silently falls back to a default.
enum ConfigFile {
    static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(path, "cannot read the file")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw ConfigError(path, "not valid YAML: \(error)") }
        guard let root else { return AppConfig() }
        return try Reader(environment: environment).config(root)
    }

    /// Replaces `${NAME}` and `${NAME:-default}` in `text`.
    static func interpolate(_ text: String, key: String, environment: [String: String]) throws -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw ConfigError(key, "unterminated ${ in '\(text)'")
            }
            let expression = rest[start.upperBound..<end]
            let parts = expression.split(separator: ":-", maxSplits: 1, omittingEmptySubsequences: false)
                .map(String.init)
            let name = parts[0]
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw ConfigError(key, "'${\(expression)}' is not a variable name")
            }
            if let value = environment[name], !value.isEmpty {
                result += value
            } else if parts.count == 2 {
                result += parts[1]
            } else {
                throw ConfigError(key, "environment variable \(name) is not set")
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    private struct Reader {
        let environment: [String: String]

        func config(_ node: Node) throws -> AppConfig {
            var config = AppConfig()
            for (key, value) in try mapping(node, "(root)", allowed: ["database", "api", "chains", "fetch", "signing"]) {
                switch key {
                case "database": config.database = try scalar(value, key)
                case "api":
                    for (apiKey, apiValue) in try mapping(value, "api", allowed: ["listen", "searchCacheMB", "cors", "rateLimit", "publicURL"]) {
                        if apiKey == "cors" {
                            config.corsOrigins = try sequence(apiValue, "api.cors").enumerated().map { try scalar($1, "api.cors[\($0)]") }
                            continue
                        }
                        if apiKey == "rateLimit" {
                            var limit = (perSecond: 0.0, burst: 0.0)
                            for (field, number) in try mapping(apiValue, "api.rateLimit", allowed: ["perSecond", "burst"]) {
                                let text = try scalar(number, "api.rateLimit.\(field)")
                                guard let parsed = Double(text), parsed.isFinite, parsed > 0 else {
                                    throw ConfigError("api.rateLimit.\(field)", "'\(text)' is not a positive number")
                                }
                                if field == "perSecond" { limit.perSecond = parsed } else { limit.burst = parsed }
                            }
                            guard limit.perSecond > 0 else { throw ConfigError("api.rateLimit.perSecond", "is required") }
                            config.rateLimit = (limit.perSecond, max(limit.burst, limit.perSecond, 1))
                            continue
                        }
                        let text = try scalar(apiValue, "api.\(apiKey)")
                        if apiKey == "publicURL" {
                            guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
                                throw ConfigError("api.publicURL", "'\(text)' is not an http(s) URL")
                            }
                            config.publicURL = text
                            continue
                        }
                        if apiKey == "listen" {
                            config.listen = try AppConfig.ListenAddress(parsing: text, key: "api.listen")
                        } else {
                            guard let megabytes = Int(text), megabytes >= 0 else {
                                throw ConfigError("api.searchCacheMB", "'\(text)' is not a number of megabytes")
                            }
                            config.searchCacheMB = megabytes
                        }
                    }
                case "fetch": try fetch(value, into: &config)
                case "signing":
                    for (_, keyFile) in try mapping(value, "signing", allowed: ["keyFile"]) {
                        config.signingKeyFile = try scalar(keyFile, "signing.keyFile")
                    }
                default:
                    config.chains = try sequence(value, "chains").enumerated().map { try chain($1, "chains[\($0)]") }
                }
            }
            return config
        }

        func chain(_ node: Node, _ key: String) throws -> ChainConfig {
            let fields = try mapping(node, key, allowed: ["name", "chainId", "rpc", "confirmations", "pollInterval",
                                                          "blockRange", "factories", "registries", "tokens", "dust",
                                                          "rpcTimeout", "rpcAttempts", "reorgWindow", "erc8004",
                                                          "addressFilterLimit"])
            var chain = ChainConfig(name: "", chainID: 0, rpcURLs: [])
            var hasChainID = false
            var erc8004Default = false
            for (field, value) in fields {
                let path = "\(key).\(field)"
                switch field {
                case "name": chain.name = try scalar(value, path)
                case "chainId": chain.chainID = try number(value, path); hasChainID = true
                case "rpc":
                    if case .scalar = value { chain.rpcURLs = [try scalar(value, path)] }
                    else { chain.rpcURLs = try sequence(value, path).enumerated().map { try scalar($1, "\(path)[\($0)]") } }
                case "confirmations": chain.confirmations = try number(value, path)
                case "pollInterval": chain.pollInterval = try duration(value, path)
                case "blockRange": chain.blockRange = try number(value, path)
                case "rpcTimeout": chain.rpcTimeout = try duration(value, path)
                case "rpcAttempts": chain.rpcAttempts = Int(try number(value, path) as UInt64)
                case "reorgWindow": chain.reorgWindow = try number(value, path)
                case "addressFilterLimit":
                    chain.addressFilterLimit = Int(clamping: try number(value, path) as UInt64)
                    guard chain.addressFilterLimit >= 1 else { throw ConfigError(path, "must be at least 1") }
                case "factories": chain.factories = try sources(value, path, curatedAllowed: false)
                case "registries": chain.registries = try sources(value, path, curatedAllowed: true)
                case "erc8004":
                    if case .scalar = value {
                        guard try scalar(value, path) == "default" else {
                            throw ConfigError(path, "must be 'default' or a mapping of identity, reputation, validation to ADDRESS@BLOCK")
                        }
                        erc8004Default = true
                    } else {
                        chain.erc8004 = try mapping(value, path, allowed: Set(ERC8004Registry.Kind.allCases.map(\.rawValue))).map { name, entry in
                            try ConfigOptions.parseRegistry(ERC8004Registry.Kind(rawValue: name)!, scalar(entry, "\(path).\(name)"),
                                                            key: "\(path).\(name)")
                        }
                    }
                case "dust":
                    guard let entries = value.mapping else { throw ConfigError(path, "must be a mapping of asset to amount") }
                    for (assetNode, amountNode) in entries {
                        let asset = try scalar(assetNode, path)
                        let (address, amount) = try ConfigOptions.parseDust(
                            asset: asset, amount: scalar(amountNode, "\(path).\(asset)"), key: "\(path).\(asset)")
                        chain.dust[address] = amount
                    }
                default: chain.tokens = try sequence(value, path).enumerated().map { try address($1, "\(path)[\($0)]") }
                }
            }
            guard hasChainID else { throw ConfigError("\(key).chainId", "is required") }
            if erc8004Default { try ConfigOptions.applyERC8004Default(to: &chain, key: "\(key).erc8004") }
            if chain.name.isEmpty { chain.name = "chain-\(chain.chainID)" }
            return chain
        }

        /// The `fetch:` section: the document fetcher's switches, guard exceptions, limits and gateways.
        func fetch(_ node: Node, into config: inout AppConfig) throws {
            var policy = config.fetch
            let keys: Set<String> = ["enabled", "allow", "allowHTTP", "caFile", "gateways", "concurrency", "perHostConcurrency",
                                     "connectTimeout", "timeout", "maxRedirects", "maxRegistrationBytes", "maxCardBytes",
                                     "maxCompressionRatio", "refreshInterval", "minRetryDelay", "maxRetryDelay"]
            for (field, value) in try mapping(node, "fetch", allowed: keys) {
                let path = "fetch.\(field)"
                switch field {
                case "enabled": config.fetchEnabled = try flag(value, path)
                case "allowHTTP": policy.allowHTTP = try flag(value, path)
                case "allow":
                    policy.allow = try sequence(value, path).enumerated().map { index, entry in
                        let text = try scalar(entry, "\(path)[\(index)]")
                        try FetchOptions.checkAllowEntry(text, key: "\(path)[\(index)]")
                        return text
                    }
                case "caFile": policy.caFile = try scalar(value, path)
                case "gateways":
                    policy.gateways = try sequence(value, path).enumerated().map { index, entry in
                        let entryPath = "\(path)[\(index)]"
                        if case .scalar = entry { return try FetchOptions.parseGateway(scalar(entry, entryPath), key: entryPath) }
                        var gateway = IPFSGateway(url: "")
                        for (name, part) in try mapping(entry, entryPath, allowed: ["url", "trusted"]) {
                            if name == "url" { gateway = IPFSGateway(url: try FetchOptions.parseGateway(scalar(part, "\(entryPath).url"), key: "\(entryPath).url").url, trusted: gateway.trusted) }
                            else { gateway.trusted = try flag(part, "\(entryPath).trusted") }
                        }
                        guard !gateway.url.isEmpty else { throw ConfigError("\(entryPath).url", "is required") }
                        return gateway
                    }
                case "concurrency": policy.concurrency = try positive(value, path)
                case "perHostConcurrency": policy.perHostConcurrency = try positive(value, path)
                case "maxRedirects": policy.maxRedirects = Int(try number(value, path))
                case "maxRegistrationBytes": policy.maxRegistrationBytes = try positive(value, path)
                case "maxCardBytes": policy.maxCardBytes = try positive(value, path)
                case "maxCompressionRatio": policy.maxCompressionRatio = try positive(value, path)
                case "connectTimeout": policy.connectTimeout = try duration(value, path)
                case "timeout": policy.totalTimeout = try duration(value, path)
                case "refreshInterval": policy.refreshInterval = try duration(value, path)
                case "minRetryDelay": policy.minRetryDelay = try duration(value, path)
                default: policy.maxRetryDelay = try duration(value, path)
                }
            }
            config.fetch = policy
        }

        func flag(_ node: Node, _ key: String) throws -> Bool {
            switch try scalar(node, key) {
            case "true": return true
            case "false": return false
            case let other: throw ConfigError(key, "'\(other)' is not true or false")
            }
        }

        func positive(_ node: Node, _ key: String) throws -> Int {
            let value = try number(node, key)
            guard value >= 1, value <= UInt64(Int32.max) else { throw ConfigError(key, "must be a positive integer") }
            return Int(value)
        }

        func sources(_ node: Node, _ key: String, curatedAllowed: Bool) throws -> [ChainConfig.SourceEndpoint] {
            try sequence(node, key).enumerated().map { index, item in
                let path = "\(key)[\(index)]"
                let allowed: Set<String> = curatedAllowed ? ["address", "startBlock", "curated"] : ["address", "startBlock"]
                var endpoint = ChainConfig.SourceEndpoint(address: .zero, startBlock: 0)
                var hasAddress = false
                for (field, value) in try mapping(item, path, allowed: allowed) {
                    switch field {
                    case "address": endpoint.address = try address(value, "\(path).address"); hasAddress = true
                    case "startBlock": endpoint.startBlock = try number(value, "\(path).startBlock")
                    default:
                        switch try scalar(value, "\(path).curated") {
                        case "true": endpoint.curated = true
                        case "false": endpoint.curated = false
                        default: throw ConfigError("\(path).curated", "must be true or false")
                        }
                    }
                }
                guard hasAddress else { throw ConfigError("\(path).address", "is required") }
                return endpoint
            }
        }

        func mapping(_ node: Node, _ key: String, allowed: Set<String>) throws -> [(String, Node)] {
            guard let mapping = node.mapping else { throw ConfigError(key, "must be a mapping") }
            return try mapping.map { pair in
                guard let name = pair.key.scalar?.string else { throw ConfigError(key, "keys must be text") }
                guard allowed.contains(name) else {
                    throw ConfigError(key == "(root)" ? name : "\(key).\(name)",
                                      "unknown key (expected one of: \(allowed.sorted().joined(separator: ", ")))")
                }
                return (name, pair.value)
            }
        }

        func sequence(_ node: Node, _ key: String) throws -> [Node] {
            guard let sequence = node.sequence else { throw ConfigError(key, "must be a list") }
            return Array(sequence)
        }

        func scalar(_ node: Node, _ key: String) throws -> String {
            guard let text = node.scalar?.string else { throw ConfigError(key, "must be a single value") }
            return try ConfigFile.interpolate(text, key: key, environment: environment)
        }

        func number(_ node: Node, _ key: String) throws -> UInt64 {
            let text = try scalar(node, key).replacingOccurrences(of: "_", with: "")
            guard let value = UInt64(text) else { throw ConfigError(key, "'\(text)' is not a non-negative integer") }
            return value
        }

        func address(_ node: Node, _ key: String) throws -> EthereumAddress {
            try ConfigOptions.parseAddress(scalar(node, key), key: key)
        }

        func duration(_ node: Node, _ key: String) throws -> Duration {
            try ConfigOptions.parseDuration(scalar(node, key), key: key)
        }
    }
}
