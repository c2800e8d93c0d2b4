import Crypto
@testable import Documents
import Testing

/// CIDs, dag-pb, UnixFS and CAR read as the IPFS specs say, and content checked against its CID.
@Suite("IPFS: CIDs, blocks and files")
struct IPFSTests {
    /// `echo "hello world" | ipfs add`: a one-block UnixFS file (CIDv0, dag-pb).
    static let helloNode: [UInt8] = [0x0A, 0x12, 0x08, 0x02, 0x12, 0x0C] + Array("hello world\n".utf8) + [0x18, 0x0C]
    static let helloCID = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"

    @Test("CIDv0 and CIDv1 parse, print back, and name the block they hash")
    func cids() throws {
        let v0 = try CID(Self.helloCID)
        #expect(v0.version == 0 && v0.codec == CID.dagPB && v0.description == Self.helloCID)
        #expect(v0.multihash.matches(Self.helloNode) && !v0.multihash.matches(Array("hello world".utf8)))
        let raw = try CID("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")
        #expect(raw.version == 1 && raw.codec == CID.raw && raw.multihash.matches(Array("hello world".utf8)))
        #expect(raw.description == "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")
        // The same multihash as a CIDv1 dag-pb in base32 and base58btc.
        let v1 = CID(version: 1, codec: CID.dagPB, multihash: v0.multihash)
        #expect(v1.description == "bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby")
        #expect(try CID(v1.description) == v1)
        #expect(try CID("z" + Multibase.base58(v1.bytes)) == v1)
        #expect(try CID("B" + Multibase.base32(v1.bytes).uppercased()) == v1)
        for bad in ["", "Qm", "bafy!", "x123", "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5", "zzz"] {
            #expect(throws: IPFSError.self, "\(bad)") { try CID(bad) }
        }
    }

    @Test("varints are minimal and bounded")
    func varints() throws {
        var offset = 0
        #expect(try Varint.read([0x80, 0x01], at: &offset) == 128 && offset == 2)
        for value: UInt64 in [0, 1, 127, 128, 300, 1 << 35, UInt64(1) << 62] {
            var at = 0
            #expect(try Varint.read(Varint.encode(value), at: &at) == value)
        }
        var at = 0
        #expect(throws: IPFSError.self) { try Varint.read([0x80, 0x00], at: &at) }   // not minimal
        at = 0
        #expect(throws: IPFSError.self) { try Varint.read([UInt8](repeating: 0xFF, count: 10), at: &at) }
        at = 0
        #expect(throws: IPFSError.self) { try Varint.read([0x80], at: &at) }
    }

