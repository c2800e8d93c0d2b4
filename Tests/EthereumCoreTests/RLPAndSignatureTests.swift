import Testing
@testable import EthereumCore

@Suite struct RLPTests {
    @Test func yellowPaperExamples() throws {
        let cases: [(RLP.Item, String)] = [
            (.bytes(Array("dog".utf8)), "0x83646f67"),
            (.list([.bytes(Array("cat".utf8)), .bytes(Array("dog".utf8))]), "0xc88363617483646f67"),
            (.bytes([]), "0x80"),
            (.list([]), "0xc0"),
            (.uint(.zero), "0x80"),
            (.uint(UInt256(15)), "0x0f"),
            (.uint(UInt256(1024)), "0x820400"),
            (.list([.list([]), .list([.list([])]), .list([.list([]), .list([.list([])])])]), "0xc7c0c1c0c3c0c1c0"),
            (.bytes(Array("Lorem ipsum dolor sit amet, consectetur adipisicing elit".utf8)),
             "0xb8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974"),
        ]
        for (item, hex) in cases {
            #expect(Hex.encode(RLP.encode(item)) == hex)
            #expect(try RLP.decode(Hex.decode(hex)) == item)
        }
    }

    @Test func rejectsNonCanonicalAndTruncated() {
        #expect(throws: RLPError.nonCanonical) { try RLP.decode([0x81, 0x05]) }
        #expect(throws: RLPError.truncated) { try RLP.decode([0x83, 0x64]) }
        #expect(throws: RLPError.trailingBytes) { try RLP.decode([0x80, 0x80]) }
        #expect(throws: RLPError.nonCanonical) { try RLP.decode([0xb8, 0x01, 0x00]) }
    }
}

@Suite struct SignatureTests {
    /// web3.js `accounts.sign("Some data", key)`.
    @Test func web3jsPersonalSignVector() throws {
        let key = try Hex.decode("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
        let expected = try EthereumAddress("0x2c7536E3605D9C16a7a3D7b1898e529396a65c23")
        let hash = Secp256k1.personalMessageHash(Array("Some data".utf8))
        #expect(Hex.encode(hash) == "0x1da44b586eb0729ff70a73c326926f6ed5a25f5b056e7f47fbc6e58d86871655")
        let published = try Hex.decode("0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c")
        #expect(try Secp256k1.recoverAddress(hash: hash, signature: published) == expected)
        var zeroOne = published
        zeroOne[64] -= 27
        #expect(try Secp256k1.recoverAddress(hash: hash, signature: zeroOne) == expected)
        #expect(try Secp256k1.address(privateKey: key) == expected)
        #expect(try Secp256k1.sign(hash: hash, privateKey: key) == published)  // RFC 6979: deterministic
    }

    @Test func badSignaturesAreErrors() throws {
        let hash = [UInt8](repeating: 1, count: 32)
        #expect(throws: SignatureError.invalidSignatureLength(64)) { try Secp256k1.recoverAddress(hash: hash, signature: [UInt8](repeating: 1, count: 64)) }
        #expect(throws: SignatureError.invalidRecoveryID(29)) { try Secp256k1.recoverAddress(hash: hash, signature: [UInt8](repeating: 1, count: 64) + [29]) }
        #expect(throws: SignatureError.invalidSignature) { try Secp256k1.recoverAddress(hash: hash, signature: [UInt8](repeating: 0xff, count: 64) + [27]) }
        #expect(throws: SignatureError.invalidHashLength(31)) { try Secp256k1.recoverAddress(hash: Array(hash.dropLast()), signature: [UInt8](repeating: 1, count: 65)) }
    }

    /// The worked example of EIP-155.
    @Test func eip155Transaction() throws {
        let tx = SignedTransaction(
            type: 0, chainID: nil, nonce: UInt256(9), gasPrice: UInt256(20_000_000_000), maxPriorityFeePerGas: nil,
            maxFeePerGas: nil, gas: UInt256(21_000), to: try EthereumAddress("0x3535353535353535353535353535353535353535"),
            value: UInt256(decimal: "1000000000000000000")!, input: [], accessList: [],
            v: UInt256(37),
            r: UInt256(decimal: "18515461264373351373200002665853028612451056578545711640558177340181847433846")!,
            s: UInt256(decimal: "46948507304638947509940763649030358759909902576025900602547168820602576006531")!)
        #expect(Hex.encode(try tx.signingHash()) == "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53")
        #expect(try tx.recoverSender() == EthereumAddress("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"))
    }
}

@Suite struct JSONValueTests {
    @Test func parsesAndSerializesExactly() throws {
        let text = #"{"a":[1,-2.5e3,true,false,null],"b":"x\"y\\z\n\u00e9\ud83d\ude00","c":{}}"#
        let value = try JSONValue(parsing: text)
        #expect(value["a"]?.arrayValue?.count == 5)
        #expect(value["b"]?.stringValue == "x\"y\\z\né😀")
        #expect(value.serialized() == #"{"a":[1,-2.5e3,true,false,null],"b":"x\"y\\z\né😀","c":{}}"#)
        #expect(JSONValue.string("\u{01}/").serialized() == #""\u0001/""#)
    }

    @Test func rejectsInvalidJSON() {
        for bad in ["", "[1,]", "{\"a\":1,\"a\":2}", "01", "\"\\ud800\"", "[1] x", "{a:1}", "\"\u{01}\""] {
            #expect(throws: JSONParseError.self) { try JSONValue(parsing: bad) }
        }
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    }
}
