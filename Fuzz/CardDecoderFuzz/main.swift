// libFuzzer target: the AgentCard decoder on arbitrary bytes (`make fuzz`, `make fuzz-smoke`).
//
// A hostile contract can emit any bytes as a card. Decoding may reject them, but must never
// crash, hang or allocate without bound; an accepted card must render as JSON that parses, and
// encode to bytes that decode to the same card.
import AgentCards
import CFuzzerDriver
import EthereumCore
import Foundation

func fuzzOne(_ bytes: [UInt8]) {
    guard let card = try? AgentCard(abiEncoded: bytes) else { return }
    let json = card.a2aJSON().serialized()
    guard (try? JSONValue(parsing: Array(json.utf8))) != nil else { fatalError("an accepted card renders invalid JSON") }
    guard let again = try? AgentCard(abiEncoded: card.abiEncoded()), again == card else {
        fatalError("an accepted card does not survive encode/decode")
    }
}

/// libFuzzer's own entry point, for a libFuzzer `main`; ours below calls the driver with the same body.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

guard agentindex_fuzzer_linked() != 0 else {
    FileHandle.standardError.write(Data("card-decoder-fuzz: built without libFuzzer; run `make fuzz` (swift build -Xswiftc -sanitize=fuzzer)\n".utf8))
    exit(2)
}
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in testOneInput(data, size) })
