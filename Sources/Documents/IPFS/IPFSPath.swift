import EthereumCore

/// Where an `ipfs:` URI points: a root CID and the directory entries below it.
///
/// Accepts `ipfs://CID[/path]`, the `ipfs://ipfs/CID[/path]` some tools write, and a gateway path
/// `/ipfs/CID[/path]`. Path segments are percent-decoded; `.`, `..` and empty segments are refused.
///
/// ```swift
/// let location = try IPFSPath(uri: "ipfs://bafybeigdyrzt…/agent.json")
/// location.path                                      // ["agent.json"]
/// location.gatewayURL("https://ipfs.io")             // https://ipfs.io/ipfs/bafybeigdyrzt…/agent.json
/// ```
public struct IPFSPath: Hashable, Sendable, CustomStringConvertible {
    public var cid: CID
    public var path: [String]

    public init(cid: CID, path: [String] = []) { self.cid = cid; self.path = path }

    /// Whether `uri` uses the `ipfs:` scheme (in any case).
    public static func isIPFS(_ uri: String) -> Bool {
        uri.utf8.count >= 5 && uri.utf8.prefix(5).map { $0 | 0x20 }.elementsEqual("ipfs:".utf8)
    }

    public init(uri: String) throws(IPFSError) {
        var rest: Substring
        if Self.isIPFS(uri) {
            rest = uri.dropFirst(5)
            guard rest.hasPrefix("//") else { throw IPFSError("an ipfs: URI must start with ipfs://") }
            rest = rest.dropFirst(2)
            if rest.hasPrefix("ipfs/") { rest = rest.dropFirst(5) }
        } else if uri.hasPrefix("/ipfs/") {
            rest = uri.dropFirst(6)
        } else {
            throw IPFSError("'\(uri.prefix(80))' is not an ipfs: URI")
        }
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        var segments = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if segments.last == "" { segments.removeLast() }   // a trailing slash
        guard let first = segments.first, !first.isEmpty else { throw IPFSError("the ipfs: URI names no CID") }
        cid = try CID(first)
        path = []
        for segment in segments.dropFirst() {
            guard let decoded = segment.removingPercentEncodingStrictly, !decoded.isEmpty, decoded != ".", decoded != "..",
                  !decoded.contains("/") else {
                throw IPFSError("the ipfs: path segment '\(segment.prefix(80))' is not a file name")
            }
            path.append(decoded)
        }
    }

    /// The path-style URL of this content on `gateway` (an origin such as `https://ipfs.io`).
    public func gatewayURL(_ gateway: String) -> String {
        var url = gateway.hasSuffix("/") ? String(gateway.dropLast()) : gateway
        url += "/ipfs/" + cid.description
        for segment in path { url += "/" + segment.percentEncodedPathSegment }
        return url
    }

    /// `ipfs://CID/path`, with the CID in its canonical text form.
    public var description: String {
        "ipfs://" + cid.description + path.map { "/" + $0.percentEncodedPathSegment }.joined()
    }
}

extension String {
    /// Percent-decoding that refuses a malformed escape or bytes that are not UTF-8.
    var removingPercentEncodingStrictly: String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(Hex.nibble), let low = iterator.next().flatMap(Hex.nibble) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The string as one URL path segment: unreserved characters kept, every other byte escaped.
    var percentEncodedPathSegment: String {
        var out = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
