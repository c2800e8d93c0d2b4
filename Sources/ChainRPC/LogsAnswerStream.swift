import Foundation

/// Reads an `eth_getLogs` answer as its bytes arrive, so the whole body is never held: each log
/// object is decoded (and sieved) as soon as its closing brace arrives, and its bytes dropped.
///
/// What is kept of the body is its envelope — ids, errors, the arrays' brackets — with one `#`
/// where each log stood; ``LogsAnswerReader`` then reads the envelope with the logs decoded
/// here, in order, so a streamed answer reads exactly as the whole body would (the fuzz target
/// `logs-answer-fuzz` holds it to that for any cut into chunks). A 10,000-log answer of card
/// updates is ~60 MB of text: held whole, it doubled the memory of the answer it carried.
///
/// A log is an object element of a `result` array of the answer's object, or of an object
/// element of a batch's array: where ``LogsAnswerReader`` reads logs. Anything else passes
/// into the envelope as it came.
///
/// ```swift
/// let stream = LogsAnswerStream(sieve: sieve)
/// stream.append(chunk) …                                   // as libcurl delivers the body
/// let answers = try stream.answers(requests: nil)          // as LogsAnswerReader.read(body, …)
/// ```
final class LogsAnswerStream: ResponseConsumer {
    /// The body with each log replaced by `#`.
    private(set) var envelope: [UInt8] = []
    /// The logs decoded so far, in the body's order; nil for one the sieve dropped.
    private var logs: [Log?] = []
    /// The first log that did not decode: the answer is refused with it.
    private var failure: RPCError?
    private let sieve: LogSieve?

    /// One open object or array of the envelope.
    private struct Frame {
        var isObject: Bool
        /// An object's members: whether the next string is a key.
        var expectingKey = true
        /// An object's last key, when it is `result`.
        var keyIsResult = false
        /// An array whose elements are logs.
        var holdsLogs = false
    }

    private var frames: [Frame] = []
    private var inString = false
    private var escaped = false
    /// The bytes of the key being read, while it may still be `result`.
    private var key: [UInt8]?
    /// The log being read: its bytes, and its nesting (0 when no log is being read).
    private var element: [UInt8] = []
    private var elementDepth = 0
    /// Past the nesting limit the rest passes through unread (``LogsAnswerReader`` refuses it).
    private var opaque = false

    private static let result = Array("result".utf8)
    private static let maxDepth = 64

    init(sieve: LogSieve?) {
        self.sieve = sieve
    }

    var body: [UInt8] { envelope }

    /// Takes the next bytes of the body.
    func append(_ chunk: UnsafeRawBufferPointer) {
        let bytes = chunk.bindMemory(to: UInt8.self)
        var start = 0   // the first byte not yet copied to the envelope or the element
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if opaque { break }
            if elementDepth > 0 {
                // Inside a log: only where it closes matters. Nearly every byte of an answer is in
                // a log's strings, so a string is crossed with `memchr` to its closing quote
                // (and to each backslash before it), not byte by byte.
                var (depth, quoted, escape) = (elementDepth, inString, escaped)
                var closed = false
                var quote = -1   // the next quote at or after `index` in this chunk, once found
                while index < bytes.count {
                    if quoted {
                        if escape {
                            escape = false
                            index += 1
                            continue
                        }
                        if quote < index {
                            quote = Self.find(UInt8(ascii: "\""), in: bytes, from: index) ?? bytes.count
                        }
                        if let slash = Self.find(UInt8(ascii: "\\"), in: bytes, from: index, to: quote) {
                            index = slash + 1
                            escape = true
                        } else if quote < bytes.count {
                            index = quote + 1
                            quoted = false
                        } else {
                            index = bytes.count
                        }
                        continue
                    }
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") {
                        quoted = true
                    } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                        depth += 1
                    } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                        depth -= 1
                        if depth == 0 {
                            closed = true
                            break
                        }
                    }
                    index += 1
                }
                (elementDepth, inString, escaped) = (depth, quoted, escape)
                if closed {
                    element.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...index]))
                    finishElement()
                    index += 1
                    start = index
                }
                continue
            }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                    key = nil
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if let read = key, let top = frames.indices.last {
                        frames[top].keyIsResult = read == Self.result
                    }
                    key = nil
                } else if key != nil {
                    if key!.count < Self.result.count { key!.append(byte) } else { key = nil }
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                if let top = frames.last, top.isObject, top.expectingKey {
                    key = []
                    frames[frames.count - 1].keyIsResult = false
                }
            case UInt8(ascii: "{") where frames.last?.holdsLogs == true:
                // A log begins: its bytes go to the element from here.
                envelope.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                start = index
                elementDepth = 1
            case UInt8(ascii: "#") where frames.last?.holdsLogs == true:
                // The mark of a streamed log, in the body itself: refused as the body would be.
                failure = failure ?? .malformed("log is not an object")
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = byte == UInt8(ascii: "{")
                var holdsLogs = false
                if !isObject, let top = frames.last, top.isObject, top.keyIsResult, !top.expectingKey {
                    // `result` of the answer's object, or of an object in a batch's array.
                    holdsLogs = frames.count == 1 || (frames.count == 2 && !frames[0].isObject)
                }
                frames.append(Frame(isObject: isObject, holdsLogs: holdsLogs))
                if frames.count > Self.maxDepth {
                    opaque = true
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = frames.popLast()
            case UInt8(ascii: ":"):
                if let top = frames.indices.last, frames[top].isObject { frames[top].expectingKey = false }
            case UInt8(ascii: ","):
                if let top = frames.indices.last, frames[top].isObject {
                    frames[top].expectingKey = true
                    frames[top].keyIsResult = false
                }
            default:
                break
            }
            index += 1
        }
        // The rest of the chunk: to the log being read, or to the envelope.
        let rest = UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])
        if elementDepth > 0 && !opaque { element.append(contentsOf: rest) } else { envelope.append(contentsOf: rest) }
    }

    /// The first `byte` in `bytes[from..<to]` (to the end when `to` is nil).
    private static func find(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int? = nil) -> Int? {
        let end = to ?? bytes.count
        guard from < end, let base = bytes.baseAddress, let found = memchr(base + from, Int32(byte), end - from) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// Decodes the log just read and leaves its mark.
    private func finishElement() {
        if failure == nil {
            do { logs.append(try LogsAnswerReader.log(element, sieve: sieve)) } catch { failure = error }
        }
        element.removeAll(keepingCapacity: true)
        envelope.append(UInt8(ascii: "#"))
    }

    /// The answers, as ``LogsAnswerReader/read(_:requests:sieve:)`` reads the whole body.
    func answers(requests: Int?) throws(RPCError) -> [Result<LogsAnswer, RPCError>] {
        if let failure { throw failure }
        if elementDepth > 0 || opaque {
            // The body ended inside a log, or nests past the limit: what was kept is read as is
            // (and refused); a log left unread is never in an answer.
            envelope.append(contentsOf: element)
            element = []
        }
        return try LogsAnswerReader.read(envelope, requests: requests, sieve: sieve, streamed: logs)
    }
}
