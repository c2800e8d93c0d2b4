import Testing
@testable import EthereumCore

/// The worked examples of the Solidity ABI specification ("Examples" and "Use of Dynamic Types").
@Suite struct ABISpecificationTests {
    func words(_ lines: [String]) -> [UInt8] {
        lines.flatMap { try! Hex.decode($0, prefix: .optional) }
    }

    func check(_ signature: String, selector: String, values: [ABIValue], encoded: [UInt8]) throws {
        let function = ABIFunction(
            name: String(signature.prefix { $0 != "(" }),
            inputs: try ABIType.list(String(signature.drop { $0 != "(" }.dropFirst().dropLast())).map { ABIParameter(name: "", type: $0) },
            outputs: [])
        #expect(function.signature == signature)
        #expect(Hex.encode(function.selector) == selector)
        let call = try function.encodeCall(values)
        #expect(Array(call.dropFirst(4)) == encoded)
        #expect(try ABIDecoder.decode(function.inputs.map(\.type), from: encoded) == values)
    }

    @Test func baz() throws {
        try check("baz(uint32,bool)", selector: "0xcdcd77c0", values: [.uint(UInt256(69)), .bool(true)], encoded: words([
            "0000000000000000000000000000000000000000000000000000000000000045",
            "0000000000000000000000000000000000000000000000000000000000000001"]))
    }

    @Test func bar() throws {
        try check("bar(bytes3[2])", selector: "0xfce353f6",
                  values: [.array([.fixedBytes(Array("abc".utf8)), .fixedBytes(Array("def".utf8))])], encoded: words([
            "6162630000000000000000000000000000000000000000000000000000000000",
            "6465660000000000000000000000000000000000000000000000000000000000"]))
    }

    @Test func sam() throws {
        try check("sam(bytes,bool,uint256[])", selector: "0xa5643bf2",
                  values: [.bytes(Array("dave".utf8)), .bool(true), .array([.uint(UInt256(1)), .uint(UInt256(2)), .uint(UInt256(3))])],
                  encoded: words([
            "0000000000000000000000000000000000000000000000000000000000000060",
            "0000000000000000000000000000000000000000000000000000000000000001",
            "00000000000000000000000000000000000000000000000000000000000000a0",
            "0000000000000000000000000000000000000000000000000000000000000004",
            "6461766500000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000003",
            "0000000000000000000000000000000000000000000000000000000000000001",
            "0000000000000000000000000000000000000000000000000000000000000002",
            "0000000000000000000000000000000000000000000000000000000000000003"]))
    }

    @Test func f() throws {
        try check("f(uint256,uint32[],bytes10,bytes)", selector: "0x8be65246",
                  values: [.uint(UInt256(0x123)), .array([.uint(UInt256(0x456)), .uint(UInt256(0x789))]),
                           .fixedBytes(Array("1234567890".utf8)), .bytes(Array("Hello, world!".utf8))],
                  encoded: words([
            "0000000000000000000000000000000000000000000000000000000000000123",
            "0000000000000000000000000000000000000000000000000000000000000080",
            "3132333435363738393000000000000000000000000000000000000000000000",
            "00000000000000000000000000000000000000000000000000000000000000e0",
            "0000000000000000000000000000000000000000000000000000000000000002",
            "0000000000000000000000000000000000000000000000000000000000000456",
            "0000000000000000000000000000000000000000000000000000000000000789",
            "000000000000000000000000000000000000000000000000000000000000000d",
            "48656c6c6f2c20776f726c642100000000000000000000000000000000000000"]))
    }

    @Test func g() throws {
        let one = ABIValue.uint(UInt256(1)), two = ABIValue.uint(UInt256(2)), three = ABIValue.uint(UInt256(3))
        try check("g(uint256[][],string[])", selector: "0x2289b18c",
                  values: [.array([.array([one, two]), .array([three])]), .array([.string("one"), .string("two"), .string("three")])],
                  encoded: words([
            "0000000000000000000000000000000000000000000000000000000000000040",
            "0000000000000000000000000000000000000000000000000000000000000140",
            "0000000000000000000000000000000000000000000000000000000000000002",
            "0000000000000000000000000000000000000000000000000000000000000040",
            "00000000000000000000000000000000000000000000000000000000000000a0",
            "0000000000000000000000000000000000000000000000000000000000000002",
            "0000000000000000000000000000000000000000000000000000000000000001",
            "0000000000000000000000000000000000000000000000000000000000000002",
            "0000000000000000000000000000000000000000000000000000000000000001",
            "0000000000000000000000000000000000000000000000000000000000000003",
            "0000000000000000000000000000000000000000000000000000000000000003",
            "0000000000000000000000000000000000000000000000000000000000000060",
            "00000000000000000000000000000000000000000000000000000000000000a0",
            "00000000000000000000000000000000000000000000000000000000000000e0",
            "0000000000000000000000000000000000000000000000000000000000000003",
            "6f6e650000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000003",
            "74776f0000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000005",
            "7468726565000000000000000000000000000000000000000000000000000000"]))
    }

    @Test func typeStringsParseToCanonicalForm() throws {
        #expect(try ABIType("uint").canonical == "uint256")
        #expect(try ABIType("(int,(bool,string)[2])[]").canonical == "(int256,(bool,string)[2])[]")
        #expect(try ABISignature.canonical("transfer(address to, uint amount)") == "transfer(address,uint256)")
        for bad in ["uint7", "uint264", "bytes33", "bytes0", "(uint256", "uint256[", "uint256[01]", "foo", "", "int0"] {
            #expect(throws: ABITypeError.self) { try ABIType(bad) }
        }
    }
}
