import EthereumCore

/// Reads `eth_getLogs` answers — one response or a batch — straight from the body's bytes into
/// ``Log`` values.
///
/// The generic ``JSONValue`` tree costs several times the body in memory and most of the time of
/// a backfill (a 10,000-log answer of card updates is ~30 MB of text); this reader walks the
/// bytes once and keeps only the decoded logs. It is strict: a field that is missing or not hex of the right size is ``RPCError/malformed(_:)``. Unknown keys are
/// skipped; an `error` member is read with the generic parser (it is small) and becomes the
/// ``RPCError`` it states. Hex inside escapes (`"\u0030x…"`) is refused: no node writes it.
///
/// ```swift
/// let answers = try LogsAnswerReader.read(body, requests: 2)   // [Result<[Log], RPCError>] by id 0, 1
/// ```
struct LogsAnswerReader {
    private let bytes: [UInt8]
    private var index = 0
    private static let maxDepth = 64

    /// The logs (or error) of each request id `0..<requests` in a batch answer, or of the single
    /// answer when `requests` is nil.
    static func read(_ body: [UInt8], requests: Int?) throws(RPCError) -> [Result<[Log], RPCError>] {
        var reader = LogsAnswerReader(bytes: body)
        reader.skipSpace()
        guard let requests else {
            let answer = try reader.response()
            try reader.end()
            return [answer.result]
        }
        var byID: [Int: Result<[Log], RPCError>] = [:]
        try reader.expect(UInt8(ascii: "["))
        if !reader.consume(UInt8(ascii: "]")) {
            repeat {
                let answer = try reader.response()
                guard let id = answer.id else { throw .malformed("batch answer without a numeric id") }
                byID[id] = answer.result
            } while try reader.nextElement(closing: UInt8(ascii: "]"))
        }
        try reader.end()
        return (0..<requests).map { byID[$0] ?? .failure(.malformed("no answer for request \($0)")) }
    }

    // MARK: Responses and logs

    private mutating func response() throws(RPCError) -> (id: Int?, result: Result<[Log], RPCError>) {
        var id: Int?
        var result: Result<[Log], RPCError>?
        try object { (reader: inout LogsAnswerReader, key: ArraySlice<UInt8>) throws(RPCError) in
            switch String(decoding: key, as: UTF8.self) {
            case "id":
                let span = try reader.skipValue()
                id = Int(String(decoding: reader.bytes[span], as: UTF8.self))
            case "result":
                guard reader.peek == UInt8(ascii: "[") else { throw .malformed("eth_getLogs result is not an array") }
                result = .success(try reader.logs())
            case "error":
                let span = try reader.skipValue()
                let value: JSONValue
                do { value = try JSONValue(parsing: Array(reader.bytes[span])) } catch { throw .malformed("\(error)") }
                result = .failure(Result { () throws(RPCError) in
                    _ = try JSONRPCClient.result(of: .object([("error", value)]))
                }.error ?? .malformed("error without a code"))
            default:
                _ = try reader.skipValue()
            }
        }
        return (id, result ?? .failure(.malformed("answer has neither result nor error")))
    }

    private mutating func logs() throws(RPCError) -> [Log] {
        var logs: [Log] = []
        try expect(UInt8(ascii: "["))
        if consume(UInt8(ascii: "]")) { return logs }
        repeat { logs.append(try log()) } while try nextElement(closing: UInt8(ascii: "]"))
        return logs
    }

    private mutating func log() throws(RPCError) -> Log {
        var fields = Log.Fields()
        try object { (reader: inout LogsAnswerReader, key: ArraySlice<UInt8>) throws(RPCError) in
            switch String(decoding: key, as: UTF8.self) {
            case "address": fields.address = try reader.hex("log.address", count: 20)
            case "topics":
                var topics: [[UInt8]] = []
                try reader.expect(UInt8(ascii: "["))
                if !reader.consume(UInt8(ascii: "]")) {
                    repeat {
                        guard topics.count < 4 else { throw .malformed("log.topics") }
                        topics.append(try reader.hex("log.topic", count: 32))
                    } while try reader.nextElement(closing: UInt8(ascii: "]"))
                }
                fields.topics = topics
            case "data": fields.data = try reader.hex("log.data", count: nil)
            case "blockNumber": fields.blockNumber = try reader.quantity("log.blockNumber")
            case "blockHash": fields.blockHash = try reader.hex("log.blockHash", count: 32)
            case "blockTimestamp": fields.blockTimestamp = try? reader.quantity("log.blockTimestamp")
            case "transactionHash": fields.transactionHash = try reader.hex("log.transactionHash", count: 32)
            case "transactionIndex": fields.transactionIndex = try reader.quantity("log.transactionIndex")
            case "logIndex": fields.logIndex = try reader.quantity("log.logIndex")
            case "removed": fields.removed = String(decoding: reader.bytes[try reader.skipValue()], as: UTF8.self) == "true"
            default: _ = try reader.skipValue()
            }
        }
        return try Log(fields)
    }

