import TestSupport
import Testing
@testable import EthereumCore

/// Hostile encodings: every one is an error with a reason, none a crash or a huge allocation.
@Suite struct ABIStrictnessTests {
    func word(_ hex: String) -> [UInt8] {
        let digits = String(repeating: "0", count: 64 - hex.count) + hex
        return try! Hex.decode(digits, prefix: .optional)
    }

    func decode(_ types: String, _ data: [UInt8]) throws(ABIError) -> [ABIValue] {
        try ABIDecoder.decode(try! ABIType.list(types), from: data)
    }

    @Test func dirtyHighBits() throws {
        #expect(throws: ABIError.dirtyHighBits(offset: 0, type: "address")) {
            try decode("address", word("01" + String(repeating: "00", count: 20)))
        }
        #expect(throws: ABIError.dirtyHighBits(offset: 0, type: "bool")) { try decode("bool", word("2")) }
        #expect(throws: ABIError.dirtyHighBits(offset: 0, type: "uint8")) { try decode("uint8", word("100")) }
        #expect(throws: ABIError.dirtyHighBits(offset: 0, type: "int8")) { try decode("int8", word("80")) }  // +128 not sign-extended
        #expect(try decode("int8", word(String(repeating: "f", count: 62) + "80")) == [.int(Int256(-128))])
    }

    @Test func nonZeroPadding() {
        #expect(throws: ABIError.nonZeroPadding(offset: 3)) { try decode("bytes3", word("61626364" + String(repeating: "0", count: 56))) }
        var data = word("20") + word("1") + word("61" + String(repeating: "0", count: 62))
        data[data.count - 1] = 1
        #expect(throws: ABIError.nonZeroPadding(offset: 95)) { try decode("bytes", data) }
    }

    @Test func offsetsAndLengthsOutsideTheData() {
        #expect(throws: ABIError.invalidOffset(offset: 0, value: "4096")) { try decode("string", word("1000")) }
        #expect(throws: ABIError.outOfBounds(offset: 0, length: 32, size: 10)) { try decode("uint256", [UInt8](repeating: 0, count: 10)) }
        // A length of 2^255: refused before anything is allocated.
        #expect(throws: ABIError.self) { try decode("bytes", word("20") + word("8" + String(repeating: "0", count: 63))) }
        #expect(throws: ABIError.absurdLength(offset: 32, length: "1000000")) { try decode("uint256[]", word("20") + word("f4240")) }
        // String longer than the data left.
        #expect(throws: ABIError.outOfBounds(offset: 64, length: 64, size: 96)) { try decode("string", word("20") + word("40") + word("61")) }
    }

    @Test func invalidUTF8() throws {
        let data = word("20") + word("2") + [0xc3, 0x28] + [UInt8](repeating: 0, count: 30)
        #expect(throws: ABIError.invalidUTF8(offset: 32)) { try decode("string", data) }
        #expect(try decode("bytes", data) == [.bytes([0xc3, 0x28])])
    }

    /// 2,000 array elements all pointing at one 8 KiB string: 16 MB of output from 72 KB of input.
    @Test func overlappingOffsetsHitTheBudget() {
        let count = 2_000
        var data = word("20") + word(String(count, radix: 16))
        let tailOffset = 32 * count
        for _ in 0..<count { data += word(String(tailOffset, radix: 16)) }
        data += word(String(8192, radix: 16)) + [UInt8](repeating: 0x61, count: 8192)
        do {
            _ = try decode("string[]", data)
            Issue.record("expected the output budget to stop the decode")
        } catch {
            #expect(error == .budgetExceeded(limit: data.count * 4 + 65_536))
        }
    }

    @Test func deepNestingIsRefused() throws {
        var type = "uint256"
        for _ in 0..<40 { type += "[]" }
        let parsed = try ABIType(type)
        var data = [UInt8]()
        for _ in 0..<40 { data += word("20") + word("1") }
        #expect(throws: ABIError.tooDeep(limit: 32)) { try ABIDecoder.decode([parsed], from: data) }
    }

    /// Random garbage of every small length: decoding throws or returns, never traps.
    @Test func randomGarbageNeverCrashes() throws {
        var rng = SplitMix64(seed: 42)
        let types = try ["string", "bytes,uint256[]", "(string,(bool,address)[])[]", "uint8[3],string[]", "bytes32,int64"].map(ABIType.list)
        var decodedSomething = 0
        for round in 0..<3_000 {
            let length = Int(rng.next() % 400)
            var data = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // Make some words small so offsets and lengths point inside the data.
            for i in stride(from: 0, to: data.count - 31, by: 32) where rng.next() % 2 == 0 {
                for j in 0..<31 { data[i + j] = 0 }
                data[i + 31] = UInt8(rng.next() % 160)
            }
            if (try? ABIDecoder.decode(types[round % types.count], from: data)) != nil { decodedSomething += 1 }
        }
        #expect(decodedSomething > 0)
    }
}

