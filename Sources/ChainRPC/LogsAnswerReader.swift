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
    /// Logs it drops as it reads them (nil: every log is kept).
    private let sieve: LogSieve?
    /// The logs a ``LogsAnswerStream`` decoded as they arrived, in order: the body it hands over
    /// has a `#` where each stood (nil: a whole body, no marks).
    private let streamed: [Log?]?
    private var nextStreamed = 0
    private static let maxDepth = 64

    /// The logs (or error) of each request id `0..<requests` in a batch answer, or of the single
    /// answer when `requests` is nil.
    static func read(_ body: [UInt8], requests: Int?) throws(RPCError) -> [Result<[Log], RPCError>] {
        try read(body, requests: requests, sieve: nil).map { $0.map(\.logs) }
    }

    /// ``read(_:requests:)``, dropping the logs `sieve` drops as they are read (counted in
    /// ``LogsAnswer/read``).
    ///
    /// `streamed`: the body is a ``LogsAnswerStream``'s envelope and these its logs.
    static func read(_ body: [UInt8], requests: Int?, sieve: LogSieve?,
                     streamed: [Log?]? = nil) throws(RPCError) -> [Result<LogsAnswer, RPCError>] {
        var reader = LogsAnswerReader(bytes: body, sieve: sieve, streamed: streamed)
        reader.skipSpace()
        guard let requests else {
            let answer = try reader.response()
            try reader.end()
            try reader.usedEveryStreamedLog()
            return [answer.result]
        }
        var byID: [Int: Result<LogsAnswer, RPCError>] = [:]
        try reader.expect(UInt8(ascii: "["))
        if !reader.consume(UInt8(ascii: "]")) {
            repeat {
                let answer = try reader.response()
                guard let id = answer.id else { throw .malformed("batch answer without a numeric id") }
                byID[id] = answer.result
            } while try reader.nextElement(closing: UInt8(ascii: "]"))
        }
        try reader.end()
        try reader.usedEveryStreamedLog()
        return (0..<requests).map { byID[$0] ?? .failure(.malformed("no answer for request \($0)")) }
    }

    /// One log object (`bytes` is exactly its text), dropped when `sieve` drops it: what
    /// ``LogsAnswerStream`` decodes as each log arrives.
    static func log(_ bytes: [UInt8], sieve: LogSieve?) throws(RPCError) -> Log? {
        var reader = LogsAnswerReader(bytes: bytes, sieve: sieve)
        guard reader.peek == UInt8(ascii: "{") else { throw .malformed("log is not an object") }
        let log = try reader.log()
        try reader.end()
        return log
    }

    private init(bytes: [UInt8], sieve: LogSieve?, streamed: [Log?]? = nil) {
        self.bytes = bytes
        self.sieve = sieve
        self.streamed = streamed
    }

    // MARK: Responses and logs

    private mutating func response() throws(RPCError) -> (id: Int?, result: Result<LogsAnswer, RPCError>) {
        var id: Int?
        var result: Result<LogsAnswer, RPCError>?
        try object { (reader: inout LogsAnswerReader, key: ArraySlice<UInt8>) throws(RPCError) in
            if key.elementsEqual("id".utf8) {
                let span = try reader.skipValue()
                id = Int(String(decoding: reader.bytes[span], as: UTF8.self))
            } else if key.elementsEqual("result".utf8) {
                guard reader.peek == UInt8(ascii: "[") else { throw .malformed("eth_getLogs result is not an array") }
                result = .success(try reader.logs())
            } else if key.elementsEqual("error".utf8) {
                let span = try reader.skipValue()
                let value: JSONValue
                do { value = try JSONValue(parsing: Array(reader.bytes[span])) } catch { throw .malformed("\(error)") }
                result = .failure(Result { () throws(RPCError) in
                    _ = try JSONRPCClient.result(of: .object([("error", value)]))
                }.error ?? .malformed("error without a code"))
            } else {
                _ = try reader.skipValue()
            }
        }
        return (id, result ?? .failure(.malformed("answer has neither result nor error")))
    }

    private mutating func logs() throws(RPCError) -> LogsAnswer {
        var answer = LogsAnswer()
        try expect(UInt8(ascii: "["))
        if consume(UInt8(ascii: "]")) { return answer }
        repeat {
            answer.read += 1
            if let streamed, peek == UInt8(ascii: "#") {
                // A log the stream decoded as it arrived.
                guard nextStreamed < streamed.count else { throw .malformed("log is not an object") }
                index += 1
                skipSpace()
                if let log = streamed[nextStreamed] { answer.logs.append(log) }
                nextStreamed += 1
            } else if let log = try log() {
                answer.logs.append(log)
            }
        } while try nextElement(closing: UInt8(ascii: "]"))
        return answer
    }

    /// Where each member of a log stands in the body (its value's bytes, quotes included).
    private struct Spans {
        var address: Range<Int>?
        var topics: [Range<Int>]?
        var topicCount = 0
        var firstTopic: Range<Int>?
        var thirdTopic: Range<Int>?
        var data: Range<Int>?
        var blockNumber: Range<Int>?
        var blockHash: Range<Int>?
        var blockTimestamp: Range<Int>?
        var transactionHash: Range<Int>?
        var transactionIndex: Range<Int>?
        var logIndex: Range<Int>?
        var removed: Range<Int>?
    }

    /// One log: its members are located first, then — unless the sieve drops it on its topics —
    /// decoded. Nil for a dropped log.
    private mutating func log() throws(RPCError) -> Log? {
        var spans = Spans()
        let keepTopics = sieve == nil
        try object { (reader: inout LogsAnswerReader, key: ArraySlice<UInt8>) throws(RPCError) in
            switch LogMember(key) {
            case .address: spans.address = try reader.skipValue()
            case .topics: try reader.topics(into: &spans, keep: keepTopics)
            case .data: spans.data = try reader.skipValue()
            case .blockNumber: spans.blockNumber = try reader.skipValue()
            case .blockHash: spans.blockHash = try reader.skipValue()
            case .blockTimestamp: spans.blockTimestamp = try reader.skipValue()
            case .transactionHash: spans.transactionHash = try reader.skipValue()
            case .transactionIndex: spans.transactionIndex = try reader.skipValue()
            case .logIndex: spans.logIndex = try reader.skipValue()
            case .removed: spans.removed = try reader.skipValue()
            case nil: _ = try reader.skipValue()
            }
        }
        if let sieve {
            let first = spans.firstTopic.flatMap { word($0) }, third = spans.thirdTopic.flatMap { word($0) }
            if sieve.drops(count: spans.topicCount, first: first, third: third) { return nil }
        }
        var fields = Log.Fields()
        fields.address = try spans.address.map { span throws(RPCError) in try hex(span, "log.address", count: 20) }
        fields.topics = try topicList(spans)
        fields.data = try spans.data.map { span throws(RPCError) in try hex(span, "log.data", count: nil) }
        fields.blockNumber = try spans.blockNumber.map { span throws(RPCError) in try quantity(span, "log.blockNumber") }
        fields.blockHash = try spans.blockHash.map { span throws(RPCError) in try wordValue(span, "log.blockHash") }
        fields.blockTimestamp = spans.blockTimestamp.flatMap { try? quantity($0, "log.blockTimestamp") }
        fields.transactionHash = try spans.transactionHash.map { span throws(RPCError) in try wordValue(span, "log.transactionHash") }
        fields.transactionIndex = try spans.transactionIndex.map { span throws(RPCError) in try quantity(span, "log.transactionIndex") }
        fields.logIndex = try spans.logIndex.map { span throws(RPCError) in try quantity(span, "log.logIndex") }
        fields.removed = spans.removed.map { bytes[$0].elementsEqual("true".utf8) } ?? false
        return try Log(fields)
    }

    /// The members of a log the reader decodes; matched on the key's bytes (no string is made).
    private enum LogMember {
        case address, topics, data, blockNumber, blockHash, blockTimestamp, transactionHash, transactionIndex, logIndex, removed

        init?(_ key: ArraySlice<UInt8>) {
            for (member, name) in Self.names where key.elementsEqual(name) {
                self = member
                return
            }
            return nil
        }

        private static let names: [(LogMember, [UInt8])] = [
            (.address, Array("address".utf8)), (.topics, Array("topics".utf8)), (.data, Array("data".utf8)),
            (.blockNumber, Array("blockNumber".utf8)), (.blockHash, Array("blockHash".utf8)),
            (.blockTimestamp, Array("blockTimestamp".utf8)), (.transactionHash, Array("transactionHash".utf8)),
            (.transactionIndex, Array("transactionIndex".utf8)), (.logIndex, Array("logIndex".utf8)), (.removed, Array("removed".utf8)),
        ]
    }

    /// Locates the topics (at most four strings); keeps every span only when `keep` (the sieve
    /// needs just the first and third, and a dropped log needs no list).
    private mutating func topics(into spans: inout Spans, keep: Bool) throws(RPCError) {
        spans.topicCount = 0
        spans.firstTopic = nil
        spans.thirdTopic = nil
        spans.topics = keep ? [] : nil
        try expect(UInt8(ascii: "["))
        if consume(UInt8(ascii: "]")) { spans.topics = spans.topics ?? []; return }
        repeat {
            guard spans.topicCount < 4 else { throw .malformed("log.topics") }
            let span = try skipValue()
            if spans.topicCount == 0 { spans.firstTopic = span }
            if spans.topicCount == 2 { spans.thirdTopic = span }
            if keep { spans.topics!.append(span) }
            spans.topicCount += 1
        } while try nextElement(closing: UInt8(ascii: "]"))
    }

    /// The topics as words (nil when the log has no `topics`); a second pass over the list when
    /// the sieve kept the log.
    private func topicList(_ spans: Spans) throws(RPCError) -> [TopicWord]? {
        if let list = spans.topics {
            var topics: [TopicWord] = []
            topics.reserveCapacity(list.count)
            for span in list { topics.append(try wordValue(span, "log.topic")) }
            return topics
        }
        guard let first = spans.firstTopic else { return nil }
        // Read the list again from its first topic: the sieve kept only the first and third spans.
        var again = LogsAnswerReader(bytes: bytes, sieve: nil)
        again.index = first.lowerBound
        var topics: [TopicWord] = []
        topics.reserveCapacity(spans.topicCount)
        repeat {
            let span = try again.skipValue()
            topics.append(try wordValue(span, "log.topic"))
        } while try again.nextElement(closing: UInt8(ascii: "]"))
        return topics
    }

    /// The 32-byte word at `span`: read in place when it is `"0x"` and 64 hex digits, else
    /// through ``hex(_:_:count:)`` (its errors, and any other spelling it accepts).
    private func wordValue(_ span: Range<Int>, _ field: String) throws(RPCError) -> TopicWord {
        if let word = word(span) { return word }
        guard let word = TopicWord(try hex(span, field, count: 32)) else { throw .malformed("\(field) is not 32 bytes") }
        return word
    }

    /// A 32-byte word from a quoted `0x` string span; nil when it is anything else.
    private func word(_ span: Range<Int>) -> TopicWord? {
        guard span.count == 68, bytes[span.lowerBound] == UInt8(ascii: "\""), bytes[span.lowerBound + 1] == UInt8(ascii: "0"),
              bytes[span.lowerBound + 2] == UInt8(ascii: "x") else { return nil }
        return TopicWord(hexDigits: bytes[(span.lowerBound + 3)..<(span.upperBound - 1)])
    }

    // MARK: Values

    /// The string at `span` holding hex of `count` bytes (any when nil).
    private func hex(_ span: Range<Int>, _ field: String, count: Int?) throws(RPCError) -> [UInt8] {
        guard let text = rawString(span) else { throw .malformed("\(field) is not hex data") }
        guard let decoded = try? Hex.decode(ascii: text) else { throw .malformed("\(field) is not hex data") }
        if let count, decoded.count != count { throw .malformed("\(field) is not \(count) bytes") }
        return decoded
    }

    private func quantity(_ span: Range<Int>, _ field: String) throws(RPCError) -> UInt64 {
        guard let text = rawString(span), text.count > 2, text.count <= 18,
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

    /// The bytes inside the string at `span` when it has no escapes; nil for a string with
    /// escapes or a non-string.
    private func rawString(_ span: Range<Int>) -> ArraySlice<UInt8>? {
        guard span.count >= 2, bytes[span.lowerBound] == UInt8(ascii: "\"") else { return nil }
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
            while index < bytes.count, !Self.isDelimiter(bytes[index]) { index += 1 }
            let word = bytes[start..<index]
            guard !word.isEmpty, Self.isScalar(word) else { throw .malformed("invalid JSON value") }
        }
        let end = index
        skipSpace()
        return start..<end
    }

    private static func isDelimiter(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ":"), 0x20, 0x09, 0x0a, 0x0d: true
        default: false
        }
    }

    private static func isScalar(_ word: ArraySlice<UInt8>) -> Bool {
        if word.elementsEqual("true".utf8) || word.elementsEqual("false".utf8) || word.elementsEqual("null".utf8) { return true }
        return Double(String(decoding: word, as: UTF8.self)) != nil
    }

    // MARK: Punctuation

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0a, 0x0d: index += 1
            default: return
            }
        }
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

    /// A streamed log that stood where no answer's logs are read: the stream and the reader
    /// disagree on the body, so it is refused rather than read without it.
    private func usedEveryStreamedLog() throws(RPCError) {
        guard nextStreamed == streamed?.count ?? 0 else { throw .malformed("a log outside the answers' results") }
    }

    private func end() throws(RPCError) {
        guard index == bytes.count else { throw .malformed("trailing bytes after the JSON answer") }
    }
}

/// One `eth_getLogs` answer: the logs kept, and how many the answer held (kept or dropped by a
/// ``LogSieve``).
public struct LogsAnswer: Sendable {
    public var logs: [Log] = []
    /// Every log the answer held; what a provider's result cap counts.
    public var read = 0
}

extension Result {
    fileprivate var error: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
