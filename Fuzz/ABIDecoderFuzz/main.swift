// libFuzzer target: the ABI decoder on arbitrary bytes (`make fuzz`, `make fuzz-smoke`).
//
// The first byte picks a type list; the rest is decoded with the default limits. Decoding may
// fail, but must never crash, hang or allocate without bound; what decodes must survive an
// encode/decode round trip unchanged.
import FuzzDriver
import EthereumCore
import Foundation

let typeLists: [[ABIType]] = [
    "string", "bytes", "uint256[]", "(string,bytes[])", "bytes32,address,bool,int256", "string[][]",
    "(uint8,string[],(address,uint256)[])[]", "uint256[3][]", "(bool,bytes)[2]", "int8,uint16,bytes4",
].map { try! ABIType.list($0) } + [[AgentCardFuzzShape.card]]

/// The card's ABI shape, spelled out here so this target depends on EthereumCore only.
enum AgentCardFuzzShape {
    static let card = try! ABIType("(string,string,string,string,string,string,string,string,string,(bool,bool,bool),string[],string[],(string,string,string,string[],string[],string[],string[])[],(string,string,bool,string)[],(string,string,address,uint256,address)[])")
}

func fuzzOne(_ bytes: [UInt8]) {
    guard let selector = bytes.first else { return }
    let types = typeLists[Int(selector) % typeLists.count]
    let data = Array(bytes.dropFirst())
    guard let values = try? ABIDecoder.decode(types, from: data) else { return }
    guard let encoded = try? ABIEncoder.encode(values, as: types) else {
        fatalError("decoded values do not encode: \(types)")
    }
    guard let again = try? ABIDecoder.decode(types, from: encoded), again == values else {
        fatalError("round trip changed the values of \(types)")
    }
}

/// libFuzzer's entry point (its own `main` calls it; ours passes it to the driver).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(fuzzInput(data, size))
    return 0
}

runFuzzer(named: "abi-decoder-fuzz", testOneInput)
