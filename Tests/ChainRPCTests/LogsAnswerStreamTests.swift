@testable import ChainRPC
import EthereumCore
import Foundation
import Testing

/// An answer read as its bytes arrive reads exactly as the whole body does, wherever the body is
/// cut: the same logs, the same counts, the same errors per request, and a refusal where the
/// whole body is refused.
@Suite("eth_getLogs answers read as they arrive")
struct LogsAnswerStreamTests {
    static let watchedWord = LogsAnswerReaderTests.word("00000000000000000000000000000000000000aa")
    static let otherWord = LogsAnswerReaderTests.word("00000000000000000000000000000000000000bb")
    static let sieve = LogSieve(topic0: Keccak256.hash(Array("Transfer(address,address,uint256)".utf8)),
                                recipients: [LogsAnswerReaderTests.watched])

    static func transfers(_ count: Int) -> String {
        (0..<count).map { LogsAnswerReaderTests.transfer(recipient: $0 % 3 == 0 ? watchedWord : otherWord, index: $0) }
            .joined(separator: ",")
    }

    /// Single answers: plain, with odd spacing, duplicate members, strings holding brackets,
    /// quotes and escapes, errors, and broken ones.
    static let single: [String] = [
        #"{"jsonrpc":"2.0","id":1,"result":[\#(transfers(7))]}"#,
        #"{"jsonrpc":"2.0","id":1,"result":[]}"#,
        #" { "result" : [ \#(transfers(2)) ] , "id" : 1 , "jsonrpc" : "2.0" } "#,
        #"{"jsonrpc":"2.0","id":1,"note":"a } ] [ { \" \\ string","result":[\#(transfers(3))]}"#,
        #"{"jsonrpc":"2.0","id":1,"result":[\#(transfers(2))],"result":[\#(transfers(1))]}"#,
        #"{"jsonrpc":"2.0","id":1,"result":[\#(LogsAnswerReaderTests.log),\#(LogsAnswerReaderTests.log)]}"#,
        #"{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"query returned more than 10000 results","data":{"result":[{}]}}}"#,
        #"{"jsonrpc":"2.0","id":1,"resultx":[{"a":1}],"result":[\#(transfers(1))]}"#,
        #"{"jsonrpc":"2.0","id":1,"result":[\#(transfers(2)),#]}"#,            // a mark in the body itself
        #"{"jsonrpc":"2.0","id":1,"result":[1,\#(transfers(1))]}"#,            // not an object
        #"{"jsonrpc":"2.0","id":1,"result":[\#(transfers(2))"#,                // cut short
        #"{"jsonrpc":"2.0","id":1,"result":[\#(transfers(1).dropLast())]}"#,   // a log cut short
        #"{"jsonrpc":"2.0","id":1,"result":{"logs":[]}}"#,
        #"{"jsonrpc":"2.0","id":1,"result":[\#(transfers(1))]} x"#,
        #"[{"jsonrpc":"2.0","id":0,"result":[\#(transfers(1))]}]"#,            // a batch where one answer was asked for
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"pad\":" + String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
            + ",\"result\":[\(transfers(2))]}",                                  // nested past the limit
    ]

    static let batches: [String] = [
        #"[{"jsonrpc":"2.0","id":1,"result":[\#(transfers(4))]},{"jsonrpc":"2.0","id":0,"result":[\#(transfers(2))]}]"#,
        #"[{"jsonrpc":"2.0","id":0,"error":{"code":-32005,"message":"query returned more than 10000 results"}},"#
            + #"{"jsonrpc":"2.0","id":1,"result":[\#(transfers(3))]}]"#,
        #"[{"jsonrpc":"2.0","id":0,"result":[]}]"#,
        #"{"jsonrpc":"2.0","id":0,"result":[\#(transfers(1))]}"#,               // one answer where a batch was asked for
    ]

    /// `body` cut into pieces of `size` bytes.
    static func chunks(_ body: [UInt8], size: Int) -> [[UInt8]] {
        stride(from: 0, to: body.count, by: size).map { Array(body[$0..<min($0 + size, body.count)]) }
    }

    /// What reading gives: the logs and counts of each request, or the refusal.
    static func outcome(_ read: () throws(RPCError) -> [Result<LogsAnswer, RPCError>]) -> String {
        do {
            return try read().map { answer in
                switch answer {
                case .success(let logs): "\(logs.read) read: " + logs.logs.map { "\($0.logIndex)@\($0.blockNumber)/\($0.topics.count)" }.joined(separator: ",")
                case .failure(let error): "error \(error)"
                }
            }.joined(separator: " | ")
        } catch {
            return "refused"
        }
    }

    @Test("a single answer reads the same whole and in pieces of any size, sieved or not",
          arguments: [1, 2, 3, 7, 64, 1_000, 1 << 20])
    func single(size: Int) {
        for text in Self.single {
            let body = Array(text.utf8)
            for sieve in [nil, Self.sieve] {
                let whole = Self.outcome { () throws(RPCError) in try LogsAnswerReader.read(body, requests: nil, sieve: sieve) }
                let stream = LogsAnswerStream(sieve: sieve)
                for chunk in Self.chunks(body, size: size) { chunk.withUnsafeBytes { stream.append($0) } }
                let streamed = Self.outcome { () throws(RPCError) in try stream.answers(requests: nil) }
                #expect(streamed == whole, "\(text.prefix(120))")
            }
        }
    }

    @Test("a batch answer reads the same whole and in pieces", arguments: [1, 5, 100, 1 << 20])
    func batch(size: Int) {
        for text in Self.batches {
            let body = Array(text.utf8)
            let whole = Self.outcome { () throws(RPCError) in try LogsAnswerReader.read(body, requests: 2, sieve: Self.sieve) }
            let stream = LogsAnswerStream(sieve: Self.sieve)
            for chunk in Self.chunks(body, size: size) { chunk.withUnsafeBytes { stream.append($0) } }
            #expect(Self.outcome { () throws(RPCError) in try stream.answers(requests: 2) } == whole, "\(text.prefix(120))")
        }
    }

    @Test("what is kept of a streamed body is its envelope: a mark for each log")
    func keepsOnlyTheEnvelope() throws {
        let body = Array(#"{"jsonrpc":"2.0","id":1,"result":[\#(Self.transfers(100))]}"#.utf8)
        let stream = LogsAnswerStream(sieve: Self.sieve)
        for chunk in Self.chunks(body, size: 4_096) { chunk.withUnsafeBytes { stream.append($0) } }
        #expect(String(decoding: stream.envelope, as: UTF8.self)
                == #"{"jsonrpc":"2.0","id":1,"result":["# + Array(repeating: "#", count: 100).joined(separator: ",") + "]}")
        let answer = try stream.answers(requests: nil)[0].get()
        #expect(answer.read == 100 && answer.logs.count == 34)
        #expect(try JSONRPCClient.readLogs(chunks: Self.chunks(body, size: 333), sieve: nil).logs
                == JSONRPCClient.readLogs(body, sieve: nil).logs)
    }
}
