import Crypto
@testable import Documents
import EthereumCore
import Testing

/// JCS (RFC 8785) and the JWS checks of A2A card signatures.
@Suite("Card signatures: JCS and JWS")
struct SignatureTests {
    @Test("numbers are written as ECMAScript writes them (RFC 8785 appendix B)")
    func numbers() {
        let vectors: [(UInt64, String)] = [
            (0x0000000000000000, "0"), (0x8000000000000000, "0"), (0x0000000000000001, "5e-324"), (0x8000000000000001, "-5e-324"),
            (0x7FEFFFFFFFFFFFFF, "1.7976931348623157e+308"), (0x4340000000000000, "9007199254740992"),
            (0xC340000000000000, "-9007199254740992"), (0x4430000000000000, "295147905179352830000"),
            (0x44B52D02C7E14AF5, "9.999999999999997e+22"), (0x44B52D02C7E14AF6, "1e+23"), (0x44B52D02C7E14AF7, "1.0000000000000001e+23"),
            (0x444B1AE4D6E2EF4E, "999999999999999700000"), (0x444B1AE4D6E2EF4F, "999999999999999900000"),
            (0x444B1AE4D6E2EF50, "1e+21"), (0x3EB0C6F7A0B5ED8C, "9.999999999999997e-7"), (0x3EB0C6F7A0B5ED8D, "0.000001"),
            (0x41B3DE4355555553, "333333333.3333332"), (0x41B3DE4355555554, "333333333.33333325"),
            (0x41B3DE4355555555, "333333333.3333333"), (0x41B3DE4355555556, "333333333.3333334"),
            (0x41B3DE4355555557, "333333333.33333343"), (0xBECBF647612F3696, "-0.0000033333333333333333"),
            (0x43143FF3C1CB0959, "1424953923781206.2"),
        ]
        for (bits, text) in vectors {
            #expect(JCS.ecmaScript(Double(bitPattern: bits)) == text, "0x\(String(bits, radix: 16))")
        }
    }

    @Test("the RFC 8785 example and member order by UTF-16 code units")
    func canonicalForm() throws {
        let input = #"{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}"#
        let expected = #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        #expect(String(decoding: try JCS.canonical(JSONValue(parsing: input)), as: UTF8.self) == expected)
        let sorting = #"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#
        let sorted = String(decoding: try JCS.canonical(JSONValue(parsing: sorting)), as: UTF8.self)
        #expect(sorted == #"{"\r":"Carriage Return","1":"One","\#u{80}":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","דּ":"Hebrew Letter Dalet With Dagesh"}"#)
        #expect(throws: JCS.Invalid.self) { try JCS.canonical(.object([("a", .number("1")), ("a", .number("2"))])) }
        #expect(throws: JCS.Invalid.self) { try JCS.canonical(JSONValue(parsing: "1e400")) }
    }

    @Test("the Ed25519 JWS of RFC 8037 verifies; a changed byte does not")
    func ed25519Vector() throws {
        let key = try JWK(json: JSONValue(parsing: #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#))
        let input = Array("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc".utf8)
        let signature = try #require(Base64URL.decode("hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"))
        #expect(key.verifies(signature, over: input, algorithm: "EdDSA"))
        #expect(!key.verifies(signature, over: input + [0x20], algorithm: "EdDSA"))
        #expect(!key.verifies(signature, over: input, algorithm: "ES256"))
    }

    static let card = #"{"name":"Quill","description":"Writes","version":"1.0","skills":[{"id":"w","name":"Write","description":"","tags":["x"]}],"capabilities":{}}"#

    /// `card` with one signature by `key` carried as `jwk`, `jku` or `kid` only.
    static func signed(_ card: String, key: P256.Signing.PrivateKey, carry: String, signedCard: String? = nil) throws -> JSONValue {
        let publicJWK = #"{"kty":"EC","crv":"P-256","x":"\#(Base64URL.encode(Array(key.publicKey.rawRepresentation.prefix(32))))","y":"\#(Base64URL.encode(Array(key.publicKey.rawRepresentation.suffix(32))))","kid":"k1"}"#
        let header = switch carry {
        case "jwk": #"{"alg":"ES256","typ":"JOSE","kid":"k1","jwk":\#(publicJWK)}"#
        case "jku": #"{"alg":"ES256","kid":"k1","jku":"https://keys.example/jwks.json"}"#
        default: #"{"alg":"ES256","kid":"k1"}"#
        }
        let protected = Base64URL.encode(Array(header.utf8))
        let payload = try JCS.canonical(JSONValue(parsing: signedCard ?? card))
        let signature = try key.signature(for: Array((protected + "." + Base64URL.encode(payload)).utf8))
        guard case .object(var members) = try JSONValue(parsing: card) else { throw JWSError("not an object") }
        members.append(("signatures", .array([.object([("protected", .string(protected)),
                                                      ("signature", .string(Base64URL.encode(Array(signature.rawRepresentation))))])])))
        return .object(members)
    }

    @Test("valid with an embedded key or a jku key set, invalid when tampered, unverifiable with only a kid, absent without")
    func cardSignatures() throws {
        let key = P256.Signing.PrivateKey()
        let jwks = #"{"keys":[{"kty":"EC","crv":"P-256","x":"\#(Base64URL.encode(Array(key.publicKey.rawRepresentation.prefix(32))))","y":"\#(Base64URL.encode(Array(key.publicKey.rawRepresentation.suffix(32))))","kid":"k1"}]}"#
        var fetched: [String] = []
        let fetch = { (url: String) throws -> [UInt8] in fetched.append(url); return Array(jwks.utf8) }
        #expect(CardSignatures.check(try Self.signed(Self.card, key: key, carry: "jwk"), fetchKeySet: fetch).status == .valid)
        #expect(CardSignatures.check(try Self.signed(Self.card, key: key, carry: "jku"), fetchKeySet: fetch).status == .valid)
        #expect(fetched == ["https://keys.example/jwks.json"])
        let tampered = Self.card.replacingOccurrences(of: "Writes", with: "Steals")
        let outcome = CardSignatures.check(try Self.signed(tampered, key: key, carry: "jwk", signedCard: Self.card), fetchKeySet: fetch)
        #expect(outcome.status == .invalid && outcome.reason?.contains("does not verify") == true)
        #expect(CardSignatures.check(try Self.signed(Self.card, key: key, carry: "kid"), fetchKeySet: fetch).status == .unverifiable)
        let unreachable = CardSignatures.check(try Self.signed(Self.card, key: key, carry: "jku")) { _ in throw JWSError("refused") }
        #expect(unreachable.status == .unverifiable)
        #expect(CardSignatures.check(try JSONValue(parsing: Self.card), fetchKeySet: fetch).status == .absent)
        // Signed by the A2A Python SDK's canonical form (empty values dropped): still valid.
        let sdkForm = #"{"name":"Quill","description":"Writes","version":"1.0","skills":[{"id":"w","name":"Write","tags":["x"]}]}"#
        #expect(CardSignatures.check(try Self.signed(Self.card, key: key, carry: "jwk", signedCard: sdkForm), fetchKeySet: fetch).status == .valid)
    }

    @Test("base64url round trips and refuses other alphabets")
    func base64url() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("a+b/") == nil && Base64URL.decode("a") == nil)
    }
}
