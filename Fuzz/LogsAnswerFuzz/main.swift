// libFuzzer target: the eth_getLogs answer reader on arbitrary bytes (`make fuzz`, `make
// fuzz-smoke`). Providers choose these bytes. Reading may refuse them, but must never crash,
// hang or allocate without bound; and the sieve that drops transfers to nobody followed must
// agree with reading everything:
// - what the sieve-free reader accepts, the sieving reader accepts too, with the same count;
// - the logs it keeps are exactly those the sieve-free reader returns minus the transfers
//   (three topics, Transfer's topic0, a clean address word) to a recipient not followed;
// - read as it arrives, cut into pieces (the first byte sets their size), the answer reads
//   exactly as the whole body: the same logs and counts, refused where the body is refused.
import ChainRPC
import EthereumCore
import FuzzDriver

let transferTopic = Keccak256.hash(Array("Transfer(address,address,uint256)".utf8))
let followed: [EthereumAddress] = [try! EthereumAddress("0x00000000000000000000000000000000000000aa"),
                                   try! EthereumAddress("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")]
let sieve = LogSieve(topic0: transferTopic, recipients: followed)

func dropped(_ log: Log) -> Bool {
    guard log.topics.count == 3, log.topics[0].bytes == transferTopic, let to = try? EthereumAddress(word: log.topics[2].bytes) else { return false }
    return !followed.contains(to)
}

/// `bytes` read as they would arrive, in pieces of `size` bytes.
func streamed(_ bytes: [UInt8], size: Int, sieve: LogSieve?) -> LogsAnswer? {
    try? JSONRPCClient.readLogs(chunks: stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) },
                                sieve: sieve)
}

func same(_ a: LogsAnswer?, _ b: LogsAnswer?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return a.read == b.read && a.logs == b.logs
}

func fuzzOne(_ bytes: [UInt8]) {
    let everything = try? JSONRPCClient.readLogs(bytes, sieve: nil)
    let sieved = try? JSONRPCClient.readLogs(bytes, sieve: sieve)
    let size = Int(bytes.first ?? 0) % 64 + 1
    guard same(streamed(bytes, size: size, sieve: nil), everything), same(streamed(bytes, size: size, sieve: sieve), sieved) else {
        fatalError("read as it arrives, the answer read otherwise than whole")
    }
    guard let everything else { return }
    guard let sieved else { fatalError("the sieve refused an answer the plain reader accepts") }
    guard sieved.read == everything.read, sieved.logs == everything.logs.filter({ !dropped($0) }) else {
        fatalError("the sieve kept other logs than reading everything and dropping gives")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(fuzzInput(data, size))
    return 0
}

runFuzzer(named: "logs-answer-fuzz", testOneInput)
