import AgentCards
import EthereumCore
import Foundation
import Testing

/// ERC-8004 registration files: parsed strictly but tolerantly, every limit named when broken.
@Suite struct RegistrationFileTests {
    static let registry = "eip155:1:0x8004A169FB4a3325136EB29fA0ceB6D2e539a432"

    static let specExample = """
        {"type":"https://eips.ethereum.org/EIPS/eip-8004#registration-v1","name":"myAgentName",
         "description":"A natural language description","image":"https://example.com/agentimage.png",
         "services":[{"name":"web","endpoint":"https://web.agentxyz.com/"},
                     {"name":"A2A","endpoint":"https://agent.example/.well-known/agent-card.json","version":"0.3.0"},
                     {"name":"MCP","endpoint":"https://mcp.agent.eth/","version":"2025-06-18"},
                     {"name":"OASF","endpoint":"ipfs://cid","version":"0.8","skills":["natural_language_processing/summarization"],
                      "domains":["finance_and_business/finance"]},
                     {"name":"ENS","endpoint":"vitalik.eth","version":"v1"},{"name":"DID","endpoint":"did:method:foobar"},
                     {"name":"email","endpoint":"mail@myagent.com"},{"name":"wallet","endpoint":"eip155:8453:0xabc","custom":1}],
         "x402Support":true,"active":true,
         "registrations":[{"agentId":22,"agentRegistry":"eip155:1:0x8004a169fb4a3325136eb29fa0ceb6d2e539a432"}],
         "supportedTrust":["reputation","crypto-economic","tee-attestation"],"unknownField":{"nested":[1,2,3]}}
        """

    func parse(_ text: String, limits: RegistrationLimits = .default) throws -> RegistrationFile {
        try RegistrationFile(json: Array(text.utf8), limits: limits)
    }

    func reason(_ text: String, limits: RegistrationLimits = .default) -> String? {
        do { _ = try parse(text, limits: limits); return nil } catch { return "\(error)" }
    }

    @Test func readsTheSpecExample() throws {
        let file = try parse(Self.specExample)
        #expect(file.name == "myAgentName" && file.image == "https://example.com/agentimage.png")
        #expect(file.services.map(\.name) == ["web", "A2A", "MCP", "OASF", "ENS", "DID", "email", "wallet"])
        #expect(file.services[1].version == "0.3.0" && file.services[0].version == nil)
        #expect(file.services[3].skills == ["natural_language_processing/summarization"])
        #expect(file.services[3].domains == ["finance_and_business/finance"])
        #expect(file.x402Support && file.active)
        #expect(file.supportedTrust == ["reputation", "crypto-economic", "tee-attestation"])
        #expect(file.registrations == [.init(agentID: "22", agentRegistry: "eip155:1:0x8004a169fb4a3325136eb29fa0ceb6d2e539a432")])
        // The registry is compared without regard to case, the id as a number.
        #expect(file.lists(agentID: UInt256(22), registry: Self.registry))
        #expect(!file.isMismatched(agentID: UInt256(22), registry: Self.registry))
        #expect(file.isMismatched(agentID: UInt256(23), registry: Self.registry))
        #expect(file.isMismatched(agentID: UInt256(22), registry: "eip155:8453:0x8004A169FB4a3325136EB29fA0ceB6D2e539a432"))
    }

