import ChainRPC
import Testing

/// Which failures are retried, which are final, and what a provider's refusal says.
@Suite("RPC errors: transient, permanent, range limits")
struct ErrorClassificationTests {
    @Test("transient failures are retried; permanent ones are not", arguments: [
        (RPCError.http(status: 503, body: ""), true),
        (RPCError.http(status: 429, body: ""), true),
        (RPCError.http(status: 408, body: ""), true),
        (RPCError.timeout, true),
        (RPCError.transport("Connection reset by peer"), true),
        (RPCError.malformed("unexpected end of input"), true),
        (RPCError.rpc(code: -32000, message: "Rate limit exceeded, try again", data: nil), true),
        (RPCError.rpc(code: -32601, message: "the method eth_nope does not exist", data: nil), false),
        (RPCError.rpc(code: -32602, message: "invalid params", data: nil), false),
        (RPCError.rpc(code: 3, message: "execution reverted", data: nil), false),
        (RPCError.http(status: 404, body: ""), false),
        (RPCError.rpc(code: -32005, message: "query returned more than 10000 results", data: nil), false),
    ])
    func transient(error: RPCError, expected: Bool) {
        #expect(error.isTransient == expected, "\(error)")
    }

    @Test func permanentFailures() {
        #expect(RPCError.rpc(code: -32601, message: "", data: nil).isPermanent)
        #expect(RPCError.http(status: 401, body: "").isPermanent)
        #expect(!RPCError.http(status: 413, body: "").isPermanent)
        #expect(!RPCError.timeout.isPermanent)
    }

    @Test("the common providers' refusals are recognised, with what they suggest")
    func rangeLimits() throws {
        let infura = RPCError.rpc(code: -32005, message: "query returned more than 10000 results. Try with this block range [0x1E8480, 0x1E84A1].", data: nil)
        #expect(infura.rangeLimit?.suggested == 0x1E8480...0x1E84A1)
        #expect(infura.rangeLimit?.maxResults == 10_000 && infura.rangeLimit?.maxBlocks == nil)
        let counted = RPCError.rpc(code: -32005, message: "eth_getLogs is limited to 5,000 results", data: nil).rangeLimit
        #expect(counted?.maxResults == 5_000 && counted?.maxBlocks == nil, "a count of logs is not a count of blocks")
        let alchemy = RPCError.rpc(code: -32602, message: "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [0x0, 0x1a]", data: nil)
        #expect(alchemy.rangeLimit?.suggested == 0...0x1a)
        #expect(alchemy.rangeLimit?.maxBlocks == 2_000)
        let capped = RPCError.rpc(code: -32000, message: "block range is too large: exceed maximum block range: 5000", data: nil)
        #expect(capped.rangeLimit?.maxBlocks == 5_000)
        #expect(RPCError.rpc(code: -32000, message: "eth_getLogs is limited to a 10,000 range", data: nil).rangeLimit?.maxBlocks == 10_000)
        #expect(RPCError.rpc(code: -32005, message: "limit exceeded", data: nil).rangeLimit == RangeLimit())
        #expect(RPCError.http(status: 413, body: "Request Entity Too Large").rangeLimit != nil)
        #expect(RPCError.rpc(code: -32000, message: "execution reverted", data: nil).rangeLimit == nil)
        #expect(RPCError.timeout.rangeLimit == nil)
    }

    @Test("backoff grows exponentially with jitter, capped; Retry-After wins")
    func retryPolicy() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        for attempt in 1...8 {
            let expected = min(Duration.milliseconds(100) * (1 << (attempt - 1)), .seconds(1))
            let delay = policy.delay(attempt: attempt, retryAfter: nil)
            #expect(delay <= expected && delay >= expected / 2, "attempt \(attempt): \(delay)")
        }
        #expect(policy.delay(attempt: 1, retryAfter: .seconds(3)) == .seconds(3))
        #expect(policy.delay(attempt: 1, retryAfter: .seconds(600)) == .seconds(60))
    }
}
