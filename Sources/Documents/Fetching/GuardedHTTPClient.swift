import AgentCards
import CCurl
import Foundation

/// A GET that a hostile URL cannot turn against the network it runs in.
///
/// Each hop is checked by ``FetchGuard`` and libcurl connects to the address the guard pinned
/// (`CURLOPT_RESOLVE`; no second lookup); redirects are followed here, not by libcurl, at most
/// ``FetchPolicy/maxRedirects`` of them, each checked again, never from `https:` to `http:`. The
/// body is capped while it arrives (a 10 GB answer costs at most the cap), a gzip body is
/// decompressed under the size and ratio caps, and the whole attempt has a deadline. No proxy from
/// the environment is used. Blocking: call it from a thread of its own.
///
/// ```swift
/// let client = GuardedHTTPClient(guard: FetchGuard(policy: policy))
/// let answer = try client.get(HTTPRequest(url: url, accept: "application/json", maxBytes: 65_536))
/// answer.status   // 200
/// ```
public final class GuardedHTTPClient: Sendable {
    public let fetchGuard: FetchGuard
    private let stopping: @Sendable () -> Bool

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()
    /// What AgentIndex says it is.
    public static let userAgent = "AgentIndex/0.5 (+https://github.com/agentindex; document fetcher)"

    /// - Parameter stopping: polled while a transfer runs; true aborts it.
    public init(guard fetchGuard: FetchGuard, stopping: @escaping @Sendable () -> Bool = { false }) {
        _ = Self.globalInit
        self.fetchGuard = fetchGuard
        self.stopping = stopping
    }

    /// Fetches `request`, following redirects; answers any final status (the caller judges it).
    /// - Throws: ``FetchFailure``: `.refused`/`.unsupported` from the guard, `.invalid` for an
    ///   answer over the size caps or with a broken encoding, `.failed` for network errors,
    ///   time-outs and redirect trouble.
    public func get(_ request: HTTPRequest) throws(FetchFailure) -> HTTPAnswer {
        let policy = fetchGuard.policy
        let deadline = ContinuousClock.now + policy.totalTimeout
        var url = request.url
        var redirects: [FetchURL] = []
        while true {
            let address = try fetchGuard.pin(url)
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw FetchFailure(.failed, "timed out after \(policy.totalTimeout)") }
            var answer = try perform(request, url: url, address: address, timeout: remaining)
            answer.redirects = redirects
            guard [301, 302, 303, 307, 308].contains(answer.status) else { return answer }
            guard redirects.count < policy.maxRedirects else {
                throw FetchFailure(.failed, "more than \(policy.maxRedirects) redirects (last to \(url))", httpStatus: answer.status)
            }
            guard let location = answer.location, !location.isEmpty else {
                throw FetchFailure(.failed, "a \(answer.status) redirect without a Location", httpStatus: answer.status)
            }
            let next: FetchURL
            do { next = try url.resolving(location) } catch {
                throw FetchFailure(error.unsupportedScheme ? .refused : .failed, "a redirect to an unusable URL: \(error.description)",
                                   httpStatus: answer.status)
            }
            if url.scheme == .https, next.scheme == .http {
                throw FetchFailure(.refused, "a redirect from https: to http: (\(next))", httpStatus: answer.status)
            }
            redirects.append(url)
            url = next
        }
    }

    private func perform(_ request: HTTPRequest, url: FetchURL, address: IPAddress, timeout: Duration) throws(FetchFailure) -> HTTPAnswer {
        guard let handle = curl_easy_init() else { throw FetchFailure(.failed, "libcurl could not start") }
        defer { curl_easy_cleanup(handle) }
        let sink = AnswerSink(maxBytes: request.maxBytes, stopping: stopping)
        let context = Unmanaged.passUnretained(sink).toOpaque()

        var headers: UnsafeMutablePointer<curl_slist>?
        for line in ["Accept: \(request.accept)", "Accept-Encoding: gzip", "User-Agent: \(Self.userAgent)"]
            + (request.ifNoneMatch.map { ["If-None-Match: \($0)"] } ?? [])
            + (request.ifModifiedSince.map { ["If-Modified-Since: \($0)"] } ?? []) {
            headers = curl_slist_append(headers, line)
        }
        defer { curl_slist_free_all(headers) }
        // Pin: libcurl connects to the address the guard judged, whatever DNS says now.
        let pin = IPAddress(url.host) == nil ? curl_slist_append(nil, "\(url.host):\(url.port):\(address.urlForm)") : nil
        defer { curl_slist_free_all(pin) }

        let code: CURLcode = url.description.withCString { urlPointer in
            _ = ccurl_setopt_string(handle, CURLOPT_URL, urlPointer)
            _ = ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
            _ = ccurl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
            _ = ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
            _ = ccurl_setopt_string(handle, CURLOPT_PROXY, "")
            _ = ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            _ = ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(min(fetchGuard.policy.connectTimeout, timeout)))
            _ = ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, max(1, Self.milliseconds(timeout)))
            _ = ccurl_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxBytes))
            _ = ccurl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headers))
            if let pin { _ = ccurl_setopt_pointer(handle, CURLOPT_RESOLVE, UnsafeMutableRawPointer(pin)) }
            if let caFile = fetchGuard.policy.caFile { _ = ccurl_setopt_string(handle, CURLOPT_CAINFO, caFile) }
            _ = ccurl_setopt_write_callback(handle) { data, size, count, context in
                guard let data, let context else { return 0 }
                let sink = Unmanaged<AnswerSink>.fromOpaque(context).takeUnretainedValue()
                return sink.body(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
            }
            _ = ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
            _ = ccurl_setopt_header_callback(handle) { data, size, count, context in
                guard let data, let context else { return 0 }
                Unmanaged<AnswerSink>.fromOpaque(context).takeUnretainedValue().header(UnsafeRawBufferPointer(start: data, count: size * count))
                return size * count
            }
            _ = ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
            _ = ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
            _ = ccurl_setopt_progress_callback(handle) { context, _, _, _, _ in
                guard let context else { return 0 }
                return Unmanaged<AnswerSink>.fromOpaque(context).takeUnretainedValue().stopping() ? 1 : 0
            }
            _ = ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
            return curl_easy_perform(handle)
        }
        switch code {
        case CURLE_OK: break
        case CURLE_WRITE_ERROR where sink.overflowed, CURLE_FILESIZE_EXCEEDED:
            throw FetchFailure(.invalid, "the answer from \(url.host) is larger than \(request.maxBytes) bytes")
        case CURLE_OPERATION_TIMEDOUT:
            throw FetchFailure(.failed, "\(url.host) timed out")
        case CURLE_ABORTED_BY_CALLBACK:
            throw FetchFailure(.failed, "stopped while fetching from \(url.host)")
        default:
            throw FetchFailure(.failed, "\(url.host): \(String(cString: curl_easy_strerror(code)))")
        }
        var status = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var retryAfter: curl_off_t = 0
        _ = ccurl_getinfo_off_t(handle, CURLINFO_RETRY_AFTER, &retryAfter)

        var body = sink.bytes
        let onWire = body.count
        switch sink.headers["content-encoding"]?.lowercased() {
        case nil, "", "identity": break
        case "gzip", "x-gzip":
            let cap = min(request.maxBytes, max(onWire, 1) * fetchGuard.policy.maxCompressionRatio)
            do { body = try Gzip.inflate(body, maxBytes: cap) } catch {
                throw FetchFailure(.invalid, "the gzip answer from \(url.host) is refused: \(error.description)"
                                   + (cap < request.maxBytes ? " (ratio cap \(fetchGuard.policy.maxCompressionRatio))" : ""))
            }
        case let other?:
            throw FetchFailure(.invalid, "the content encoding '\(other.prefix(32))' was not asked for")
        }
        return HTTPAnswer(url: url, address: address, status: status, body: body, bytesOnWire: onWire,
                          contentType: sink.headers["content-type"], etag: sink.headers["etag"],
                          lastModified: sink.headers["last-modified"], location: sink.headers["location"],
                          retryAfter: retryAfter > 0 ? .seconds(Int64(retryAfter)) : nil, redirects: [])
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}

