/// Domain names that never name a public host: the special-use names of RFC 6761 and its
/// successors (`localhost`, `local`, `invalid`, `test`, `example`, `onion`, `alt`, `home.arpa`)
/// and ICANN's private-use `internal`. The guard refuses them before any lookup, so a stranger's
/// `https://printer.local/` neither reaches a private host through mDNS or a split-horizon resolver
/// nor makes the fetcher send a DNS query for a name that has no public answer.
///
/// ```swift
/// SpecialUseName.refusal(for: "metadata.google.internal")   // "a private-use name (.internal)…"
/// SpecialUseName.refusal(for: "agent.example.com")          // nil
/// ```
public enum SpecialUseName {
    static let suffixes = ["localhost", "local", "invalid", "test", "example", "onion", "alt", "home.arpa", "internal"]

    /// Why `host` is refused, or nil for an ordinary name. Case and a trailing dot do not matter.
    public static func refusal(for host: String) -> String? {
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        for suffix in suffixes where name == suffix || name.hasSuffix("." + suffix) {
            return "\(host) is a special-use name (.\(suffix)): never resolved, never fetched"
        }
        return nil
    }
}
