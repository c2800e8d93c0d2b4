@testable import Documents
import Testing

/// The SSRF guard's decisions: which addresses, ports, schemes and URLs a stranger's URI may reach.
@Suite("SSRF guard: addresses, URLs and pinning")
struct GuardTests {
    @Test("private, loopback, link-local, CGNAT, multicast and their IPv6 forms are refused; public addresses pass",
          arguments: ["127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
                      "100.64.0.1", "100.127.255.254", "0.0.0.0", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
                      "198.18.0.1", "192.0.2.1", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1",
                      "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:c0a8:0101::1",
                      "2001:db8::1", "100::1", "::127.0.0.1"])
    func refused(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(AddressPolicy.refusal(for: address) != nil, "\(text) must be refused")
    }

    @Test("public addresses pass", arguments: ["93.184.215.14", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
                                               "::ffff:8.8.8.8", "2a00:1450:4001::200e"])
    func allowed(_ text: String) throws {
        #expect(AddressPolicy.refusal(for: try #require(IPAddress(text))) == nil)
    }

    @Test("URLs are parsed strictly and redirects resolve against them")
    func urls() throws {
        let url = try FetchURL("HTTPS://Agent.Example:8443/a/b/card.json?x=1#frag")
        #expect(url.scheme == .https && url.host == "agent.example" && url.port == 8443 && url.pathAndQuery == "/a/b/card.json?x=1")
        #expect(url.origin == "https://agent.example:8443")
        #expect(try FetchURL("https://h.example").pathAndQuery == "/" && FetchURL("http://h.example?q").pathAndQuery == "/?q")
        #expect(try FetchURL("https://[::1]:9/x").host == "::1")
        #expect(try url.resolving("/root").description == "https://agent.example:8443/root")
        #expect(try url.resolving("../up.json").description == "https://agent.example:8443/a/up.json")
        #expect(try url.resolving("same.json").description == "https://agent.example:8443/a/b/same.json")
        #expect(try url.resolving("//other.example/p").description == "https://other.example/p")
        #expect(try url.resolving("http://169.254.169.254/latest").host == "169.254.169.254")
        #expect(try url.resolving("?y=2").description == "https://agent.example:8443/a/b/card.json?y=2")
        for bad in ["https://user:pw@host.example/", "https://host.example/a b", "ftp://host.example/", "https://", "https://hö.example/",
                    "https://host.example:99999/", "https://host.example:-1/", "//host.example/", "https://host.example/\\x",
                    "https://[127.0.0.1]/"] {
            #expect(throws: FetchURL.Invalid.self, "\(bad)") { try FetchURL(bad) }
        }
        #expect((try? FetchURL("ftp://h.example/")) == nil)
        do { _ = try FetchURL("gopher://h.example/"); Issue.record("gopher accepted") } catch { #expect(error.unsupportedScheme) }
    }

    @Test("the guard pins a public address, refuses ports, private answers and http:, and honours the allowlist")
    func pinning() throws {
        let answers: [String: [IPAddress]] = [
            "public.example.org": [IPAddress("93.184.215.14")!],
            "mixed.example.org": [IPAddress("10.0.0.7")!, IPAddress("93.184.215.15")!],
            "private.example.org": [IPAddress("192.168.0.10")!, IPAddress("::1")!],
            "metadata.example.org": [IPAddress("169.254.169.254")!],
            "docs.internal": [IPAddress("10.1.2.3")!],
        ]
        let resolve: @Sendable (String) throws(FetchFailure) -> [IPAddress] = { host throws(FetchFailure) in
            guard let found = answers[host] else { throw FetchFailure(.failed, "\(host) does not resolve") }
            return found
        }
        var policy = FetchPolicy()
        let strict = FetchGuard(policy: policy, resolve: resolve)
        #expect(try strict.pin(FetchURL("https://public.example.org/x")) == IPAddress("93.184.215.14"))
        #expect(try strict.pin(FetchURL("https://mixed.example.org/x")) == IPAddress("93.184.215.15"))
        for (url, kind) in [("https://private.example.org/", FetchFailure.Kind.refused), ("https://metadata.example.org/", .refused),
                            ("https://169.254.169.254/latest/meta-data", .refused), ("https://127.0.0.1/", .refused),
                            ("https://[::ffff:7f00:1]/", .refused), ("https://public.example.org:8080/", .refused),
                            ("http://public.example.org/", .unsupported), ("https://nowhere.example.org/", .failed)] {
            do {
                _ = try strict.pin(FetchURL(url))
                Issue.record("\(url) was allowed")
            } catch let failure as FetchFailure {
                #expect(failure.kind == kind, "\(url): \(failure)")
            }
        }
        for name in ["printer.local", "metadata.google.internal", "LOCALHOST.", "a.b.home.arpa", "nowhere.example", "x.invalid", "svc.test"] {
            do {
                _ = try strict.pin(FetchURL("https://\(name)/"))
                Issue.record("\(name) was allowed")
            } catch let failure as FetchFailure {
                #expect(failure.kind == .refused && failure.reason.contains("special-use"), "\(name): \(failure)")
            }
        }
        #expect(SpecialUseName.refusal(for: "example.com") == nil && SpecialUseName.refusal(for: "mylocal") == nil)
        policy.allow = ["127.0.0.1:8080", "private.example.org:443", "docs.internal:443"]
        policy.allowHTTP = true
        let open = FetchGuard(policy: policy, resolve: resolve)
        #expect(try open.pin(FetchURL("http://127.0.0.1:8080/x")) == IPAddress("127.0.0.1"))
        #expect(try open.pin(FetchURL("https://private.example.org/x")) == IPAddress("192.168.0.10"))
        #expect(throws: FetchFailure.self) { try open.pin(FetchURL("http://127.0.0.1:8081/x")) }   // another port
        #expect(try open.pin(FetchURL("http://public.example.org/x")) == IPAddress("93.184.215.14"))
        #expect(try open.pin(FetchURL("https://docs.internal/x")) == IPAddress("10.1.2.3"), "an allowed special-use name is resolved")
    }
}
