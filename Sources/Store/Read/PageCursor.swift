import Foundation

/// The position after the last row of a page: opaque to clients (base64url), stable under
/// inserts. Without text, pages follow the agent id; with text, they follow (bm25 score, id)
/// among the agents that existed when the first page was served (`asOf`).
struct PageCursor: Hashable {
    var score: Double?
    var id: Int64
    var asOf: Int64

    var encoded: String {
        let scoreText = score.map { String($0.bitPattern, radix: 16) } ?? "-"
        let plain = "v1:\(scoreText):\(id):\(asOf)"
        return Data(plain.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(score: Double?, id: Int64, asOf: Int64) {
        self.score = score
        self.id = id
        self.asOf = asOf
    }

    init?(decoding text: String) {
        guard text.count <= 128 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let plain = String(data: data, encoding: .utf8) else { return nil }
        let parts = plain.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "v1", let id = Int64(parts[2]), let asOf = Int64(parts[3]) else { return nil }
        if parts[1] == "-" {
            score = nil
        } else {
            guard let bits = UInt64(parts[1], radix: 16) else { return nil }
            score = Double(bitPattern: bits)
        }
        self.id = id
        self.asOf = asOf
    }
}
