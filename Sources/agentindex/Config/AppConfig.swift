import Documents
import EthereumCore
import Indexer
import Store

/// The whole configuration: where the database is, where the API listens, which chains to follow.
/// Read from YAML (``ConfigFile``) and overridden by flags (``ConfigOptions``).
struct AppConfig {
    var database: String = "agentindex.sqlite"
    var listen = ListenAddress(host: "127.0.0.1", port: 8080)
    /// Memory for repeated search pages, emptied at every commit (``SearchCache``); 0 turns it off.
    var searchCacheMB = 16
    /// Browser origins allowed to read the API (`api.cors`): `*` (the default) for any, empty for none.
    var corsOrigins = ["*"]
    /// Requests a second, and burst, per client address (`api.rateLimit`); nil (the default): no limit.
    var rateLimit: (perSecond: Double, burst: Double)?
    /// The URL clients reach the API at (`api.publicURL`), for AgentIndex's own A2A card; nil:
    /// `http://` and the request's Host.
    var publicURL: String?
    var chains: [ChainConfig] = []
    /// Whether `run` and `index` fetch off-chain documents (registration files, A2A cards, …).
    var fetchEnabled = true
    /// How the document fetcher may use the network (the `fetch:` section).
    var fetch = FetchPolicy()
    /// The secp256k1 key that signs the API's answers (`signing.keyFile`); nil: beside the
    /// database, `<database>.key`. Created with mode 0600 when absent.
    var signingKeyFile: String?
    /// The key file in use.
    var resolvedSigningKeyFile: String { signingKeyFile ?? database + ".key" }

    /// `host:port`; port 0 picks a free port.
    struct ListenAddress: CustomStringConvertible {
        var host: String
        var port: Int

        init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        init(parsing text: String, key: String) throws {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                  (0...65_535).contains(port), colon != text.startIndex else {
                throw ConfigError(key, "'\(text)' is not host:port")
            }
            host = String(text[..<colon])
            self.port = port
        }

        var description: String { "\(host):\(port)" }
    }

    /// Checks what every command that follows chains needs.
    func validateChains() throws {
        guard !chains.isEmpty else {
            throw ConfigError("chains", "no chain configured (give --rpc, --chain-id and --factory/--registry, or --config FILE)")
        }
        var ids = Set<UInt64>()
        for (index, chain) in chains.enumerated() {
            let key = "chains[\(index)]"
            guard ids.insert(chain.chainID).inserted else { throw ConfigError("\(key).chainId", "chain \(chain.chainID) appears twice") }
            guard !chain.rpcURLs.isEmpty else { throw ConfigError("\(key).rpc", "at least one RPC URL is required") }
            for url in chain.rpcURLs where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                throw ConfigError("\(key).rpc", "'\(url)' is not an http(s) URL")
            }
            guard !(chain.factories.isEmpty && chain.registries.isEmpty && chain.erc8004.isEmpty) else {
                throw ConfigError("\(key)", "needs at least one factory, registry or ERC-8004 registry")
            }
            for kind in ERC8004Registry.Kind.allCases where chain.erc8004.filter({ $0.kind == kind }).count > 1 {
                throw ConfigError("\(key).erc8004.\(kind.rawValue)", "is given more than once")
            }
            if !chain.erc8004.isEmpty, chain.erc8004Registry(.identity) == nil {
                throw ConfigError("\(key).erc8004", "reputation and validation registries name agents of an identity registry: give identity too")
            }
            guard chain.blockRange >= 1 else { throw ConfigError("\(key).blockRange", "must be at least 1") }
            guard chain.rpcAttempts >= 1 else { throw ConfigError("\(key).rpcAttempts", "must be at least 1") }
            guard chain.rpcTimeout > .zero else { throw ConfigError("\(key).rpcTimeout", "must be positive") }
        }
    }
}
