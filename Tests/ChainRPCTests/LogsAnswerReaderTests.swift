@testable import ChainRPC
import EthereumCore
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
        topics: [[UInt8](repeating: 0xab, count: 32), [UInt8](repeating: 0x01, count: 32)], data: [0x00, 0xff],
        blockNumber: 0x1b4, blockHash: [UInt8](repeating: 0xcd, count: 32), transactionHash: [UInt8](repeating: 0xef, count: 32),
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
}
