// libFuzzer target: the AgentCard decoder on arbitrary bytes (`make fuzz`, `make fuzz-smoke`).
//
// A hostile contract can emit any bytes as a card. Decoding may reject them, but must never
// crash, hang or allocate without bound; an accepted card must render as JSON that parses, and
// encode to bytes that decode to the same card.
import AgentCards
import FuzzDriver
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

/// libFuzzer's entry point (its own `main` calls it; ours passes it to the driver).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(fuzzInput(data, size))
    return 0
}

runFuzzer(named: "card-decoder-fuzz", testOneInput)
