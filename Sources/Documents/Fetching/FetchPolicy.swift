/// How the document fetcher may use the network: the guard's exceptions, the limits on every
/// answer, the IPFS gateways, and the schedule of retries and refreshes. Set from the `fetch:`
/// section of the config; the defaults suit a public deployment.
///
/// ```swift
/// var policy = FetchPolicy()
/// policy.allow = ["127.0.0.1:8080"]        // a test server on loopback
/// policy.caFile = "/tmp/test-ca.pem"
/// ```
public struct FetchPolicy: Sendable, Hashable {
    /// `address:port` or `host:port` pairs the SSRF guard lets through (tests, private deployments).
    public var allow: [String] = []
    /// Whether `http:` URLs are fetched at all (off: `documentStatus: "unsupported"`).
    public var allowHTTP = false
    /// A PEM file of extra certificate authorities trusted for `https:` (besides the system's).
    public var caFile: String?
    /// IPFS gateways, tried in turn.
    public var gateways: [IPFSGateway] = IPFSGateway.defaults

    public var connectTimeout: Duration = .seconds(5)
    /// The most one attempt may take, redirects included.
    public var totalTimeout: Duration = .seconds(20)
    public var maxRedirects = 3
    /// The largest registration file (and feedback file, domain proof) accepted, after decompression.
    public var maxRegistrationBytes = 262_144
    /// The largest A2A card accepted, after decompression.
    public var maxCardBytes = 65_536
    /// A compressed answer may expand to at most this many times its size.
    public var maxCompressionRatio = 100
    /// Documents fetched at once, and at once from one host.
    public var concurrency = 16
    public var perHostConcurrency = 4
    /// How often an `https:` document that was fetched is fetched again (IPFS content never changes).
    public var refreshInterval: Duration = .seconds(86_400)
    /// The first retry after a failure; each further failure doubles it, up to `maxRetryDelay`.
    public var minRetryDelay: Duration = .seconds(60)
    public var maxRetryDelay: Duration = .seconds(86_400)

    public init() {}
}

/// An IPFS gateway: an origin that serves `/ipfs/CID[/path]`. Content from a gateway is checked
/// against its CID (CAR or raw blocks); a `trusted` gateway may also answer with plain bytes,
/// which are then accepted unchecked (`contentVerified: false`).
public struct IPFSGateway: Sendable, Hashable {
    public var url: String
    public var trusted: Bool

    public init(url: String, trusted: Bool = false) { self.url = url; self.trusted = trusted }

    /// Public gateways that answer trustless (CAR and raw block) requests.
    public static let defaults = [
        IPFSGateway(url: "https://trustless-gateway.link"),
        IPFSGateway(url: "https://ipfs.io"),
        IPFSGateway(url: "https://dweb.link"),
    ]
}
