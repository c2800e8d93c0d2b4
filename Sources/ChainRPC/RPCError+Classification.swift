import Foundation

extension RPCError {
    /// A failure worth sending the same request again, after a pause: HTTP 408/429/5xx, time-outs,
    /// dropped connections, truncated or invalid JSON, and JSON-RPC errors that say "rate limit".
    ///
    /// ```swift
    /// RPCError.http(status: 503, body: "").isTransient        // true
    /// RPCError.rpc(code: -32601, message: "", data: nil).isTransient   // false: method not found
    /// ```
    public var isTransient: Bool {
        switch self {
        case .timeout, .transport, .malformed: return true
        case .http(let status, _): return status == 408 || status == 429 || (500...599).contains(status)
        case .rpc(let code, let message, _):
            if rangeLimit != nil { return false }
            let text = message.lowercased()
            return code == -32029 || code == 429
                || ["rate limit", "too many requests", "capacity exceeded", "try again", "temporarily", "timeout", "timed out",
                    "overloaded", "busy"].contains { text.contains($0) }
        }
    }

    /// The request itself is wrong and will fail the same way on any attempt or endpoint:
    /// method not found, invalid params or request, and HTTP 4xx other than 408/413/429.
    public var isPermanent: Bool {
        switch self {
        case .rpc(let code, _, _): return [-32600, -32601, -32602, -32700].contains(code)
        case .http(let status, _): return (400...499).contains(status) && ![408, 413, 429].contains(status)
        default: return false
        }
    }

    /// When the error says an `eth_getLogs` asked for too much (too many results, too wide a
    /// range, too large a response): what the provider allows, as far as it says.
    ///
    /// Recognises the common providers' messages ("query returned more than 10000 results",
    /// "block range is too large", "Log response size exceeded", "limit exceeded", code -32005)
    /// and HTTP 413, and reads a suggested range (`[0x10, 0x2f]`) or a block count ("up to a
    /// 2K block range", "maximum block range: 5000") when the message gives one.
    public var rangeLimit: RangeLimit? {
        switch self {
        case .http(413, let body): return RangeLimit(message: body)
        case .rpc(let code, let message, let data):
            let text = message + " " + (data ?? "")
            let lower = text.lowercased()
            // Some providers send rate limiting under the same code (-32005): that is not about the range.
            if RangeLimit.rateLimitPhrases.contains(where: { lower.contains($0) }) { return nil }
            let recognised = code == -32005 || RangeLimit.phrases.contains { lower.contains($0) }
            return recognised ? RangeLimit(message: text) : nil
        default: return nil
        }
    }
}

/// What a provider said about the largest `eth_getLogs` it answers.
public struct RangeLimit: Hashable, Sendable {
    /// The range the provider suggests instead, when it names one.
    public var suggested: ClosedRange<UInt64>?
    /// The widest range in blocks, when the message states one.
    public var maxBlocks: UInt64?
    /// The most logs one answer may hold, when the message states it ("more than 10000 results").
    public var maxResults: Int?

    static let phrases = [
        "more than", "too many results", "block range", "range is too large", "range too large", "response size",
        "limit exceeded", "exceeds max", "exceed maximum", "too large", "query timeout", "range limit", "results exceed",
        "is limited to",
    ]
    static let rateLimitPhrases = ["rate limit", "request rate", "too many requests", "daily request", "requests per second"]

    public init(suggested: ClosedRange<UInt64>? = nil, maxBlocks: UInt64? = nil, maxResults: Int? = nil) {
        self.suggested = suggested
        self.maxBlocks = maxBlocks
        self.maxResults = maxResults
    }

    /// Reads a suggestion or a block count out of a provider's message.
    public init(message: String) {
        if let match = Self.firstMatch(#"\[\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*\]"#, in: message),
           let from = UInt64(match[0].dropFirst(2), radix: 16), let to = UInt64(match[1].dropFirst(2), radix: 16), from <= to {
            suggested = from...to
        }
        let patterns = [
            #"(?i)(\d[\d,]*k?)\s*(?:-?\s*)?block(?:s)?\s*range"#,      // "up to a 2K block range"
            #"(?i)range\s*(?:of|is|limit|limited to|exceeds|over|should be|max(?:imum)?|:)*\s*(?:a\s*)?(?:max(?:imum)?\s*)?(?:of\s*|is\s*|:\s*)?(\d[\d,]*k?)"#,
            #"(?i)limited to (?:a\s*)?(\d[\d,]*k?)"#,
        ]
        for pattern in patterns {
            if let match = Self.firstMatch(pattern, in: message), let blocks = Self.count(match[0]), blocks > 0 {
                maxBlocks = blocks
                break
            }
        }
        if let match = Self.firstMatch(#"(?i)(?:more than|exceeds?(?: max(?:imum)?)?(?: of)?|limited to|max(?:imum)? (?:of )?)\s*(\d[\d,]*k?)\s*(?:results|logs)"#, in: message),
           let results = Self.count(match[0]), results > 0, results <= UInt64(Int.max) {
            maxResults = Int(results)
            if maxBlocks == results { maxBlocks = nil }   // "limited to 10000 results" counts logs, not blocks
        }
    }

    /// "10,000" → 10000, "2K" → 2000.
    static func count(_ text: String) -> UInt64? {
        var digits = text.replacingOccurrences(of: ",", with: "").lowercased()
        var scale: UInt64 = 1
        if digits.hasSuffix("k") { digits.removeLast(); scale = 1_000 }
        return UInt64(digits).map { $0 * scale }
    }

    static func firstMatch(_ pattern: String, in text: String) -> [String]? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return (1..<match.numberOfRanges).compactMap { Range(match.range(at: $0), in: text).map { String(text[$0]) } }
    }
}
