import ArgumentParser
import Documents

/// The document fetcher's flags; they override the `fetch:` section of the config file.
struct FetchOptions: ParsableArguments {
    @Flag(name: .customLong("no-fetch"), help: "Do not fetch off-chain documents (registration files, A2A cards, domain proofs, feedback files).")
    var noFetch = false

    @Option(name: .customLong("fetch-allow"), help: "An ADDRESS:PORT or HOST:PORT the SSRF guard lets through (repeatable; tests, private deployments).")
    var allow: [String] = []

    @Flag(name: .customLong("fetch-allow-http"), help: "Fetch http: URLs too (off by default).")
    var allowHTTP = false

    @Option(name: .customLong("fetch-ca-file"), help: "A PEM file of extra certificate authorities for https: documents.")
    var caFile: String?

    @Option(name: .customLong("ipfs-gateway"), help: "An IPFS gateway origin, URL[,trusted] (repeatable; replaces the default list).")
    var gateways: [String] = []

    /// Applies the flags to `config`.
    func apply(to config: inout AppConfig) throws {
        if noFetch { config.fetchEnabled = false }
        for entry in allow {
            try Self.checkAllowEntry(entry, key: "--fetch-allow")
            config.fetch.allow.append(entry)
        }
        if allowHTTP { config.fetch.allowHTTP = true }
        if let caFile { config.fetch.caFile = caFile }
        if !gateways.isEmpty { config.fetch.gateways = try gateways.map { try Self.parseGateway($0, key: "--ipfs-gateway") } }
    }

    /// `HOST:PORT` or `ADDRESS:PORT` (IPv6 in brackets).
    static func checkAllowEntry(_ text: String, key: String) throws {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex, let port = Int(text[text.index(after: colon)...]),
              (1...65_535).contains(port) else {
            throw ConfigError(key, "'\(text)' is not HOST:PORT")
        }
    }

    /// `https://gateway.example[,trusted]`.
    static func parseGateway(_ text: String, key: String) throws -> IPFSGateway {
        let parts = text.split(separator: ",", maxSplits: 1).map(String.init)
        guard let first = parts.first, (try? FetchURL(first)) != nil else { throw ConfigError(key, "'\(text)' is not an http(s) URL") }
        guard parts.count == 1 || parts[1] == "trusted" else { throw ConfigError(key, "the only option after ',' is 'trusted'") }
        return IPFSGateway(url: first, trusted: parts.count == 2)
    }
}
