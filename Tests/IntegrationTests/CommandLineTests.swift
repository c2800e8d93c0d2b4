import EthereumCore
import Testing

/// The `agentindex` binary: results on stdout, one-line errors on stderr with exit status 1.
@Suite struct CommandLineTests {
    @Test func helpListsEverySubcommand() throws {
        let help = try agentindex("--help")
        #expect(help.status == 0)
        #expect(help.stdout.contains("abi"))
        #expect(help.stdout.contains("sig"))
        let abiHelp = try agentindex("abi", "--help")
        for sub in ["selector", "topic", "decode", "encode"] { #expect(abiHelp.stdout.contains(sub)) }
    }

    @Test func selectorAndTopic() throws {
        #expect(try agentindex("abi", "selector", "transfer(address,uint256)").stdout == "0xa9059cbb\n")
        #expect(try agentindex("abi", "selector", "transfer(address to, uint amount)").stdout == "0xa9059cbb\n")
        #expect(try agentindex("abi", "topic", "Transfer(address,address,uint256)").stdout
                == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef\n")
    }

    @Test func encodeThenDecode() throws {
        let encoded = try agentindex("abi", "encode", "(string,uint256[])", #"["hello",["1","115792089237316195423570985008687907853269984665640564039457584007913129639935"]]"#)
        #expect(encoded.status == 0)
        let hex = encoded.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let decoded = try agentindex("abi", "decode", "(string,uint256[])", hex)
        #expect(decoded.status == 0)
        #expect(decoded.stdout == #"["hello",["1","115792089237316195423570985008687907853269984665640564039457584007913129639935"]]"# + "\n")
        // The same types without the outer parentheses.
        #expect(try agentindex("abi", "decode", "string,uint256[]", hex).stdout == decoded.stdout)
    }

    @Test func errorsAreOneLineOnStderrWithStatusOne() throws {
        let cases: [[String]] = [
            ["abi", "decode", "uint8", "0x" + String(repeating: "0", count: 60) + "0100"],  // dirty high bits
            ["abi", "decode", "string", "0x1234"],                                           // truncated
            ["abi", "decode", "uint9", "0x"],                                                // bad type
            ["abi", "encode", "uint8", #"["300"]"#],                                         // out of range
            ["abi", "encode", "uint8", "not json"],
            ["sig", "recover", "0x1234", "0x00"],
            ["abi", "selector", "no parentheses"],
            ["no-such-command"],
        ]
        for arguments in cases {
            let result = try runCommand(Paths.binary, arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stdout.isEmpty, "\(arguments)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: "), "\(arguments)")
        }
    }

    @Test func sigRecoverTheWeb3jsVector() throws {
        let hash = try agentindex("sig", "personal-hash", "Some data").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try agentindex("sig", "recover", hash,
            "0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c")
        #expect(result.stdout == "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23\n")
    }
}
