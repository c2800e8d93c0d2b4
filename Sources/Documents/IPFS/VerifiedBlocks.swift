/// Blocks whose bytes were checked against their CIDs, and the UnixFS file they make.
///
/// A gateway is trusted for nothing: every block it sends must hash to the CID it is filed under,
/// and the file is assembled only from such blocks, starting at the CID the agent published.
///
/// ```swift
/// let blocks = try VerifiedBlocks(car: CARFile(answer))
/// let json = try blocks.file(root: cid, path: ["agent.json"], maxBytes: 262_144)
/// ```
public struct VerifiedBlocks: Sendable {
    /// Blocks by multihash (the same bytes whether a link names them by CIDv0 or v1).
    private var blocks: [[UInt8]: [UInt8]] = [:]

    /// The deepest a file's DAG may go, and the most blocks a file may take.
    public static let maxDepth = 32
    public static let maxBlocks = 10_000

    public init() {}

    /// Every block of `car`; one block that does not match its CID refuses the whole archive.
    public init(car: CARFile) throws(IPFSError) {
        for (cid, bytes) in car.blocks { try add(bytes, as: cid) }
    }

    /// Adds `block` as the content of `cid` after checking it.
    public mutating func add(_ block: [UInt8], as cid: CID) throws(IPFSError) {
        guard cid.multihash.code == Multihash.sha256 || cid.multihash.code == Multihash.identity else {
            throw IPFSError("the hash function 0x\(String(cid.multihash.code, radix: 16)) of \(cid) cannot be checked")
        }
        guard cid.multihash.matches(block) else { throw IPFSError("a block does not match its CID \(cid)") }
        blocks[cid.multihash.bytes] = block
    }

    /// The block of `cid`: an identity CID carries it; others must have been added.
    func block(_ cid: CID) throws(IPFSError) -> [UInt8] {
        if cid.multihash.code == Multihash.identity { return cid.multihash.digest }
        guard let block = blocks[cid.multihash.bytes] else { throw IPFSError("the block \(cid) is missing") }
        return block
    }

    /// The bytes of the UnixFS file at `path` (directory entry names) under `root`.
    /// - Throws: ``IPFSError`` for a missing block, a path that is not there, a directory, a symlink,
    ///   a sharded directory, a DAG deeper than ``maxDepth``, or more than `maxBytes` of content.
    public func file(root: CID, path: [String], maxBytes: Int) throws(IPFSError) -> [UInt8] {
        var cid = root
        for segment in path {
            guard cid.codec == CID.dagPB else { throw IPFSError("'\(segment)' is below \(cid), which is not a directory") }
            let node = try DagPBNode(block(cid))
            let kind = try UnixFSData(node.data ?? []).kind
            guard kind == .directory else {
                throw IPFSError(kind == .hamtShard ? "sharded directories (HAMT) are not supported"
                                                   : "'\(segment)' is below \(cid), which is not a directory")
            }
            guard let link = node.links.first(where: { $0.name == segment }) else { throw IPFSError("no '\(segment)' in \(cid)") }
            cid = link.cid
        }
        var out: [UInt8] = []
        var visited = 0
        try append(cid, to: &out, depth: 0, visited: &visited, maxBytes: maxBytes)
        return out
    }

    private func append(_ cid: CID, to out: inout [UInt8], depth: Int, visited: inout Int, maxBytes: Int) throws(IPFSError) {
        guard depth <= Self.maxDepth else { throw IPFSError("the file's DAG is deeper than \(Self.maxDepth)") }
        visited += 1
        guard visited <= Self.maxBlocks else { throw IPFSError("the file has more than \(Self.maxBlocks) blocks") }
        let block = try block(cid)
        func take(_ bytes: [UInt8]) throws(IPFSError) {
            guard out.count + bytes.count <= maxBytes else { throw IPFSError("the file is larger than \(maxBytes) bytes") }
            out += bytes
        }
        switch cid.codec {
        case CID.raw:
            try take(block)
        case CID.dagPB:
            let node = try DagPBNode(block)
            let unixfs = try UnixFSData(node.data ?? [])
            switch unixfs.kind {
            case .file, .raw:
                try take(unixfs.data)
                for link in node.links { try append(link.cid, to: &out, depth: depth + 1, visited: &visited, maxBytes: maxBytes) }
            case .directory, .hamtShard: throw IPFSError("\(cid) is a directory, not a file")
            case .symlink: throw IPFSError("\(cid) is a symlink (not followed)")
            case .metadata: throw IPFSError("\(cid) is a UnixFS metadata node, not a file")
            }
        default:
            throw IPFSError("the codec 0x\(String(cid.codec, radix: 16)) of \(cid) is not a UnixFS file")
        }
    }
}
