import Foundation

/// An absolute `http:`/`https:` URL, parsed strictly enough that the host curl connects to is the
/// host that was checked: no user info, an ASCII host (a name, a dotted quad or a bracketed IPv6
/// address), an optional port, and a path and query without spaces or control characters. The
/// fragment is dropped.
///
/// ```swift
/// let url = try FetchURL("https://Agent.Example:8443/.well-known/agent-card.json#x")
/// url.host                   // "agent.example"
/// url.port                   // 8443
/// url.origin                 // "https://agent.example:8443"
/// try url.resolving("/other").description   // "https://agent.example:8443/other"
/// ```
public struct FetchURL: Hashable, Sendable, CustomStringConvertible {
    public enum Scheme: String, Sendable { case http, https }

    public var scheme: Scheme
    /// Lower case; IPv6 without brackets.
    public var host: String
    /// The explicit port, or the scheme's (80, 443).
    public var port: Int
    /// Starts with `/`; includes the query.
    public var pathAndQuery: String

    /// Why a URL is not one AgentIndex fetches.
    public struct Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
        /// The scheme was fine for a URL but is not `http`/`https`.
        public var unsupportedScheme: Bool
        init(_ description: String, unsupportedScheme: Bool = false) {
            self.description = description; self.unsupportedScheme = unsupportedScheme
        }
    }

    public static let maxLength = 2_048

    public init(_ text: String) throws(Invalid) {
        guard text.utf8.count <= Self.maxLength else { throw Invalid("the URL is longer than \(Self.maxLength) bytes") }
        guard let colon = text.firstIndex(of: ":") else { throw Invalid("'\(text.prefix(80))' is not an absolute URL") }
        let schemeText = text[..<colon].lowercased()
        guard let scheme = Scheme(rawValue: schemeText) else {
            let plausible = !schemeText.isEmpty && schemeText.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
            throw Invalid(plausible ? "the scheme '\(schemeText.prefix(32))' is not supported" : "'\(text.prefix(80))' is not an absolute URL",
                          unsupportedScheme: plausible)
        }
        var rest = text[text.index(after: colon)...]
        guard rest.hasPrefix("//") else { throw Invalid("the URL has no '//' after its scheme") }
        rest = rest.dropFirst(2)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        guard !authority.contains("@") else { throw Invalid("the URL carries user info ('@' before the host)") }
        guard path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "\\" }) else {
            throw Invalid("the URL's path has a space, a control character or a backslash")
        }
        let (host, port) = try Self.hostAndPort(authority, scheme: scheme)
        self.scheme = scheme
        self.host = host
        self.port = port
        self.pathAndQuery = path
    }

    private static func hostAndPort(_ authority: Substring, scheme: Scheme) throws(Invalid) -> (String, Int) {
        var hostPart = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw Invalid("an IPv6 host without ']'") }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw Invalid("unexpected characters after the IPv6 host") }
                portText = after.dropFirst()
            }
            guard let address = IPAddress(String(hostPart)), !address.isIPv4 else { throw Invalid("'\(hostPart.prefix(64))' is not an IPv6 address") }
            hostPart = Substring(address.description)
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        let host = hostPart.lowercased()
        guard !host.isEmpty else { throw Invalid("the URL has no host") }
        guard host.utf8.count <= 253 else { throw Invalid("the host name is longer than 253 bytes") }
        if !authority.hasPrefix("[") {
            guard host.utf8.allSatisfy({ byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            }) else {
                throw Invalid("the host '\(host.prefix(64))' is not an ASCII host name (write IDNs in punycode)")
            }
        }
        var port = scheme == .https ? 443 : 80
        if let portText, !portText.isEmpty {
            guard portText.count <= 5, portText.allSatisfy(\.isASCII), let value = Int(portText), value > 0, value <= 65_535 else {
                throw Invalid("the port '\(portText.prefix(16))' is not a port number")
            }
            port = value
        }
        return (host, port)
    }

    /// `scheme://host[:port]`, the port only when it is not the scheme's.
    public var origin: String {
        let defaultPort = scheme == .https ? 443 : 80
        let hostForm = host.contains(":") ? "[" + host + "]" : host
        return scheme.rawValue + "://" + hostForm + (port == defaultPort ? "" : ":\(port)")
    }

    public var description: String { origin + pathAndQuery }

    /// The URL a redirect's `Location` (absolute, scheme-relative, absolute path or relative path)
    /// points at from here (RFC 3986 §5.2, dot segments removed).
    public func resolving(_ reference: String) throws(Invalid) -> FetchURL {
        let trimmed = reference.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("//") { return try FetchURL(scheme.rawValue + ":" + trimmed) }
        if let colon = trimmed.firstIndex(of: ":"), trimmed[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }),
           !trimmed[..<colon].isEmpty {
            return try FetchURL(trimmed)
        }
        var resolved = self
        var reference = Substring(trimmed)
        if let hash = reference.firstIndex(of: "#") { reference = reference[..<hash] }
        if reference.hasPrefix("/") {
            resolved.pathAndQuery = Self.removingDotSegments(String(reference))
        } else if reference.hasPrefix("?") {
            resolved.pathAndQuery = String(pathAndQuery.prefix { $0 != "?" }) + reference
        } else if !reference.isEmpty {
            let basePath = pathAndQuery.prefix { $0 != "?" }
            let directory = basePath[...(basePath.lastIndex(of: "/") ?? basePath.startIndex)]
            resolved.pathAndQuery = Self.removingDotSegments(String(directory) + String(reference))
        }
        return try FetchURL(resolved.description)
    }

    private static func removingDotSegments(_ pathAndQuery: String) -> String {
        let query = pathAndQuery.firstIndex(of: "?").map { String(pathAndQuery[$0...]) } ?? ""
        let path = pathAndQuery.prefix { $0 != "?" }
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            switch segment {
            case ".": if isLast { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if isLast { output.append("") }
            default: output.append(segment)
            }
        }
        return "/" + output.joined(separator: "/") + query
    }
}
