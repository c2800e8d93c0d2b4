import ChainRPC
import EthereumCore
import Foundation

/// Parse-and-discard (issue 20): an `eth_getLogs` answer of 10,000 USDC transfers written the
/// way Geth writes them, 5 % of them to one of 100,000 watched payees; read with the follower's
/// sieve (the other 95 % dropped as they are read) and without it, as the follower reads it: in
/// 16 KiB chunks as libcurl delivers them (``JSONRPCClient/readLogs(chunks:sieve:)``); and whole.
/// Logs/s on one thread.
struct LogSieveThroughput: Codable {
    var sievedLogsPerSecond: Int
    var builtLogsPerSecond: Int
    /// The same answer read whole, with the sieve (before answers were read as they arrive).
    var wholeBodySievedLogsPerSecond: Int
    var megabytesPerSecond: Double
    var bytesPerLog: Int
    var kept: Int
    var logs: Int

    var rows: [(String, String)] {
        [("eth_getLogs parse-and-discard (95 % dropped)", "\(sievedLogsPerSecond) logs/s (\(Int(megabytesPerSecond)) MB/s; kept \(kept) of \(logs))"),
         ("eth_getLogs parse, every log built", "\(builtLogsPerSecond) logs/s (\(bytesPerLog) bytes per log)"),
         ("eth_getLogs parse-and-discard, body read whole", "\(wholeBodySievedLogsPerSecond) logs/s")]
    }
}

func logSieveThroughput(measure: (Double, () throws -> Void) throws -> Double) throws -> LogSieveThroughput {
    var random = SystemRandomNumberGenerator()
    func word(_ bytes: Int) -> String { (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &random)) }.joined() }
    let payees = (0..<100_000).map { _ in try! EthereumAddress("0x" + word(20)) }
    let transfer = Keccak256.hash(Array("Transfer(address,address,uint256)".utf8))
    let usdc = "0x833589fcd6edb6e08f4c7c32d4f71b54bda02913"
    var logs: [String] = []
    for index in 0..<10_000 {
        let recipient = index % 20 == 0 ? payees[index % payees.count].bytes.map { String(format: "%02x", $0) }.joined() : word(20)
        let block = 30_000_000 + index / 40
        logs.append(#"{"address":"\#(usdc)","topics":["\#(Hex.encode(transfer))","0x000000000000000000000000\#(word(20))","#
            + #""0x000000000000000000000000\#(recipient)"],"data":"0x\#(String(repeating: "0", count: 54))\#(word(5))","#
            + #""blockNumber":"0x\#(String(block, radix: 16))","transactionHash":"0x\#(word(32))","transactionIndex":"0x\#(String(index % 40, radix: 16))","#
            + #""blockHash":"0x\#(word(32))","blockTimestamp":"0x\#(String(1_750_000_000 + block * 2, radix: 16))","#
            + #""logIndex":"0x\#(String(index % 300, radix: 16))","removed":false}"#)
    }
    let body = Array(#"{"jsonrpc":"2.0","id":1,"result":[\#(logs.joined(separator: ","))]}"#.utf8)
    let sieve = LogSieve(topic0: transfer, recipients: payees)
    var kept = 0
    let chunks = stride(from: 0, to: body.count, by: 16_384).map { Array(body[$0..<min($0 + 16_384, body.count)]) }
    let sieved = try measure(2) { kept = try JSONRPCClient.readLogs(chunks: chunks, sieve: sieve).logs.count }
    let everything = try measure(2) { _ = try JSONRPCClient.readLogs(chunks: chunks, sieve: nil) }
    let whole = try measure(2) { _ = try JSONRPCClient.readLogs(body, sieve: sieve) }
    return LogSieveThroughput(sievedLogsPerSecond: Int(sieved * 10_000), builtLogsPerSecond: Int(everything * 10_000),
                              wholeBodySievedLogsPerSecond: Int(whole * 10_000),
                              megabytesPerSecond: (sieved * Double(body.count) / 1e6).rounded(), bytesPerLog: body.count / 10_000,
                              kept: kept, logs: 10_000)
}
