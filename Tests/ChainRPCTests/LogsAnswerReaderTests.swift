@testable import ChainRPC
import EthereumCore
import Foundation
import Testing

/// The purpose-built `eth_getLogs` reader gives what the generic JSON path gives, and refuses
/// what it refuses.
@Suite("eth_getLogs answers read from bytes")
struct LogsAnswerReaderTests {
    static let log = #"""
        {"address":"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed","topics":["0x\#(String(repeating: "ab", count: 32))","0x\#(String(repeating: "01", count: 32))"],
         "data":"0x00ff","blockNumber":"0x1b4","blockHash":"0x\#(String(repeating: "cd", count: 32))","blockTimestamp":"0x6553f100",
         "transactionHash":"0x\#(String(repeating: "ef", count: 32))","transactionIndex":"0x0","logIndex":"0x2","removed":false,
         "extra":{"nested":[1,2.5,"x\"y",null,true]}}
        """#

    static let expected = try! Log(Log.Fields(
        address: Hex.decode("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
        topics: [TopicWord([UInt8](repeating: 0xab, count: 32))!, TopicWord([UInt8](repeating: 0x01, count: 32))!], data: [0x00, 0xff],
        blockNumber: 0x1b4, blockHash: TopicWord([UInt8](repeating: 0xcd, count: 32)),
        transactionHash: TopicWord([UInt8](repeating: 0xef, count: 32)),
        transactionIndex: 0, logIndex: 2, removed: false, blockTimestamp: 0x6553f100))

    @Test("a single answer and a batch read into the logs they state, unknown members skipped")
    func readsEveryField() throws {
        let single = Array(#"{"jsonrpc":"2.0","id":1,"result":[\#(Self.log),\#(Self.log)]}"#.utf8)
        let read = try LogsAnswerReader.read(single, requests: nil)
        let expected = Self.expected
        #expect(try read[0].get() == [expected, expected])

        let batch = Array(#"""
            [{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"query returned more than 10000 results"}},
             {"jsonrpc":"2.0","id":0,"result":[ \#(Self.log) ]}]
            """#.utf8)
        let answers = try LogsAnswerReader.read(batch, requests: 2)
        #expect(try answers[0].get() == [expected])
        #expect(throws: RPCError.self) { try answers[1].get() }
        if case .failure(let error) = answers[1] { #expect(error.rangeLimit?.maxResults == 10_000) }
    }

    @Test("malformed answers are refused with an error, never a crash", arguments: [
        #"{"jsonrpc":"2.0","id":1,"result":[{"address":"0x12"}]}"#,                       // short address
        #"{"jsonrpc":"2.0","id":1,"result":{"logs":[]}}"#,                                 // not an array
        #"{"jsonrpc":"2.0","id":1,"result":[{"address":"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"}]}"#,  // fields missing
        #"{"jsonrpc":"2.0","id":1,"result":[]"#,                                           // truncated
        #"{"jsonrpc":"2.0","id":1,"result":[]} x"#,                                        // trailing bytes
        #"{"jsonrpc":"2.0","id":1}"#,                                                      // neither result nor error
        String(repeating: "[", count: 100_000),                                            // deep nesting
        #"{"jsonrpc":"2.0","id":1,"result":[{"address":"\u0030x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"}]}"#,
    ])
    func malformed(answer: String) {
        let outcome = Result { try LogsAnswerReader.read(Array(answer.utf8), requests: nil)[0].get() }
        #expect(throws: RPCError.self) { try outcome.get() }
    }

    /// A log holds its topics and hashes as 32-byte words: one with another length is refused as
    /// the answer is read, with the member named; a word written in capitals reads the same.
    @Test("a log whose topic, block hash or transaction hash is not 32 bytes is refused")
    func hashesAre32Bytes() throws {
        func read(_ log: String) throws -> [Log] {
            try LogsAnswerReader.read(Array(#"{"jsonrpc":"2.0","id":1,"result":[\#(log)]}"#.utf8), requests: nil)[0].get()
        }
        let cd = String(repeating: "cd", count: 32), ef = String(repeating: "ef", count: 32)
        #expect(try read(Self.log) == [Self.expected])
        #expect(try read(Self.log.replacingOccurrences(of: cd, with: cd.uppercased())) == [Self.expected])
        #expect(throws: RPCError.malformed("log.blockHash is not 32 bytes")) {
            try read(Self.log.replacingOccurrences(of: cd, with: String(cd.dropLast(2))))
        }
        #expect(throws: RPCError.malformed("log.transactionHash is not 32 bytes")) {
            try read(Self.log.replacingOccurrences(of: ef, with: ef + "00"))
        }
        #expect(throws: RPCError.malformed("log.topic is not 32 bytes")) {
            try read(Self.log.replacingOccurrences(of: String(repeating: "01", count: 32), with: String(repeating: "01", count: 20)))
        }
    }

    /// A transfer log as a node writes it: `topics` are Transfer, the sender and `recipient` (a word).
    static func transfer(recipient: String, topics: Int = 3, index: Int, topic0: String = transferTopic) -> String {
        let all = ["\"0x\(topic0)\"", "\"0x\(String(repeating: "0", count: 24))\(String(repeating: "11", count: 20))\"", "\"0x\(recipient)\""]
        return #"{"address":"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed","topics":[\#(all.prefix(topics).joined(separator: ","))],"#
            + #""data":"0x00000000000000000000000000000000000000000000000000000000000f4240","blockNumber":"0x1b4","#
            + #""blockHash":"0x\#(String(repeating: "cd", count: 32))","transactionHash":"0x\#(String(repeating: "ef", count: 32))","#
            + #""transactionIndex":"0x0","logIndex":"0x\#(String(index, radix: 16))","removed":false}"#
    }

    static let transferTopic = Hex.encode(Keccak256.hash(Array("Transfer(address,address,uint256)".utf8))).dropFirst(2).description
    static let watched = try! EthereumAddress("0x00000000000000000000000000000000000000aa")
    static func word(_ address: String) -> String { String(repeating: "0", count: 24) + address }

    @Test("a sieve drops transfers to nobody followed as it reads them, counts them, and keeps everything else as read")
    func sieveDropsUnwatchedTransfers() throws {
        let kept = Self.word("00000000000000000000000000000000000000aa")
        let other = Self.word("00000000000000000000000000000000000000bb")
        let dirty = "ff" + String(repeating: "0", count: 22) + "00000000000000000000000000000000000000bb"
        let logs = [
            Self.transfer(recipient: kept, index: 0),            // to a watched payee: kept
            Self.transfer(recipient: other, index: 1),           // to nobody followed: dropped
            Self.transfer(recipient: other, topics: 2, index: 2), // two topics: kept (the decoder reports it)
            Self.transfer(recipient: dirty, index: 3),           // not an address word: kept
            Self.transfer(recipient: other, index: 4, topic0: String(repeating: "ab", count: 32)),  // another event: kept
            Self.transfer(recipient: other.uppercased(), index: 5),  // upper-case hex is hex: dropped
        ]
        let body = Array(#"{"jsonrpc":"2.0","id":1,"result":[\#(logs.joined(separator: ","))]}"#.utf8)
        let everything = try JSONRPCClient.readLogs(body, sieve: nil)
        let sieve = LogSieve(topic0: Keccak256.hash(Array("Transfer(address,address,uint256)".utf8)), recipients: [Self.watched])
        let sieved = try JSONRPCClient.readLogs(body, sieve: sieve)
        #expect(everything.read == 6 && everything.logs.count == 6)
        #expect(sieved.read == 6)
        #expect(sieved.logs.map(\.logIndex) == [0, 2, 3, 4])
        #expect(sieved.logs == everything.logs.filter { [0, 2, 3, 4].contains($0.logIndex) }, "a kept log is read exactly as without a sieve")
    }

    @Test("with a sieve a malformed log that is kept is still refused; a dropped one is never decoded")
    func sieveStillRefusesWhatItKeeps() throws {
        let sieve = LogSieve(topic0: Keccak256.hash(Array("Transfer(address,address,uint256)".utf8)), recipients: [Self.watched])
        let watchedWord = Self.word("00000000000000000000000000000000000000aa")
        let badKept = Self.transfer(recipient: watchedWord, index: 0).replacingOccurrences(of: "\"blockNumber\":\"0x1b4\"", with: "\"blockNumber\":7")
        #expect(throws: RPCError.self) {
            try JSONRPCClient.readLogs(Array(#"{"jsonrpc":"2.0","id":1,"result":[\#(badKept)]}"#.utf8), sieve: sieve)
        }
        let badDropped = Self.transfer(recipient: Self.word("00000000000000000000000000000000000000bb"), index: 0)
            .replacingOccurrences(of: "\"blockNumber\":\"0x1b4\"", with: "\"blockNumber\":7")
        let answer = try JSONRPCClient.readLogs(Array(#"{"jsonrpc":"2.0","id":1,"result":[\#(badDropped)]}"#.utf8), sieve: sieve)
        #expect(answer.read == 1 && answer.logs.isEmpty)
        // Broken JSON is refused whether or not the log would be dropped.
        #expect(throws: RPCError.self) {
            try JSONRPCClient.readLogs(Array(#"{"jsonrpc":"2.0","id":1,"result":[\#(badDropped.dropLast())]}"#.utf8), sieve: sieve)
        }
    }
}