    @Test func defaultsAndLegacyEndpoints() throws {
        let file = try parse(#"{"name":"Old","endpoints":[{"name":"A2A","endpoint":"https://old.example/agent.json"},"junk",{"endpoint":"x"}],"registrations":[{"agentId":"7","agentRegistry":"eip155:1:0xAB"}]}"#)
        #expect(file.services == [.init(name: "A2A", endpoint: "https://old.example/agent.json")], "entries without a name are skipped")
        #expect(file.active && !file.x402Support && file.description.isEmpty && file.type == nil)
        #expect(file.lists(agentID: UInt256(7), registry: "eip155:1:0xab"))
        // `services` wins over `endpoints` when both are there; an empty list of registrations is no mismatch.
        let both = try parse(#"{"name":"B","services":[{"name":"MCP","endpoint":"m"}],"endpoints":[{"name":"A2A","endpoint":"a"}]}"#)
        #expect(both.services.map(\.name) == ["MCP"])
        #expect(!both.isMismatched(agentID: UInt256(1), registry: Self.registry))
        #expect(try parse(#"{"name":"Off","active":false}"#).active == false)
    }

    @Test func rendersTheKnownFieldsInAFixedOrder() throws {
        let json = try parse(Self.specExample).json().serialized()
        #expect(json.hasPrefix(#"{"type":"https://eips.ethereum.org/EIPS/eip-8004#registration-v1","name":"myAgentName","description":"#))
        #expect(json.contains(#""registrations":[{"agentId":22,"agentRegistry":"#))
        #expect(!json.contains("unknownField") && !json.contains("custom"))
        // Rendering then parsing again gives the same file.
        #expect(try parse(json) == parse(Self.specExample))
    }

    @Test func refusesWhatBreaksARule() {
        #expect(reason("not json")?.contains("not JSON") == true)
        #expect(reason("[1,2]") == "the registration file is not a JSON object")
        #expect(reason(#"{"description":"no name"}"#) == "name is missing or blank")
        #expect(reason(#"{"name":"  "}"#) == "name is missing or blank")
        #expect(reason(#"{"name":42}"#) == "name is not a string")
        #expect(reason(#"{"name":"a","active":"yes"}"#) == "active is not true or false")
        #expect(reason(#"{"name":"a","services":{"name":"A2A"}}"#) == "services is not a list")
        #expect(reason(#"{"name":"a","registrations":[5]}"#) == "registrations[0] is not an object")
        #expect(reason(#"{"name":"a","registrations":[{"agentId":true}]}"#) == "registrations[0].agentId is not a number or a string")
        #expect(reason(#"{"name":"a","name":"b"}"#)?.contains("duplicate") == true)
        #expect(reason(#"{"name":"\#(String(repeating: "n", count: 257))"}"#) == "name has size 257, more than the limit of 256")
        let services = (0..<65).map { #"{"name":"s\#($0)","endpoint":"e"}"# }.joined(separator: ",")
        #expect(reason(#"{"name":"a","services":[\#(services)]}"#) == "services has 65 entries, more than the limit of 64")
        let skills = (0..<65).map { #""k\#($0)""# }.joined(separator: ",")
        #expect(reason(#"{"name":"a","services":[{"name":"OASF","skills":[\#(skills)]}]}"#) == "services[0].skills has 65 entries, more than the limit of 64")
        #expect(reason(#"{"name":"a","services":[{"name":"OASF","skills":[1]}]}"#) == "services[0].skills[0] is not a string")
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(reason(#"{"name":"a","x":\#(deep)}"#)?.contains("not JSON") == true)
        var small = RegistrationLimits()
        small.maxDocumentBytes = 10
        #expect(reason(#"{"name":"abcdefgh"}"#, limits: small) == "the registration file is 19 bytes, more than the limit of 10")
    }
}

/// `data:` URIs as agents publish fully on-chain registration files, and the status of every other URI.
@Suite struct DataURITests {
    static let file = #"{"name":"Quill","services":[{"name":"A2A","endpoint":"https://quill.example/a.json"}]}"#
    /// gzip of a registration file (Python's gzip module, mtime 0).
    static let gzipped = "H4sIAAAAAAAC/01PPU/DMBD9K+hYEyeUDihbJRi6FZWt6mA5R2pIbHN3Touq/nfOVJU6vnfv684gvwmhg4NI4q5p0Cc2KAckzJOJNDRv68220PVL2y4fCQfPQlZ8DPX8BBUEO5WA9+zHUWGP7Minclf2leyn8IOLQT1O2KiCkWbvkKHbnW/u1WKlFwx9ij7I3Z6fEmvwZKc0YmOOOI71d4jH0NgBg9TOUm++WMsqmJH4WtuaZ9PCZV/BadkutjmlSJoqlLEC3eFnvKH7h8ok9fBVj/0HZVbbTkUpy78E9pc/iL36RjQBAAA="
    /// 300,000 spaces in 326 bytes.
    static let bomb = "H4sIAAAAAAAC/+3BAQ0AAADCoCrvn9IeDigAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAPgx3yofVOCTBAA="
    /// A 20 KB file in 86 bytes: within the size limit, past the ratio limit.
    static let ratio = "H4sIAAAAAAAC/+3IsQ1AQAAF0F1+bQLbXLjiCkdQSMTujKF4r3x3ellqxlwZMtdj2tt2trV/UwAAAAAAAAAAAAAAAAAAAAAAAAD4hTwvwxBU5T1OAAA="
    static let truncated = "H4sIAAAAAAAC/01PPU/DMBD9K+hYEyeUDihbJRi6FZWt6mA5R2pIbHN3Touq/nfOVJU6vnfv684gvwmhg4NI4q5p0Cc2KAckzJOJNDRv68220PVL2y4fCQfPQlZ8DPX8BBUEO5WA9+zHUWGP7Minclf2leyn8IOLQT1O2KiCkWbvkKHbnW/u1WKlFwx9ij7I3Z6fEmvwZKc0YmOOOI71d4jH0NgBg9TOUm++WMsqmJH4WtuaZ9PCZV/BadkutjmlSJoqlLEC3eFnvKH7h8ok9fBVj/0HZVbbTkUpy78E9pc/iL0="
    static let trailing = "H4sIAAAAAAAC/01PPU/DMBD9K+hYEyeUDihbJRi6FZWt6mA5R2pIbHN3Touq/nfOVJU6vnfv684gvwmhg4NI4q5p0Cc2KAckzJOJNDRv68220PVL2y4fCQfPQlZ8DPX8BBUEO5WA9+zHUWGP7Minclf2leyn8IOLQT1O2KiCkWbvkKHbnW/u1WKlFwx9ij7I3Z6fEmvwZKc0YmOOOI71d4jH0NgBg9TOUm++WMsqmJH4WtuaZ9PCZV/BadkutjmlSJoqlLEC3eFnvKH7h8ok9fBVj/0HZVbbTkUpy78E9pc/iL36RjQBAAB4eA=="

    func document(_ uri: String) -> RegistrationDocument { RegistrationDocument(agentURI: Array(uri.utf8)) }

    func reason(_ uri: String) -> String? {
        do { _ = try DataURI.json(uri); return nil } catch { return "\(error)" }
    }

    @Test func decodesBase64PercentAndCharsets() throws {
        let base64 = Data(Self.file.utf8).base64EncodedString()
        for uri in ["data:application/json;base64,\(base64)", "DATA:Application/JSON;charset=utf-8;base64,\(base64)",
                    "data:application/json;charset=UTF-8,\(Self.file.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                    "data:application/json,\(Self.file)",
                    "data:application/agent+json;base64,\(base64.replacingOccurrences(of: "=", with: ""))"] {
            #expect(try String(decoding: DataURI.json(uri), as: UTF8.self) == Self.file, "\(uri)")
            #expect(document(uri).status == .ok && document(uri).file?.name == "Quill")
        }
        // The URL-safe alphabet decodes like the standard one.
        let awkward = #"{"name":"??>>"}"#
        let urlSafe = Data(awkward.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        #expect(try String(decoding: DataURI.json("data:application/json;base64,\(urlSafe)"), as: UTF8.self) == awkward)
    }

    @Test func decompressesGzipWithinItsCaps() throws {
        let document = document("data:application/json;enc=gzip;base64,\(Self.gzipped)")
        #expect(document.status == .ok && document.file?.name == "Quill" && document.file?.x402Support == true)
        #expect(reason("data:application/json;base64,\(Self.bomb)")?.contains("expands to more than 32600 bytes") == true)
        #expect(reason("data:application/json;base64,\(Self.ratio)")?.contains("expands to more than 8600 bytes") == true)
        #expect(reason("data:application/json;base64,\(Self.truncated)")?.contains("corrupt") == true)
        #expect(reason("data:application/json;base64,\(Self.trailing)")?.contains("follow the end") == true)
        #expect(reason("data:application/json;base64,H4sIAAAA")?.contains("corrupt") == true)
    }

    @Test func refusesBadDataURIs() {
        #expect(reason("data:text/plain,{}") == "the data: URI's media type 'text/plain' is not application/json")
        #expect(reason("data:;base64,e30=") == "the data: URI's media type '' is not application/json")
        #expect(reason("data:application/json;charset=latin1,{}") == "the data: URI's charset 'latin1' is not UTF-8")
        #expect(reason("data:application/json;base64") == "the data: URI has no ','")
        #expect(reason("data:application/json;base64,!!!") == "the data: URI's payload is not valid base64")
        #expect(reason("data:application/json,%7") == "the data: URI has a bad %-escape at byte 0")
        #expect(reason("data:application/json,%zz") == "the data: URI has a bad %-escape at byte 0")
        #expect(document("data:application/json,[1]").reason == "the registration file is not a JSON object")
        #expect(document("data:application/json,[1]").bytes == Array("[1]".utf8), "an invalid file keeps its bytes")
    }

    @Test func otherURIsArePendingOrAbsent() {
        #expect(document("").status == .absent && document("   ").status == .absent)
        for uri in ["https://agent.example/registration.json", "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
                    "ar://abc", "http://x", "not even a URI"] {
            #expect(document(uri).status == .pending && document(uri).uri == uri)
        }
        #expect(RegistrationDocument(agentURI: [0x68, 0xFF, 0xFE]).reason == "agentURI is not valid UTF-8")
        #expect(document("https://x.example/" + String(repeating: "a", count: 2_100)).reason
                == "agentURI is 2118 bytes, more than the limit of 2048 for a URI to fetch")
        var limits = RegistrationLimits()
        limits.maxURIBytes = 8
        #expect(RegistrationDocument(agentURI: Array("https://long.example".utf8), limits: limits).reason
                == "agentURI is 20 bytes, more than the limit of 8")
    }
}
