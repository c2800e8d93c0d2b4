#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The SSRF guard: decides, for each URL (and each redirect), whether it may be fetched and the
/// one address it will be fetched from.
///
/// The host is resolved here, every address is judged by ``AddressPolicy``, and the first public
/// one is returned for the HTTP client to connect to (pinned: no second lookup that a DNS answer
/// with a short TTL could turn into a private address). Ports other than 80 and 443 are refused.
/// `http:` is refused unless the policy allows it. Special-use names (``SpecialUseName``: `.local`,
/// `.internal`, `.localhost`, `.example`, …) are refused before any lookup. Pairs in ``FetchPolicy/allow`` (`address:port`
/// or `host:port`) pass whatever their address.
///
/// ```swift
/// let guard = FetchGuard(policy: policy)
/// let address = try guard.pin(FetchURL("https://agent.example.com/card.json"))
/// ```
public struct FetchGuard: Sendable {
    public let policy: FetchPolicy
    /// Resolves a host name to addresses (getaddrinfo by default; tests substitute answers).
    public var resolve: @Sendable (String) throws(FetchFailure) -> [IPAddress]

    public init(policy: FetchPolicy, resolve: @escaping @Sendable (String) throws(FetchFailure) -> [IPAddress] = FetchGuard.systemResolve) {
        self.policy = policy
        self.resolve = resolve
    }

    /// The address to connect to for `url`.
    /// - Throws: ``FetchFailure`` `.unsupported` (http: not allowed), `.refused` (address, port or
    ///   a special-use name),
    ///   `.failed` (the name does not resolve).
    public func pin(_ url: FetchURL) throws(FetchFailure) -> IPAddress {
        if url.scheme == .http, !policy.allowHTTP {
            throw FetchFailure(.unsupported, "http: URLs are not fetched (fetch.allowHTTP is off)")
        }
        let addresses: [IPAddress]
        if let literal = IPAddress(url.host) {
            addresses = [literal]
        } else {
            if !allowedByName(url), let why = SpecialUseName.refusal(for: url.host) { throw FetchFailure(.refused, why) }
            addresses = try resolve(url.host)
        }
        guard !addresses.isEmpty else { throw FetchFailure(.failed, "\(url.host) has no address") }
        if allowedByName(url) { return addresses[0] }
        if let allowed = addresses.first(where: { policy.allow.contains("\($0.urlForm):\(url.port)") || policy.allow.contains("\($0):\(url.port)") }) {
            return allowed
        }
        var reasons: [String] = []
        var chosen: IPAddress?
        for address in addresses {
            if let why = AddressPolicy.refusal(for: address) { reasons.append(why) } else { chosen = address; break }
        }
        guard let chosen else {
            throw FetchFailure(.refused, IPAddress(url.host) != nil ? reasons[0]
                               : "\(url.host) resolves only to refused addresses: " + reasons.prefix(3).joined(separator: "; "))
        }
        guard url.port == 80 || url.port == 443 else {
            throw FetchFailure(.refused, "port \(url.port) is not 80 or 443")
        }
        return chosen
    }

    private func allowedByName(_ url: FetchURL) -> Bool {
        IPAddress(url.host) == nil && policy.allow.contains("\(url.host):\(url.port)")
    }

    /// getaddrinfo, TCP addresses of both families, in the resolver's order.
    public static let systemResolve: @Sendable (String) throws(FetchFailure) -> [IPAddress] = { host throws(FetchFailure) in
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        guard status == 0, let first = result else {
            throw FetchFailure(.failed, "\(host) does not resolve: \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            if let socketAddress = current.pointee.ai_addr {
                if current.pointee.ai_family == AF_INET {
                    let bytes = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
                    }
                    if let address = IPAddress(bytes: bytes), !addresses.contains(address) { addresses.append(address) }
                } else if current.pointee.ai_family == AF_INET6 {
                    let bytes = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                    }
                    if let address = IPAddress(bytes: bytes), !addresses.contains(address) { addresses.append(address) }
                }
            }
            node = current.pointee.ai_next
        }
        return addresses
    }
}
