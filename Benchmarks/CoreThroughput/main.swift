// Throughput of the Ethereum core: keccak-256, ABI decoding and encoding of a card-sized tuple,
// hex; eth_getLogs answers read and discarded (LogSieveThroughput.swift). Run by `make bench` (release build). Prints a table; numbers are MB/s of input.
// `agentindex-bench search …` times discovery queries in-process instead (SearchLatency.swift).
import ChainRPC
import EthereumCore
import Foundation

if CommandLine.arguments.dropFirst().first == "search" {
    try searchLatency(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "sieve" {   // `make bench`'s table reads this JSON
    let figures = try logSieveThroughput { seconds, body in try measure(seconds: seconds, body) }
    print(String(decoding: try JSONEncoder().encode(figures), as: UTF8.self))
    exit(0)
}

/// Runs `body` repeatedly for about `seconds` and returns iterations per second.
func measure(seconds: Double = 1.0, _ body: () throws -> Void) rethrows -> Double {
    try body()  // warm up
    var iterations = 0
    let start = Date()
    var elapsed = 0.0
    while elapsed < seconds {
        for _ in 0..<16 { try body() }
        iterations += 16
        elapsed = Date().timeIntervalSince(start)
    }
    return Double(iterations) / elapsed
}

let cardType = try ABIType("""
    (string,string,string,string,string,string,string,string,string,(bool,bool,bool),string[],string[],\
    (string,string,string,string[],string[],string[],string[])[],(string,string,bool,string)[],\
    (string,string,address,uint256,address)[])
    """)

/// A realistic card: 3 skills with tags and examples, 2 payment terms.
func sampleCard() throws -> ABIValue {
    let s = { (text: String) in ABIValue.string(text) }
    let skill = ABIValue.tuple([
        s("translate-legal"), s("Legal translation"),
        s("Translate legal documents from English to German and back, preserving clause numbering and defined terms."),
        .array(["translation", "legal", "german", "pdf"].map(s)),
        .array(["Translate this NDA into German", "Check the terminology of this contract"].map(s)),
        .array(["application/pdf", "text/plain"].map(s)), .array(["application/pdf"].map(s)),
    ])
    let usdc = try EthereumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    let payment = ABIValue.tuple([s("exact"), s("base"), .address(usdc), .uint(UInt256(2_500_000)), .address(usdc)])
    return .tuple([
        s("LexTranslate"), s(String(repeating: "Translates legal PDFs between English and German. ", count: 6)),
        s("https://agents.example/lextranslate/"), s("1.0.0"), s("0.3.0"), s("Lex GmbH"), s("https://lex.example"),
        s("https://agents.example/lextranslate/icon.png"), s("https://agents.example/lextranslate/docs"),
        .tuple([.bool(true), .bool(false), .bool(false)]),
        .array(["application/pdf", "text/plain"].map(s)), .array(["application/pdf"].map(s)),
        .array([skill, skill, skill]), .array([]), .array([payment, payment]),
    ])
}

let card = try sampleCard()
let encoded = try ABIEncoder.encode([card], as: [cardType])
let megabyte = [UInt8](repeating: 0x5a, count: 1 << 20)
let mb = { (bytes: Int, perSecond: Double) in Double(bytes) * perSecond / 1_000_000 }

var rows: [(String, String)] = []
rows.append(("keccak-256, 1 MiB input", String(format: "%.1f MB/s", mb(megabyte.count, measure { _ = Keccak256.hash(megabyte) }))))
let small = [UInt8](repeating: 1, count: 64)
rows.append(("keccak-256, 64-byte input", String(format: "%.2f M hashes/s", measure { _ = Keccak256.hash(small) } / 1e6)))
let decodesPerSecond = try measure { _ = try ABIDecoder.decode([cardType], from: encoded) }
rows.append(("ABI decode, card tuple (\(encoded.count) B)", String(format: "%.1f MB/s (%.0f cards/s)", mb(encoded.count, decodesPerSecond), decodesPerSecond)))
let encodesPerSecond = try measure { _ = try ABIEncoder.encode([card], as: [cardType]) }
rows.append(("ABI encode, card tuple", String(format: "%.1f MB/s (%.0f cards/s)", mb(encoded.count, encodesPerSecond), encodesPerSecond)))
let hexText = Hex.encode(megabyte)
rows.append(("hex decode, 1 MiB", String(format: "%.1f MB/s", mb(megabyte.count, try measure { _ = try Hex.decode(hexText) }))))
let amount = UInt256(decimal: "123456789012345678901234567890")!
rows.append(("uint256 to decimal", String(format: "%.2f M/s", measure { _ = amount.description } / 1e6)))

rows += try logSieveThroughput { seconds, body in try measure(seconds: seconds, body) }.rows

let width = rows.map(\.0.count).max()!
print("AgentIndex core throughput (release, \(ProcessInfo.processInfo.activeProcessorCount) cores)")
for (name, value) in rows { print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value) }
