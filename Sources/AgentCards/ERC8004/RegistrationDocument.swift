/// What an ERC-8004 agent's `agentURI` tells the indexer on its own, without the network: a
/// `data:` URI is decoded and parsed on the spot; any other URI waits for the document fetcher.
///
/// ```swift
/// let document = RegistrationDocument(agentURI: Array(uri.utf8))
/// switch document.status {
/// case .ok: document.file!.name
/// case .invalid: document.reason!
/// case .pending, .absent: …
/// }
/// ```
public struct RegistrationDocument: Hashable, Sendable {
    /// Where the registration file stands.
    public enum Status: String, Hashable, Sendable, CaseIterable {
        /// Decoded and valid.
        case ok
        /// Decoded and refused (the reason says why): not JSON, a broken limit, a bad `data:` URI.
        case invalid
        /// Behind a URI that must be fetched (`https:`, `ipfs:`, any other scheme).
        case pending
        /// No URI at all (`register()` without one).
        case absent
        /// Set by the document fetcher: the last refresh failed; the content fetched before is served.
        case stale
        /// Set by the document fetcher: never fetched (the reason is recorded); retried with backoff.
        case failed
        /// Set by the document fetcher: the URI's scheme is not fetched.
        case unsupported
        /// Set by the document fetcher: the SSRF guard refused the address, port or a redirect.
        case refused

        /// Whether the document's content is known and served (`ok`, or `stale` after a failed refresh).
        public var hasContent: Bool { self == .ok || self == .stale }
    }

    public var status: Status
    /// The agent URI as published (valid UTF-8; empty when it was not).
    public var uri: String
    /// The parsed file when ``status`` is ``Status/ok``.
    public var file: RegistrationFile?
    /// The document bytes a `data:` URI carried (decoded and decompressed); empty otherwise.
    public var bytes: [UInt8]
    /// Why the file is ``Status/invalid``.
    public var reason: String?

    public init(status: Status, uri: String, file: RegistrationFile? = nil, bytes: [UInt8] = [], reason: String? = nil) {
        self.status = status; self.uri = uri; self.file = file; self.bytes = bytes; self.reason = reason
    }

    /// Reads the URI bytes a `Registered` or `URIUpdated` log carried.
    public init(agentURI raw: [UInt8], limits: RegistrationLimits = .default) {
        guard raw.count <= limits.maxURIBytes else {
            self.init(status: .invalid, uri: "", reason: "agentURI is \(raw.count) bytes, more than the limit of \(limits.maxURIBytes)")
            return
        }
        guard let uri = String(validating: raw, as: UTF8.self) else {
            self.init(status: .invalid, uri: "", reason: "agentURI is not valid UTF-8")
            return
        }
        guard !uri.trimmingWhitespace.isEmpty else {
            self.init(status: .absent, uri: uri)
            return
        }
        guard DataURI.isDataURI(uri) else {
            // A URI to fetch is a URL like any other in a file: a longer one is no address anybody serves.
            guard raw.count <= limits.maxURLBytes else {
                self.init(status: .invalid, uri: uri,
                          reason: "agentURI is \(raw.count) bytes, more than the limit of \(limits.maxURLBytes) for a URI to fetch")
                return
            }
            self.init(status: .pending, uri: uri)
            return
        }
        do {
            let bytes = try DataURI.json(uri, limits: limits)
            do {
                self.init(status: .ok, uri: uri, file: try RegistrationFile(json: bytes, limits: limits), bytes: bytes)
            } catch {
                self.init(status: .invalid, uri: uri, bytes: bytes, reason: error.description)
            }
        } catch {
            self.init(status: .invalid, uri: uri, reason: error.description)
        }
    }
}