    @Test("a one-block file, a chunked file with raw leaves, a directory path")
    func files() throws {
        var blocks = VerifiedBlocks()
        let root = try CID(Self.helloCID)
        try blocks.add(Self.helloNode, as: root)
        #expect(try blocks.file(root: root, path: [], maxBytes: 100) == Array("hello world\n".utf8))
        #expect(throws: IPFSError.self) { try blocks.file(root: root, path: [], maxBytes: 5) }

        // A file of two raw leaves under a dag-pb root, in a directory.
        let leaves = [Array(#"{"name":"#.utf8), Array(#""Quill"}"#.utf8)]
        let leafCIDs = leaves.map { CID(version: 1, codec: CID.raw, multihash: .sha256(of: $0)) }
        let fileNode = Self.dagPB(links: leafCIDs.map { ($0, nil) }, data: Self.unixfs(type: 2, data: [], fileSize: 16))
        let fileCID = CID(version: 1, codec: CID.dagPB, multihash: .sha256(of: fileNode))
        let directory = Self.dagPB(links: [(fileCID, "agent.json")], data: Self.unixfs(type: 1, data: [], fileSize: nil))
        let directoryCID = CID(version: 1, codec: CID.dagPB, multihash: .sha256(of: directory))
        let car = Self.car(root: directoryCID, blocks: [(directoryCID, directory), (fileCID, fileNode)]
                           + zip(leafCIDs, leaves).map { ($0, $1) })
        let parsed = try CARFile(car)
        #expect(parsed.roots == [directoryCID] && parsed.blocks.count == 4)
        let verified = try VerifiedBlocks(car: parsed)
        #expect(try verified.file(root: directoryCID, path: ["agent.json"], maxBytes: 1_000) == Array(#"{"name":"Quill"}"#.utf8))
        #expect(throws: IPFSError.self) { try verified.file(root: directoryCID, path: [], maxBytes: 1_000) }   // a directory
        #expect(throws: IPFSError.self) { try verified.file(root: directoryCID, path: ["other.json"], maxBytes: 1_000) }
        // A gateway that lies about one block: the whole archive is refused.
        var lying = Self.car(root: directoryCID, blocks: [(directoryCID, directory), (fileCID, fileNode),
                                                        (leafCIDs[0], Array(#"{"evil":"#.utf8)), (leafCIDs[1], leaves[1])])
        #expect(throws: IPFSError.self) { try VerifiedBlocks(car: CARFile(lying)) }
        // A missing block is an error, not a short file.
        lying = Self.car(root: directoryCID, blocks: [(directoryCID, directory), (fileCID, fileNode), (leafCIDs[0], leaves[0])])
        #expect(throws: IPFSError.self) { try VerifiedBlocks(car: CARFile(lying)).file(root: directoryCID, path: ["agent.json"], maxBytes: 1_000) }
    }

    @Test("ipfs: URIs and gateway paths")
    func paths() throws {
        let path = try IPFSPath(uri: "ipfs://\(Self.helloCID)/dir/agent%20card.json")
        #expect(path.cid.description == Self.helloCID && path.path == ["dir", "agent card.json"])
        #expect(path.gatewayURL("https://ipfs.io/") == "https://ipfs.io/ipfs/\(Self.helloCID)/dir/agent%20card.json")
        #expect(try IPFSPath(uri: "ipfs://ipfs/\(Self.helloCID)").path.isEmpty)
        #expect(try IPFSPath(uri: "/ipfs/\(Self.helloCID)/a.json?x=1").path == ["a.json"])
        for bad in ["ipfs:\(Self.helloCID)", "ipfs://", "ipfs://\(Self.helloCID)/../etc", "ipfs://\(Self.helloCID)/a%2Fb", "ipfs://notacid"] {
            #expect(throws: IPFSError.self, "\(bad)") { try IPFSPath(uri: bad) }
        }
    }

    @Test("malformed dag-pb, UnixFS and CAR bytes are errors")
    func malformed() {
        #expect(throws: IPFSError.self) { try DagPBNode([0x0A, 0x05, 0x01]) }            // truncated data
        #expect(throws: IPFSError.self) { try DagPBNode([0x0A, 0x00, 0x12, 0x00]) }      // link after data
        #expect(throws: IPFSError.self) { try DagPBNode([0x18, 0x01]) }                  // unknown field
        #expect(throws: IPFSError.self) { try UnixFSData([0x08, 0x09]) }                 // unknown type
        #expect(throws: IPFSError.self) { try UnixFSData([0x12, 0x00]) }                 // no type
        #expect(throws: IPFSError.self) { try CARFile([]) }
        #expect(throws: IPFSError.self) { try CARFile([0x05, 0xA1, 0x67]) }
        #expect(throws: IPFSError.self) { try CARFile([0x01, 0x9F]) }                    // indefinite map
    }

    // MARK: Building blocks the way the specs lay them out

    static func field(_ number: UInt64, _ bytes: [UInt8]) -> [UInt8] {
        Varint.encode(number << 3 | 2) + Varint.encode(UInt64(bytes.count)) + bytes
    }

    static func unixfs(type: UInt64, data: [UInt8], fileSize: UInt64?) -> [UInt8] {
        var out = Varint.encode(1 << 3) + Varint.encode(type)
        if !data.isEmpty { out += field(2, data) }
        if let fileSize { out += Varint.encode(3 << 3) + Varint.encode(fileSize) }
        return out
    }

    static func dagPB(links: [(CID, String?)], data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for (cid, name) in links {
            var link = field(1, cid.bytes)
            if let name { link += field(2, Array(name.utf8)) }
            out += field(2, link)
        }
        return out + field(1, data)
    }

    static func car(root: CID, blocks: [(CID, [UInt8])]) -> [UInt8] {
        let rootBytes = [0x00] + root.bytes
        let header: [UInt8] = [0xA2, 0x65] + Array("roots".utf8) + [0x81, 0xD8, 0x2A, 0x58, UInt8(rootBytes.count)] + rootBytes
            + [0x67] + Array("version".utf8) + [0x01]
        var out = Varint.encode(UInt64(header.count)) + header
        for (cid, block) in blocks {
            let section = cid.bytes + block
            out += Varint.encode(UInt64(section.count)) + section
        }
        return out
    }
}
