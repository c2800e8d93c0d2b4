/// How often and how long a client waits before sending a failed request again.
///
/// Delays grow exponentially from `baseDelay` to `maxDelay`, each drawn at random between half
/// and all of its value (jitter, so many clients do not retry in step). A `Retry-After` from the
/// server replaces the computed delay, up to `maxRetryAfter`.
///
/// ```swift
/// let policy = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(100))
/// policy.delay(attempt: 3, retryAfter: nil)   // between 0.4 s and 0.8 s
/// ```
public struct RetryPolicy: Hashable, Sendable {
    /// Sends per request, the first included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var maxRetryAfter: Duration

    public init(maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(10),
                maxRetryAfter: Duration = .seconds(60)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// The pause before attempt `attempt + 1` (attempt counts from 1).
    public func delay(attempt: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter { return min(retryAfter, maxRetryAfter) }
        let exponential = baseDelay * (1 << min(max(attempt - 1, 0), 20))
        let capped = min(exponential, maxDelay)
        return capped * Double.random(in: 0.5...1.0)
    }
}
