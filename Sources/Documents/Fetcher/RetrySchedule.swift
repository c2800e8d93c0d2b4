/// When a document is fetched again: successes after the refresh interval (never for content
/// that cannot change: IPFS, `data:`, feedback files), failures after a backoff that doubles from
/// ``FetchPolicy/minRetryDelay`` to ``FetchPolicy/maxRetryDelay``, or later when the server's
/// `Retry-After` asks for it (capped at the same maximum).
///
/// ```swift
/// let schedule = RetrySchedule(policy: FetchPolicy())
/// schedule.afterFailure(now: t, previousFailures: 0, retryAfter: nil)    // t + 60
/// schedule.afterFailure(now: t, previousFailures: 3, retryAfter: .seconds(3_600))   // t + 3600
/// ```
public struct RetrySchedule: Sendable {
    public let policy: FetchPolicy

    public init(policy: FetchPolicy) { self.policy = policy }

    /// The next refresh of content that may change; nil for content that cannot.
    public func afterSuccess(now: Int64, immutable: Bool) -> Int64? {
        immutable ? nil : now + Self.seconds(policy.refreshInterval)
    }

    /// The next attempt after the `previousFailures + 1`-th failure in a row.
    public func afterFailure(now: Int64, previousFailures: Int, retryAfter: Duration?) -> Int64 {
        let minimum = Self.seconds(policy.minRetryDelay), maximum = Self.seconds(policy.maxRetryDelay)
        let doubling = min(maximum, minimum << Int64(min(previousFailures, 20)))
        let asked = retryAfter.map { min(maximum, Self.seconds($0)) } ?? 0
        return now + max(doubling, asked)
    }

    static func seconds(_ duration: Duration) -> Int64 { max(1, duration.components.seconds) }
}