/// One GET: the URL, what it accepts, the byte cap and the validators of a conditional request.
public struct HTTPRequest: Sendable, Hashable {
    public var url: FetchURL
    public var accept: String
    public var maxBytes: Int
    public var ifNoneMatch: String?
    public var ifModifiedSince: String?

    public init(url: FetchURL, accept: String, maxBytes: Int, ifNoneMatch: String? = nil, ifModifiedSince: String? = nil) {
        self.url = url; self.accept = accept; self.maxBytes = maxBytes
        self.ifNoneMatch = ifNoneMatch; self.ifModifiedSince = ifModifiedSince
    }
}

/// What a server answered, and from where.
public struct HTTPAnswer: Sendable, Hashable {
    /// The URL that answered (after redirects) and the address it was fetched from.
    public var url: FetchURL
    public var address: IPAddress
    public var status: Int
    /// Decompressed.
    public var body: [UInt8]
    public var bytesOnWire: Int
    /// As sent, parameters included.
    public var contentType: String?
    public var etag: String?
    public var lastModified: String?
    public var location: String?
    public var retryAfter: Duration?
    /// The URLs that redirected here, in order.
    public var redirects: [FetchURL]

    /// The media type without parameters, lower case.
    public var mediaType: String? {
        contentType.map { $0.split(separator: ";", maxSplits: 1).first.map(String.init) ?? "" }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    /// Whether the body is declared as JSON: `application/json`, `application/*+json`, `text/json`,
    /// or `text/plain` and no type at all (static hosts such as GitHub's raw files serve JSON so).
    public var isDeclaredJSON: Bool {
        guard let type = mediaType, !type.isEmpty else { return true }
        return type == "application/json" || type == "text/json" || type == "text/plain"
            || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }
}

/// Collects one transfer's headers and capped body from libcurl's callbacks.
final class AnswerSink: @unchecked Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var headers: [String: String] = [:]
    private(set) var overflowed = false
    private let maxBytes: Int
    let stopping: @Sendable () -> Bool

    init(maxBytes: Int, stopping: @escaping @Sendable () -> Bool) {
        self.maxBytes = maxBytes
        self.stopping = stopping
    }

    /// False (abort) once the body would pass the cap.
    func body(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count + chunk.count <= maxBytes else { overflowed = true; return false }
        bytes.append(contentsOf: chunk)
        return true
    }

    func header(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("HTTP/") { headers = [:]; return }   // a new answer (after 100 Continue)
        guard let colon = text.firstIndex(of: ":"), headers.count < 100 else { return }
        let name = text[..<colon].lowercased()
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        headers[name] = String(value.prefix(1_024))
    }
}
