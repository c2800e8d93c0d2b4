import Testing
@testable import EthereumCore

@Suite struct IntegerTests {
    @Test func decimalRoundTrips() {
        let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        #expect(UInt256(decimal: max) == UInt256.max)
        #expect(UInt256.max.description == max)
        #expect(UInt256(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639936") == nil)
        #expect(UInt256(decimal: "12a") == nil)
        #expect(UInt256(decimal: "") == nil)
        #expect(UInt256(decimal: "10000000000000000000")?.description == "10000000000000000000")
        #expect(UInt256(hex: "0x1a")?.description == "26")
        #expect(UInt256(1_000_000).hexQuantity == "0xf4240")
        #expect(UInt256.zero.hexQuantity == "0x0")
    }

    @Test func arithmeticReportsOverflow() {
        let (sum, overflow) = UInt256.max.addingReportingOverflow(UInt256(1))
        #expect(overflow && sum == .zero)
        let a = UInt256(decimal: "18446744073709551615")!  // 2^64 - 1
        #expect(a.addingReportingOverflow(UInt256(1)).partialValue.description == "18446744073709551616")
        #expect(UInt256(5).subtractingReportingOverflow(UInt256(6)).overflow)
        #expect(UInt256(bigEndian: [0x01, 0x00])?.description == "256")
        #expect(UInt256(bigEndian: [UInt8](repeating: 1, count: 33)) == nil)
    }

    @Test func signedValues() {
        #expect(Int256(decimal: "-1")!.bitPattern == UInt256.max)
        #expect(Int256(decimal: "-42")!.description == "-42")
        let min = "-57896044618658097711785492504343953926634992332820282019728792003956564819968"
        #expect(Int256(decimal: min)?.description == min)
        #expect(Int256(decimal: String(min.dropFirst())) == nil)  // 2^255 is out of range
        #expect(Int256(decimal: "-128")!.fits(bits: 8))
        #expect(!Int256(decimal: "-129")!.fits(bits: 8))
        #expect(Int256(decimal: "127")!.fits(bits: 8))
        #expect(!Int256(decimal: "128")!.fits(bits: 8))
        #expect(Int256(-5) < Int256(3))
    }
}
