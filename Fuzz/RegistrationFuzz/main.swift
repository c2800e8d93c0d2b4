// libFuzzer target: ERC-8004 agent URIs, data: payloads and registration files on arbitrary bytes
// (`make fuzz`, `make fuzz-smoke`).
//
// A registry emits any URI anybody registers. Reading it may refuse it, but must never crash,
// hang or allocate without bound (gzip bombs included); an accepted file must render as JSON that
// parses back to the same file. The first byte picks what the rest is:
//   0: an agentURI as a log carries it;
//   1: a data: payload (wrapped as base64), so gzip streams are reached without text mutations;
//   2: a registration file's JSON.
import AgentCards
import EthereumCore
import Foundation
import FuzzDriver

func check(_ document: RegistrationDocument) {
    guard let file = document.file else {
        if document.status == .ok { fatalError("an ok document without a file") }
        return
    }
    let json = file.json().serialized()
    guard let again = try? RegistrationFile(json: Array(json.utf8)), again == file else {
        fatalError("an accepted registration file does not survive rendering and parsing")
    }
    _ = SearchText.fields(of: file)
}

func fuzzOne(_ bytes: [UInt8]) {
    guard let mode = bytes.first else { return }
    let rest = Array(bytes.dropFirst())
    switch mode % 3 {
    case 0:
        check(RegistrationDocument(agentURI: rest))
    case 1:
        let uri = "data:application/json;base64," + Data(rest).base64EncodedString()
        check(RegistrationDocument(agentURI: Array(uri.utf8)))
    default:
        if let file = try? RegistrationFile(json: rest) {
            check(RegistrationDocument(status: .ok, uri: "", file: file))
        }
    }
}

/// libFuzzer's entry point (its own `main` calls it; ours passes it to the driver).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(fuzzInput(data, size))
    return 0
}

runFuzzer(named: "registration-fuzz", testOneInput)
