/// Why a document could not be fetched, sorted by what the fetcher does next.
///
/// ```swift
/// FetchFailure(.refused, "127.0.0.1 is loopback").kind.status   // .refused
/// ```
public struct FetchFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The SSRF guard refused the address, the port or a redirect.
        case refused
        /// The URI's scheme is not fetched (or `http:` is not allowed).
        case unsupported
        /// The network or the server failed (DNS, connect, time-out, HTTP error): retried later.
        case failed
        /// An answer came but breaks a limit or is not what was asked for (size, media type,
        /// compression, content that does not match its CID or hash, not JSON, not a card).
        case invalid
    }

    public var kind: Kind
    public var reason: String
    /// The HTTP status of the answer that failed, when there was one.
    public var httpStatus: Int?
    /// The server's `Retry-After`, when it sent one.
    public var retryAfter: Duration?

    public init(_ kind: Kind, _ reason: String, httpStatus: Int? = nil, retryAfter: Duration? = nil) {
        self.kind = kind; self.reason = reason; self.httpStatus = httpStatus; self.retryAfter = retryAfter
    }

    public var description: String { reason }
}