    // MARK: Values

    /// A string holding hex of `count` bytes (any when nil).
    private mutating func hex(_ field: String, count: Int?) throws(RPCError) -> [UInt8] {
        guard let text = try rawString() else { throw .malformed("\(field) is not hex data") }
        guard let decoded = try? Hex.decode(ascii: text) else { throw .malformed("\(field) is not hex data") }
        if let count, decoded.count != count { throw .malformed("\(field) is not \(count) bytes") }
        return decoded
    }

    private mutating func quantity(_ field: String) throws(RPCError) -> UInt64 {
        guard let text = try rawString(), text.count > 2, text.count <= 18,
              text.first == UInt8(ascii: "0"), text.dropFirst().first == UInt8(ascii: "x") else {
            throw .malformed("\(field) is not a hex quantity")
        }
        var value: UInt64 = 0
        for c in text.dropFirst(2) {
            guard let nibble = Hex.nibble(c) else { throw .malformed("\(field) is not a hex quantity") }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }

    /// The bytes of a string without escapes; nil for a string with escapes or a non-string.
    private mutating func rawString() throws(RPCError) -> ArraySlice<UInt8>? {
        guard peek == UInt8(ascii: "\"") else { _ = try skipValue(); return nil }
        let span = try skipValue()
        let inner = bytes[(span.lowerBound + 1)..<(span.upperBound - 1)]
        return inner.contains(UInt8(ascii: "\\")) ? nil : inner
    }

    /// Calls `member` for each key of an object, positioned at its value.
    private mutating func object(_ member: (inout LogsAnswerReader, ArraySlice<UInt8>) throws(RPCError) -> Void) throws(RPCError) {
        try expect(UInt8(ascii: "{"))
        if consume(UInt8(ascii: "}")) { return }
        repeat {
            guard peek == UInt8(ascii: "\"") else { throw .malformed("an object key must be a string") }
            let span = try skipValue()
            try expect(UInt8(ascii: ":"))
            try member(&self, bytes[(span.lowerBound + 1)..<(span.upperBound - 1)])
        } while try nextElement(closing: UInt8(ascii: "}"))
    }

    /// Skips one JSON value, checking its syntax; returns its byte range.
    @discardableResult
    private mutating func skipValue(depth: Int = 0) throws(RPCError) -> Range<Int> {
        guard depth < Self.maxDepth else { throw .malformed("JSON nested too deeply") }
        let start = index
        guard let c = peek else { throw .malformed("JSON ends early") }
        switch c {
        case UInt8(ascii: "\""):
            index += 1
            while true {
                guard index < bytes.count else { throw .malformed("unterminated string") }
                let b = bytes[index]
                if b == UInt8(ascii: "\"") { index += 1; break }
                if b < 0x20 { throw .malformed("control character in a string") }
                index += b == UInt8(ascii: "\\") ? 2 : 1
            }
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let closing = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            index += 1
            skipSpace()
            if !consume(closing) {
                repeat {
                    if c == UInt8(ascii: "{") {
                        guard peek == UInt8(ascii: "\"") else { throw .malformed("an object key must be a string") }
                        try skipValue(depth: depth + 1)
                        try expect(UInt8(ascii: ":"))
                    }
                    try skipValue(depth: depth + 1)
                } while try nextElement(closing: closing)
            }
            return start..<index
        default:
            while index < bytes.count, !Self.delimiters.contains(bytes[index]) { index += 1 }
            let word = bytes[start..<index]
            guard !word.isEmpty, Self.isScalar(word) else { throw .malformed("invalid JSON value") }
        }
        let end = index
        skipSpace()
        return start..<end
    }

    private static let delimiters: Set<UInt8> = Set(",]} \t\r\n:".utf8)

    private static func isScalar(_ word: ArraySlice<UInt8>) -> Bool {
        let text = String(decoding: word, as: UTF8.self)
        return text == "true" || text == "false" || text == "null" || Double(text) != nil
    }

    // MARK: Punctuation

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[index]) { index += 1 }
    }

    private mutating func consume(_ c: UInt8) -> Bool {
        guard peek == c else { return false }
        index += 1
        skipSpace()
        return true
    }

    private mutating func expect(_ c: UInt8) throws(RPCError) {
        guard consume(c) else { throw .malformed("expected '\(Character(Unicode.Scalar(c)))' at byte \(index)") }
    }

    /// After an element: true at a comma (another follows), false at `closing`.
    private mutating func nextElement(closing: UInt8) throws(RPCError) -> Bool {
        if consume(UInt8(ascii: ",")) { return true }
        try expect(closing)
        return false
    }

    private func end() throws(RPCError) {
        guard index == bytes.count else { throw .malformed("trailing bytes after the JSON answer") }
    }
}

extension Result {
    fileprivate var error: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
