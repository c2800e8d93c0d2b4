import Testing
@testable import EthereumCore

@Suite struct HexTests {
    @Test func decodesAndEncodes() throws {
        #expect(try Hex.decode("0xdeadBEEF") == [0xde, 0xad, 0xbe, 0xef])
        #expect(try Hex.decode("0x") == [])
        #expect(try Hex.decode("ff", prefix: .optional) == [0xff])
        #expect(Hex.encode([0x00, 0xab]) == "0x00ab")
        #expect(Hex.encode([0x01], prefix: false) == "01")
    }

    @Test func rejectsBadInputWithAReason() {
        #expect(throws: HexError.oddLength(3)) { try Hex.decode("0xabc") }
        #expect(throws: HexError.invalidCharacter(position: 1)) { try Hex.decode("0xag") }
        #expect(throws: HexError.missingPrefix) { try Hex.decode("abcd") }
        #expect(throws: HexError.invalidCharacter(position: 0)) { try Hex.decode("0x€€") }
    }
}

@Suite struct KeccakTests {
    /// Official Keccak-256 vectors (as used by Ethereum; not SHA3-256).
    @Test(arguments: [
        ("", "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
        ("abc", "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
        ("The quick brown fox jumps over the lazy dog", "0x4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"),
        ("testing", "0x5f16f4c7f149ac4f9510d9cf8cf384038ad348b3bcdc01915f95de12df9d1b02"),
    ])
    func officialVectors(input: String, digest: String) {
        #expect(Hex.encode(Keccak256.hash(input)) == digest)
    }

    @Test func selectorsAndTopics() {
        #expect(Hex.encode(ABISignature.selector("transfer(address,uint256)")) == "0xa9059cbb")
        #expect(Hex.encode(ABISignature.topic("Transfer(address,address,uint256)"))
                == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
    }

    /// Messages around the 136-byte rate must hash like the block-at-once path.
    @Test func rateBoundariesAgreeWithChunkedInput() {
        for length in [135, 136, 137, 271, 272, 273] {
            let message = [UInt8](repeating: 0x61, count: length)
            let viaArray = Keccak256.hash(message)
            let viaSlice = Keccak256.hash(ArraySlice(message))
            #expect(viaArray == viaSlice)
            #expect(viaArray.count == 32)
        }
        #expect(Keccak256.hash([UInt8](repeating: 0x61, count: 136)) != Keccak256.hash([UInt8](repeating: 0x61, count: 135)))
    }
}

@Suite struct AddressTests {
    /// The examples of EIP-55.
    @Test(arguments: [
        "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ])
    func eip55Examples(text: String) throws {
        let address = try EthereumAddress(text)
        let isMixed = text.dropFirst(2).contains { $0.isLowercase } && text.dropFirst(2).contains { $0.isUppercase }
        if isMixed { #expect(address.checksummed == text) }
        #expect(try EthereumAddress(text.lowercased()) == address)
        #expect(try EthereumAddress(address.checksummed) == address)
    }

    @Test func rejectsABadChecksumAndBadLengths() {
        #expect(throws: AddressError.badChecksum) { try EthereumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD") }
        #expect(throws: AddressError.wrongLength(19)) { try EthereumAddress("0x" + String(repeating: "ab", count: 19)) }
        #expect(throws: AddressError.missingPrefixError) { try EthereumAddress(String(repeating: "ab", count: 20)) }
    }

    /// The address holds its bytes inline: every way in gives back the same 20 bytes, order is
    /// the bytes' order, and equal addresses hash alike.
    @Test func inlineBytesRoundTripAndOrderAsBytes() throws {
        var generator = SystemRandomNumberGenerator()
        var addresses: [EthereumAddress] = [.zero]
        for _ in 0..<500 {
            var bytes = (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if Bool.random(using: &generator) { bytes[Int.random(in: 0..<20, using: &generator)] = addresses.count % 2 == 0 ? 0 : 0xff }
            let address = try EthereumAddress(bytes: bytes)
            #expect(address.bytes == bytes)
            #expect(address.lowercased == Hex.encode(bytes))
            #expect(try EthereumAddress(address.lowercased) == address)
            #expect(try EthereumAddress(address.checksummed) == address)
            #expect(try EthereumAddress(word: [UInt8](repeating: 0, count: 12) + bytes) == address)
            #expect(address.withUnsafeBytes { Array($0) } == bytes)
            #expect(TopicWord(address: address) == TopicWord([UInt8](repeating: 0, count: 12) + bytes))
            addresses.append(address)
        }
        #expect(EthereumAddress.zero.bytes == [UInt8](repeating: 0, count: 20))
        for (a, b) in zip(addresses, addresses.shuffled()) {
            #expect((a < b) == a.bytes.lexicographicallyPrecedes(b.bytes))
            #expect((a == b) == (a.bytes == b.bytes))
        }
        #expect(Set(addresses + addresses.map { try! EthereumAddress(bytes: $0.bytes) }).count == Set(addresses.map(\.bytes)).count)
    }
}

extension AddressError {
    static let missingPrefixError = AddressError.invalidHex(.missingPrefix)
}
