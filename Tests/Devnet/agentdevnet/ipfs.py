"""IPFS content for the devnet's gateways: UnixFS files and directories whose CIDs, dag-pb
nodes and CAR archives come from independent libraries (multiformats, ipld-dag-pb, ipld-car),
so the indexer's own reading of them is checked against someone else's writing."""
from multiformats import CID, multihash
import ipld_car
import ipld_dag_pb as dagpb


def _varint(n):
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def unixfs_data(kind, data=b"", filesize=None, blocksizes=()):
    """The UnixFS `Data` protobuf (Type 1 = Directory, 2 = File)."""
    out = bytes([0x08, kind])
    if data:
        out += b"\x12" + _varint(len(data)) + data
    if filesize is not None:
        out += b"\x18" + _varint(filesize)
    for size in blocksizes:
        out += b"\x20" + _varint(size)
    return out


class IPFSStore:
    """Blocks by multihash, and the UnixFS DAGs made of them."""

    def __init__(self):
        self.blocks = {}
        self.files = {}          # multihash -> the file's bytes
        self.directories = {}    # multihash -> {name: cid}

    def _put(self, codec, block, version=1):
        cid = CID("base32" if version == 1 else "base58btc", version, codec, multihash.digest(block, "sha2-256"))
        self.blocks[bytes(cid.digest)] = block
        return cid

    def block(self, cid):
        return self.blocks.get(bytes(cid.digest))

    def add_file(self, data, chunk=None, version=1):
        """A UnixFS file: one dag-pb node, or raw leaves of `chunk` bytes under a dag-pb root."""
        if chunk is None or len(data) <= chunk:
            node = bytes(dagpb.encode(dagpb.PBNode(unixfs_data(2, data, len(data)))))
            cid = self._put("dag-pb", node, version)
            self.files[bytes(cid.digest)] = data
            return cid
        pieces = [data[i:i + chunk] for i in range(0, len(data), chunk)]
        links = [dagpb.PBLink(self._put("raw", piece), None, len(piece)) for piece in pieces]
        root = dagpb.encode(dagpb.PBNode(unixfs_data(2, b"", len(data), [len(p) for p in pieces]), links))
        cid = self._put("dag-pb", bytes(root), version)
        self.files[bytes(cid.digest)] = data
        return cid

    def add_dir(self, entries):
        """A UnixFS directory of `{name: cid}`."""
        links = [dagpb.PBLink(cid, name, len(self.block(cid))) for name, cid in sorted(entries.items())]
        cid = self._put("dag-pb", bytes(dagpb.encode(dagpb.PBNode(unixfs_data(1), links))))
        self.directories[bytes(cid.digest)] = dict(entries)
        return cid

    def walk(self, cid, path):
        """The blocks from `cid` down `path`, then every block of the entity there (DFS order),
        as (CID, bytes); None when something is missing."""
        visited = []
        for name in path:
            block = self.block(cid)
            if block is None or cid.codec.name != "dag-pb":
                return None
            visited.append((cid, block))
            links = [link for link in dagpb.decode(block).links if link.name == name]
            if not links:
                return None
            cid = links[0].hash
        stack = [cid]
        while stack:
            current = stack.pop()
            block = self.block(current)
            if block is None:
                return None
            visited.append((current, block))
            if current.codec.name == "dag-pb":
                stack.extend(reversed([link.hash for link in dagpb.decode(block).links]))
        return visited

    def car(self, cid, path, lie=False):
        """A CAR v1 of `walk(cid, path)`; with `lie`, the last block's bytes are replaced."""
        blocks = self.walk(cid, path)
        if blocks is None:
            return None
        if lie:
            target, data = blocks[-1]
            blocks[-1] = (target, data[:-1] + bytes([data[-1] ^ 0x01]) if data else b"\x00")
        return bytes(ipld_car.encode([cid], blocks))

    def file_bytes(self, cid, path):
        """The file's bytes, as a plain (non-verifying) gateway would serve them."""
        for name in path:
            cid = self.directories.get(bytes(cid.digest), {}).get(name)
            if cid is None:
                return None
        return self.files.get(bytes(cid.digest))
