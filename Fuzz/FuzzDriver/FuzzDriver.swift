import CFuzzerDriver
import Foundation

/// Runs libFuzzer with `body` as the test of one input, and exits with its status. In a build
/// without `-sanitize=fuzzer` it says how to build the target and exits 2.
///
/// ```swift
/// @_cdecl("LLVMFuzzerTestOneInput")
/// func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { … }
/// runFuzzer(named: "abi-decoder-fuzz", testOneInput)
/// ```
public func runFuzzer(named name: String, _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
    guard agentindex_fuzzer_linked() != 0 else {
        FileHandle.standardError.write(Data("\(name): built without libFuzzer; run `make fuzz` (swift build -Xswiftc -sanitize=fuzzer)\n".utf8))
        exit(2)
    }
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, body))
}

/// The bytes libFuzzer hands over.
public func fuzzInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}
