import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A per-client rate limit (token bucket): each client address may make `burst` requests at
/// once and `perSecond` more every second; past that the answer is `429` with `Retry-After`.
///
/// ```swift
/// RateLimitMiddleware<APIRequestContext>(perSecond: 20, burst: 40)
/// ```
final class RateLimitMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware, Sendable {
    let perSecond: Double
    let burst: Double
    private let buckets = Mutex<[String: (tokens: Double, at: Double)]>([:])
    /// Buckets kept at most; full ones are forgotten first when there are more.
    static var maxClients: Int { 100_000 }

    init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let client = context.remoteAddress?.ipAddress ?? "unknown"
        let wait = take(client, now: ProcessInfo.processInfo.systemUptime)
        guard wait <= 0 else {
            var error = APIError(.tooManyRequests, code: "rate_limited", "more than \(perSecond) requests a second from \(client); try again shortly")
            error.headers[.retryAfter] = String(Int(wait.rounded(.up)))
            throw error
        }
        return try await next(request, context)
    }

    /// Takes a token for `client`; returns 0, or the seconds until one is free.
    func take(_ client: String, now: Double) -> Double {
        buckets.withLock { buckets in
            var bucket = buckets[client] ?? (tokens: burst, at: now)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.at) * perSecond)
            bucket.at = now
            defer {
                buckets[client] = bucket
                if buckets.count > Self.maxClients {
                    buckets = buckets.filter { $0.value.tokens + (now - $0.value.at) * perSecond < burst }
                }
            }
            guard bucket.tokens >= 1 else { return (1 - bucket.tokens) / perSecond }
            bucket.tokens -= 1
            return 0
        }
    }
}
