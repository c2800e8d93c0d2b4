import CCurl
import Foundation

/// HTTP POST through libcurl with reused easy handles (keep-alive), gzip, and connect/total
/// timeouts. Thread-safe: each request takes a handle from a small pool.
public final class CurlTransport: @unchecked Sendable {
    public struct Options: Sendable {
        public var connectTimeout: Duration = .seconds(5)
        public var totalTimeout: Duration = .seconds(30)
        public init(connectTimeout: Duration = .seconds(5), totalTimeout: Duration = .seconds(30)) {
            self.connectTimeout = connectTimeout
            self.totalTimeout = totalTimeout
        }
    }

    private let options: Options
    private let lock = NSLock()
    private var idle: [OpaquePointer] = []

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    public init(options: Options = Options()) {
        _ = Self.globalInit
        self.options = options
    }

    deinit {
        for handle in idle { curl_easy_cleanup(UnsafeMutableRawPointer(handle)) }
    }

    /// An HTTP answer: status, body, and the server's `Retry-After` when it sent one.
    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]
        public var retryAfter: Duration?
    }

    /// Posts `body` as JSON to `url`; returns the HTTP status, the response body and `Retry-After`.
    public func post(url: String, body: [UInt8]) throws(RPCError) -> Response {
        try post(url: url, body: body, consumer: nil)
    }

    /// ``post(url:body:)``, handing the body to `consumer` as it arrives (the response's body is
    /// then what the consumer kept: ``ResponseConsumer/body``).
    func post(url: String, body: [UInt8], consumer: (any ResponseConsumer)?) throws(RPCError) -> Response {
        let handle = checkout()
        defer { checkin(handle) }
        let raw = UnsafeMutableRawPointer(handle)
        let sink = ConsumerBox(consumer ?? ResponseSink(handle: raw))
        let context = Unmanaged.passUnretained(sink).toOpaque()
        var headers: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "Content-Type: application/json")
        headers = curl_slist_append(headers, "Accept: application/json")
        defer { curl_slist_free_all(headers) }
        let code: CURLcode = url.withCString { urlPointer in
            body.withUnsafeBytes { bodyBytes in
                _ = ccurl_setopt_string(raw, CURLOPT_URL, urlPointer)
                _ = ccurl_setopt_long(raw, CURLOPT_POST, 1)
                _ = ccurl_setopt_pointer(raw, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bodyBytes.baseAddress))
                _ = ccurl_setopt_long(raw, CURLOPT_POSTFIELDSIZE, body.count)
                _ = ccurl_setopt_pointer(raw, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headers))
                _ = ccurl_setopt_write_callback(raw) { data, size, count, context in
                    guard let data, let context else { return 0 }
                    let sink = Unmanaged<ConsumerBox>.fromOpaque(context).takeUnretainedValue()
                    sink.consumer.append(UnsafeRawBufferPointer(start: data, count: size * count))
                    return size * count
                }
                _ = ccurl_setopt_pointer(raw, CURLOPT_WRITEDATA, context)
                return curl_easy_perform(raw)
            }
        }
        switch code {
        case CURLE_OK: break
        case CURLE_OPERATION_TIMEDOUT: throw .timeout
        default: throw .transport(String(cString: curl_easy_strerror(code)))
        }
        var status = 0
        _ = ccurl_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &status)
        var retryAfter: curl_off_t = 0
        _ = ccurl_getinfo_off_t(raw, CURLINFO_RETRY_AFTER, &retryAfter)
        return Response(status: status, body: sink.consumer.body, retryAfter: retryAfter > 0 ? .seconds(Int64(retryAfter)) : nil)
    }

    private func checkout() -> OpaquePointer {
        lock.lock()
        let reused = idle.popLast()
        lock.unlock()
        if let reused { return reused }
        let raw = curl_easy_init()!
        _ = ccurl_setopt_long(raw, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_setopt_long(raw, CURLOPT_TCP_NODELAY, 1)
        _ = ccurl_setopt_long(raw, CURLOPT_TCP_KEEPALIVE, 1)
        _ = ccurl_setopt_string(raw, CURLOPT_ACCEPT_ENCODING, "")  // every encoding libcurl supports (gzip)
        _ = ccurl_setopt_long(raw, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(options.connectTimeout))
        _ = ccurl_setopt_long(raw, CURLOPT_TIMEOUT_MS, Self.milliseconds(options.totalTimeout))
        return OpaquePointer(raw)
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    private func checkin(_ handle: OpaquePointer) {
        lock.lock()
        idle.append(handle)
        lock.unlock()
    }
}

/// Takes a response body as libcurl delivers it, chunk by chunk.
protocol ResponseConsumer: AnyObject {
    func append(_ chunk: UnsafeRawBufferPointer)
    /// What stands for the body once it has all arrived.
    var body: [UInt8] { get }
}

/// The consumer behind libcurl's write callback's context pointer.
private final class ConsumerBox {
    let consumer: any ResponseConsumer
    init(_ consumer: any ResponseConsumer) { self.consumer = consumer }
}

/// Collects a response body from libcurl's write callback.
///
/// The buffer is sized from `Content-Length` when the first bytes arrive (up to 256 MiB; a
/// larger claim is not trusted): a 60 MB `eth_getLogs` answer then takes 60 MB, not the 96 MB
/// an array doubling its way up holds while it copies.
final class ResponseSink: ResponseConsumer {
    private(set) var bytes: [UInt8] = []
    var body: [UInt8] { bytes }
    private let handle: UnsafeMutableRawPointer
    private var sized = false

    init(handle: UnsafeMutableRawPointer) { self.handle = handle }

    func append(_ chunk: UnsafeRawBufferPointer) {
        if !sized {
            sized = true
            var length: curl_off_t = -1
            if ccurl_getinfo_off_t(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK, length > 0 {
                bytes.reserveCapacity(Int(min(length, 256 << 20)))
            }
        }
        bytes.append(contentsOf: chunk)
    }
}
