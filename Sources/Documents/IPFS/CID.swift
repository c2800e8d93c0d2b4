import Crypto

/// A multihash: the hash function's code and the digest.
///
/// Only SHA2-256 (`0x12`) and identity (`0x00`, the content itself, used for tiny blocks) can be
/// checked; other functions are read, and content under them is not trusted.
public struct Multihash: Hashable, Sendable {
    /// SHA2-256, the function of nearly every CID.
    public static let sha256: UInt64 = 0x12
    /// The identity "hash": the digest is the content.
    public static let identity: UInt64 = 0x00
    /// The largest identity digest accepted (an identity CID carries its block inline).
    public static let maxIdentityBytes = 4_096

    public var code: UInt64
    public var digest: [UInt8]

    public init(code: UInt64, digest: [UInt8]) { self.code = code; self.digest = digest }

    /// The multihash of `content` under SHA2-256.
    public static func sha256(of content: [UInt8]) -> Multihash {
        Multihash(code: sha256, digest: Array(SHA256.hash(data: content)))
    }

    /// Reads a multihash at `offset` (code, length, digest) and moves past it.
    init(reading bytes: [UInt8], at offset: inout Int) throws(IPFSError) {
        let code = try Varint.read(bytes, at: &offset)
        let length = try Varint.read(bytes, at: &offset)
        let limit = code == Self.identity ? UInt64(Self.maxIdentityBytes) : 128
        guard length <= limit else { throw IPFSError("a multihash digest of \(length) bytes is longer than \(limit)") }
        guard bytes.count - offset >= Int(length) else { throw IPFSError("a multihash runs past the end of the data") }
        if code == Self.sha256, length != 32 { throw IPFSError("a SHA2-256 multihash has \(length) bytes, not 32") }
        self.init(code: code, digest: Array(bytes[offset..<offset + Int(length)]))
        offset += Int(length)
    }

    /// The binary form: code, length, digest.
    public var bytes: [UInt8] { Varint.encode(code) + Varint.encode(UInt64(digest.count)) + digest }

    /// Whether `block` is the content this multihash names; false for a function that cannot be checked.
    public func matches(_ block: [UInt8]) -> Bool {
        switch code {
        case Self.sha256: Array(SHA256.hash(data: block)) == digest
        case Self.identity: block == digest
        default: false
        }
    }
}

/// A content identifier (CID v0 or v1): which codec the block is in and the multihash of its bytes.
///
/// ```swift
/// let cid = try CID("bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy")
/// cid.codec == CID.raw                   // true
/// cid.multihash.matches(Array("hello world".utf8))
/// String(describing: cid)                // the same text, v1 in base32
/// ```
public struct CID: Hashable, Sendable, CustomStringConvertible {
    /// The codec of a plain block of bytes.
    public static let raw: UInt64 = 0x55
    /// The codec of a protobuf node of a UnixFS DAG.
    public static let dagPB: UInt64 = 0x70
    /// DAG-CBOR (read in CAR headers only; no content in it is served).
    public static let dagCBOR: UInt64 = 0x71

    /// 0 or 1.
    public var version: Int
    public var codec: UInt64
    public var multihash: Multihash

    public init(version: Int, codec: UInt64, multihash: Multihash) {
        self.version = version; self.codec = codec; self.multihash = multihash
    }

    /// Parses a CID as text: a CIDv0 (`Qm…`, base58btc) or a multibase CIDv1 (`b…`, `z…`, `k…`).
    public init(_ text: String) throws(IPFSError) {
        guard !text.isEmpty, text.utf8.count <= 512 else { throw IPFSError("invalid CID: empty or longer than 512 characters") }
        do {
            if text.utf8.count == 46, text.hasPrefix("Qm") {
                try self.init(bytes: Multibase.base58Decode(text))
            } else {
                try self.init(bytes: Multibase.decode(text))
            }
        } catch {
            throw IPFSError("invalid CID '\(text.prefix(80))': \(error.description)")
        }
    }

    /// Parses a binary CID that is exactly `bytes`.
    public init(bytes: [UInt8]) throws(IPFSError) {
        var offset = 0
        try self.init(reading: bytes, at: &offset)
        guard offset == bytes.count else { throw IPFSError("\(bytes.count - offset) bytes follow the CID") }
    }

    /// Reads a binary CID at `offset` and moves past it (as CAR sections and dag-pb links hold them).
    public init(reading bytes: [UInt8], at offset: inout Int) throws(IPFSError) {
        // A CIDv0 is a bare SHA2-256 multihash: 0x12 0x20 + 32 bytes.
        if bytes.count - offset >= 34, bytes[offset] == 0x12, bytes[offset + 1] == 0x20 {
            self.init(version: 0, codec: Self.dagPB, multihash: try Multihash(reading: bytes, at: &offset))
            return
        }
        let version = try Varint.read(bytes, at: &offset)
        guard version == 1 else { throw IPFSError("CID version \(version) is not supported") }
        let codec = try Varint.read(bytes, at: &offset)
        self.init(version: 1, codec: codec, multihash: try Multihash(reading: bytes, at: &offset))
    }

    /// The binary form (a CIDv0 is its multihash).
    public var bytes: [UInt8] {
        version == 0 ? multihash.bytes : Varint.encode(1) + Varint.encode(codec) + multihash.bytes
    }

    /// The text form: base58btc for v0, lower-case base32 for v1.
    public var description: String {
        version == 0 ? Multibase.base58(multihash.bytes) : "b" + Multibase.base32(bytes)
    }
}
