// libFuzzer target: what the document fetcher reads from strangers, on arbitrary bytes
// (`make fuzz`, `make fuzz-smoke`). Gateways, hosts and agents choose these bytes; reading them may
// refuse them, but must never crash, hang or allocate without bound. The first byte picks what the
// rest is:
//   0: a CAR archive from a gateway, checked and read as a file under its first root;
//   1: a dag-pb block and the UnixFS data inside it;
//   2: CID text and an ipfs: URI;
//   3: a URL and a redirect's Location (resolved against it);
//   4: JSON: its JCS form must be stable (canonical twice is canonical once);
//   5: an A2A card's JSON, with its signatures checked (no key set reachable);
//   6: a domain proof.
import AgentCards
import Documents
import EthereumCore
import FuzzDriver

func fuzzOne(_ bytes: [UInt8]) {
    guard let mode = bytes.first else { return }
    let rest = Array(bytes.dropFirst())
    let text = String(decoding: rest, as: UTF8.self)
    switch mode % 7 {
    case 0:
        guard let car = try? CARFile(rest), let root = car.roots.first, let blocks = try? VerifiedBlocks(car: car) else { return }
        _ = try? blocks.file(root: root, path: [], maxBytes: 262_144)
        _ = try? blocks.file(root: root, path: ["agent.json"], maxBytes: 262_144)
    case 1:
        if let node = try? DagPBNode(rest) { _ = try? UnixFSData(node.data ?? []) }
        _ = try? UnixFSData(rest)
    case 2:
        if let cid = try? CID(text), (try? CID(cid.description)) != cid { fatalError("a CID does not survive printing and parsing") }
        if let cid = try? CID(bytes: rest), (try? CID(bytes: cid.bytes)) != cid { fatalError("a binary CID does not round-trip") }
        _ = try? IPFSPath(uri: "ipfs://" + text)
    case 3:
        let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let url = try? FetchURL(parts[0]) else { return }
        if (try? FetchURL(url.description)) != url { fatalError("a URL does not survive printing and parsing") }
        if parts.count == 2 { _ = try? url.resolving(parts[1]) }
    case 4:
        guard let value = try? JSONValue(parsing: rest, maxDepth: 32), let once = try? JCS.canonical(value) else { return }
        guard let reparsed = try? JSONValue(parsing: once, maxDepth: 32), let twice = try? JCS.canonical(reparsed), twice == once else {
            fatalError("JCS is not stable: \(String(decoding: once, as: UTF8.self))")
        }
    case 5:
        guard let value = try? JSONValue(parsing: rest, maxDepth: AgentCard.maxJSONDepth) else { return }
        if let card = try? AgentCard(a2aJSON: value) {
            _ = SearchText.fields(of: card)
            _ = card.a2aJSON().serialized()
        }
        _ = CardSignatures.check(value) { _ in throw JWSError("no network in the fuzzer") }
    default:
        _ = try? DomainProof(json: rest)
    }
}

/// libFuzzer's entry point (its own `main` calls it; ours passes it to the driver).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(fuzzInput(data, size))
    return 0
}

runFuzzer(named: "document-fuzz", testOneInput)
