/// A CAR v1 archive (Content Addressable aRchive), as trustless IPFS gateways answer
/// `Accept: application/vnd.ipld.car`: a DAG-CBOR header naming the roots, then sections of
/// (CID, block bytes).
///
/// Reading does not trust the archive: ``VerifiedBlocks`` checks every block against its CID.
///
/// ```swift
/// let car = try CARFile(answer)
/// car.roots            // [CID]
/// car.blocks.count
/// ```
public struct CARFile: Sendable {
    public var roots: [CID]
    public var blocks: [(cid: CID, bytes: [UInt8])]

    /// The most blocks one archive may hold.
    public static let maxBlocks = 10_000

    public init(_ bytes: [UInt8]) throws(IPFSError) {
        var offset = 0
        let headerLength = try Varint.read(bytes, at: &offset)
        guard headerLength > 0, headerLength <= UInt64(bytes.count - offset), headerLength <= 65_536 else {
            throw IPFSError("CAR: the header length \(headerLength) does not fit the archive")
        }
        let headerEnd = offset + Int(headerLength)
        var header = CBORReader(bytes, from: offset, to: headerEnd)
        roots = try Self.roots(&header)
        offset = headerEnd
        var blocks: [(CID, [UInt8])] = []
        while offset < bytes.count {
            guard blocks.count < Self.maxBlocks else { throw IPFSError("CAR: more than \(Self.maxBlocks) blocks") }
            let length = try Varint.read(bytes, at: &offset)
            guard length > 0, length <= UInt64(bytes.count - offset) else { throw IPFSError("CAR: a section runs past the end") }
            let end = offset + Int(length)
            let section = Array(bytes[offset..<end])
            var cursor = 0
            let cid = try CID(reading: section, at: &cursor)
            blocks.append((cid, Array(section[cursor...])))
            offset = end
        }
        self.blocks = blocks
    }

    /// `{"roots": [CID…], "version": 1}`; other keys are refused, as DAG-CBOR CAR headers have none.
    private static func roots(_ reader: inout CBORReader) throws(IPFSError) -> [CID] {
        let entries = try reader.mapCount()
        var roots: [CID]?
        var version: UInt64?
        for _ in 0..<entries {
            switch try reader.text() {
            case "roots":
                let count = try reader.arrayCount()
                guard count <= 64 else { throw IPFSError("CAR: more than 64 roots") }
                var list: [CID] = []
                for _ in 0..<count { list.append(try reader.cidLink()) }
                roots = list
            case "version": version = try reader.unsigned()
            case let other: throw IPFSError("CAR: unexpected header key '\(other.prefix(40))'")
            }
        }
        guard version == 1 else { throw IPFSError("CAR: version \(version.map(String.init) ?? "missing") is not supported (only CAR v1)") }
        guard let roots else { throw IPFSError("CAR: the header names no roots") }
        guard reader.isAtEnd else { throw IPFSError("CAR: bytes follow the header") }
        return roots
    }
}

/// The little of CBOR a CAR header uses: maps, arrays, text, unsigned integers and CID links
/// (tag 42 over a byte string that starts with 0x00). Definite lengths only, as DAG-CBOR requires.
struct CBORReader {
    private let bytes: [UInt8]
    private var offset: Int
    private let end: Int

    init(_ bytes: [UInt8], from start: Int, to end: Int) { self.bytes = bytes; offset = start; self.end = end }

    var isAtEnd: Bool { offset >= end }

    /// The major type and argument of the next item.
    private mutating func head() throws(IPFSError) -> (major: UInt8, argument: UInt64) {
        guard offset < end else { throw IPFSError("CBOR: the header ends early") }
        let initial = bytes[offset]
        offset += 1
        let major = initial >> 5, info = initial & 0x1F
        let width: Int
        switch info {
        case 0..<24: return (major, UInt64(info))
        case 24: width = 1
        case 25: width = 2
        case 26: width = 4
        case 27: width = 8
        default: throw IPFSError("CBOR: indefinite or reserved length (DAG-CBOR allows neither)")
        }
        guard end - offset >= width else { throw IPFSError("CBOR: the header ends early") }
        var value: UInt64 = 0
        for _ in 0..<width { value = value << 8 | UInt64(bytes[offset]); offset += 1 }
        return (major, value)
    }

    private mutating func expect(_ major: UInt8, _ what: String) throws(IPFSError) -> UInt64 {
        let (found, argument) = try head()
        guard found == major else { throw IPFSError("CBOR: expected \(what)") }
        return argument
    }

    mutating func unsigned() throws(IPFSError) -> UInt64 { try expect(0, "an unsigned integer") }
    mutating func arrayCount() throws(IPFSError) -> UInt64 { try expect(4, "an array") }
    mutating func mapCount() throws(IPFSError) -> UInt64 { try expect(5, "a map") }

    private mutating func string(major: UInt8, _ what: String) throws(IPFSError) -> [UInt8] {
        let length = try expect(major, what)
        guard length <= UInt64(end - offset) else { throw IPFSError("CBOR: \(what) runs past the end") }
        defer { offset += Int(length) }
        return Array(bytes[offset..<offset + Int(length)])
    }

    mutating func text() throws(IPFSError) -> String {
        guard let text = String(validating: try string(major: 3, "a text string"), as: UTF8.self) else {
            throw IPFSError("CBOR: a text string is not UTF-8")
        }
        return text
    }

    mutating func cidLink() throws(IPFSError) -> CID {
        guard try expect(6, "a CID link (tag 42)") == 42 else { throw IPFSError("CBOR: a tag other than 42") }
        let raw = try string(major: 2, "a CID's bytes")
        guard raw.first == 0x00 else { throw IPFSError("CBOR: a CID link without its 0x00 prefix") }
        return try CID(bytes: Array(raw.dropFirst()))
    }
}
