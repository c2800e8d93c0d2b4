/// A dag-pb node (the protobuf `PBNode` of UnixFS DAGs): links to other blocks, then data.
///
/// Read strictly, as the dag-pb spec asks: links (field 2) before data (field 1), at most one
/// data field, no unknown fields, every link with a hash.
///
/// ```swift
/// let node = try DagPBNode(block)
/// node.links.map(\.name)    // ["agent.json"]
/// let unixfs = try UnixFSData(node.data ?? [])
/// ```
public struct DagPBNode: Hashable, Sendable {
    /// A link: the child's CID, its name in a directory, and the size of the DAG under it.
    public struct Link: Hashable, Sendable {
        public var cid: CID
        public var name: String?
        public var totalSize: UInt64?
    }

    public var links: [Link]
    public var data: [UInt8]?

    /// The most links one node may have (a directory of this many entries is plenty for a
    /// registration file's folder; a larger one is refused, not walked).
    public static let maxLinks = 10_000

    public init(_ block: [UInt8]) throws(IPFSError) {
        var reader = ProtobufReader(block)
        var links: [Link] = []
        var data: [UInt8]?
        while let (field, wire) = try reader.nextKey() {
            switch (field, wire) {
            case (2, .lengthDelimited):
                guard data == nil else { throw IPFSError("dag-pb: a link follows the data") }
                guard links.count < Self.maxLinks else { throw IPFSError("dag-pb: more than \(Self.maxLinks) links") }
                links.append(try Self.link(block, reader.lengthDelimitedRange()))
            case (1, .lengthDelimited):
                guard data == nil else { throw IPFSError("dag-pb: two data fields") }
                data = try reader.lengthDelimited()
            default:
                throw IPFSError("dag-pb: unexpected field \(field)")
            }
        }
        self.links = links
        self.data = data
    }

    private static func link(_ block: [UInt8], _ range: Range<Int>) throws(IPFSError) -> Link {
        var reader = ProtobufReader(block, from: range.lowerBound, to: range.upperBound)
        var cid: CID?
        var name: String?
        var size: UInt64?
        var last: UInt64 = 0
        while let (field, wire) = try reader.nextKey() {
            guard field > last else { throw IPFSError("dag-pb: link fields out of order") }
            last = field
            switch (field, wire) {
            case (1, .lengthDelimited): cid = try CID(bytes: reader.lengthDelimited())
            case (2, .lengthDelimited):
                let raw = try reader.lengthDelimited()
                guard let text = String(validating: raw, as: UTF8.self) else { throw IPFSError("dag-pb: a link name is not UTF-8") }
                name = text
            case (3, .varint): size = try reader.varint()
            default: throw IPFSError("dag-pb: unexpected link field \(field)")
            }
        }
        guard let cid else { throw IPFSError("dag-pb: a link without a hash") }
        return Link(cid: cid, name: name, totalSize: size)
    }
}

/// The UnixFS `Data` message a dag-pb node carries: what the node is (file, directory, …), its
/// inline bytes and, for a file, the sizes of its children.
public struct UnixFSData: Hashable, Sendable {
    public enum Kind: UInt64, Sendable {
        case raw = 0, directory = 1, file = 2, metadata = 3, symlink = 4, hamtShard = 5
    }

    public var kind: Kind
    public var data: [UInt8]
    public var fileSize: UInt64?
    public var blockSizes: [UInt64]

    public init(_ bytes: [UInt8]) throws(IPFSError) {
        var reader = ProtobufReader(bytes)
        var kind: Kind?
        var data: [UInt8] = []
        var fileSize: UInt64?
        var blockSizes: [UInt64] = []
        while let (field, wire) = try reader.nextKey() {
            switch (field, wire) {
            case (1, .varint):
                let value = try reader.varint()
                guard let known = Kind(rawValue: value) else { throw IPFSError("UnixFS: unknown node type \(value)") }
                kind = known
            case (2, .lengthDelimited): data = try reader.lengthDelimited()
            case (3, .varint): fileSize = try reader.varint()
            case (4, .varint): blockSizes.append(try reader.varint())
            case (4, .lengthDelimited):   // packed
                let packed = try reader.lengthDelimited()
                var inner = ProtobufReader(packed)
                while !inner.isAtEnd {
                    guard blockSizes.count <= DagPBNode.maxLinks else { throw IPFSError("UnixFS: too many block sizes") }
                    blockSizes.append(try inner.varint())
                }
            default: try reader.skip(wire)   // hashType, fanout, mode, mtime: not needed to read a file
            }
        }
        guard let kind else { throw IPFSError("UnixFS: a node without a type") }
        self.kind = kind
        self.data = data
        self.fileSize = fileSize
        self.blockSizes = blockSizes
    }
}
