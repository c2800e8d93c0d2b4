/// Which addresses a URL from a stranger may reach: public unicast only.
///
/// Refused: loopback, private (RFC 1918), link-local (169.254/16, where cloud metadata answers),
/// CGNAT (100.64/10), "this network" and unspecified, benchmarking, documentation and protocol
/// ranges, multicast, reserved and broadcast; for IPv6 the same plus unique-local (fc00::/7),
/// link-local (fe80::/10), site-local, discard, documentation, and every form that carries an IPv4
/// address (mapped, compatible, NAT64, 6to4), judged by that address.
///
/// ```swift
/// AddressPolicy.refusal(for: IPAddress("169.254.169.254")!)   // "169.254.169.254 is link-local …"
/// AddressPolicy.refusal(for: IPAddress("93.184.215.14")!)     // nil: public
/// ```
public enum AddressPolicy {
    /// Why `address` may not be reached, or nil when it is public.
    public static func refusal(for address: IPAddress) -> String? {
        if let why = address.isIPv4 ? ipv4Reason(address.bytes) : ipv6Reason(address) {
            return "\(address) is \(why)"
        }
        return nil
    }

    private static func ipv4Reason(_ b: [UInt8]) -> String? {
        let ranges: [(prefix: [UInt8], bits: Int, why: String)] = [
            ([0], 8, "in 0.0.0.0/8 (this network, unspecified)"),
            ([10], 8, "private (10.0.0.0/8)"),
            ([100, 64], 10, "shared address space (CGNAT, 100.64.0.0/10)"),
            ([127], 8, "loopback"),
            ([169, 254], 16, "link-local (169.254.0.0/16, cloud metadata)"),
            ([172, 16], 12, "private (172.16.0.0/12)"),
            ([192, 0, 0], 24, "an IETF protocol assignment (192.0.0.0/24)"),
            ([192, 0, 2], 24, "documentation (192.0.2.0/24)"),
            ([192, 88, 99], 24, "a 6to4 relay anycast address"),
            ([192, 168], 16, "private (192.168.0.0/16)"),
            ([198, 18], 15, "benchmarking (198.18.0.0/15)"),
            ([198, 51, 100], 24, "documentation (198.51.100.0/24)"),
            ([203, 0, 113], 24, "documentation (203.0.113.0/24)"),
            ([224], 4, "multicast"),
            ([240], 4, "reserved (240.0.0.0/4) or broadcast"),
        ]
        return ranges.first { matches(b, $0.prefix, bits: $0.bits) }?.why
    }

    private static func ipv6Reason(_ address: IPAddress) -> String? {
        let b = address.bytes
        if b.allSatisfy({ $0 == 0 }) { return "unspecified (::)" }
        if b.dropLast().allSatisfy({ $0 == 0 }) && b[15] == 1 { return "loopback (::1)" }
        if let v4 = address.embeddedIPv4 {
            if let why = ipv4Reason(v4.bytes) { return "an IPv6 form of \(v4), which is \(why)" }
            // A public IPv4 address behind a mapped or compatible form is still that address;
            // NAT64 and 6to4 reach it through a translator, which is public too.
            return nil
        }
        let ranges: [(prefix: [UInt8], bits: Int, why: String)] = [
            ([0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01], 48, "local-use NAT64 (64:ff9b:1::/48)"),
            ([0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, "discard-only (100::/64)"),
            ([0x20, 0x01, 0x0D, 0xB8], 32, "documentation (2001:db8::/32)"),
            ([0x20, 0x01, 0x00], 23, "an IETF protocol assignment (2001::/23)"),
            ([0xFC], 7, "unique-local (fc00::/7)"),
            ([0xFE, 0x80], 10, "link-local (fe80::/10)"),
            ([0xFE, 0xC0], 10, "site-local (fec0::/10)"),
            ([0xFF], 8, "multicast (ff00::/8)"),
            ([0x00], 8, "reserved (::/8)"),
        ]
        return ranges.first { matches(b, $0.prefix, bits: $0.bits) }?.why
    }

    /// Whether the first `bits` bits of `bytes` equal those of `prefix`.
    private static func matches(_ bytes: [UInt8], _ prefix: [UInt8], bits: Int) -> Bool {
        var remaining = bits
        for (index, want) in prefix.enumerated() where remaining > 0 {
            let take = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if bytes[index] & mask != want & mask { return false }
            remaining -= take
        }
        return true
    }
}
