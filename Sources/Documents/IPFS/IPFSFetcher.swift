/// Reads IPFS content through gateways, trusting none of them: each is asked for a CAR
/// (`Accept: application/vnd.ipld.car`), and failing that, for a path-less CID, the raw block
/// (`application/vnd.ipld.raw`); every block is checked against its CID before the file is
/// assembled. A gateway that answers with plain bytes is used only when it is marked trusted
/// (the content is then `contentVerified: false`). Gateways are tried in turn; one that lies or
/// fails is passed over.
///
/// ```swift
/// let (bytes, verified, answer) = try IPFSFetcher(client: client, gateways: policy.gateways)
///     .content(of: IPFSPath(uri: "ipfs://bafy…/agent.json"), maxBytes: 262_144)
/// ```
struct IPFSFetcher {
    let client: GuardedHTTPClient
    let gateways: [IPFSGateway]

    /// The file's bytes, whether they were checked against the CID, and the answer they came in.
    func content(of location: IPFSPath, maxBytes: Int) throws(FetchFailure) -> (bytes: [UInt8], verified: Bool, answer: HTTPAnswer) {
        guard !gateways.isEmpty else { throw FetchFailure(.failed, "no IPFS gateway is configured") }
        var reasons: [String] = []
        for gateway in gateways {
            do {
                return try content(of: location, from: gateway, maxBytes: maxBytes)
            } catch {
                reasons.append("\(gateway.url): \(error.reason)")
                // A guard refusal of every gateway is a refusal; anything else is a failure to retry.
                if error.kind == .refused, reasons.count == gateways.count { throw FetchFailure(.refused, reasons.joined(separator: "; ")) }
            }
        }
        throw FetchFailure(.failed, "no gateway served content matching \(location.cid): " + reasons.joined(separator: "; "))
    }

    private func content(of location: IPFSPath, from gateway: IPFSGateway, maxBytes: Int) throws(FetchFailure) -> (bytes: [UInt8], verified: Bool, answer: HTTPAnswer) {
        let url: FetchURL
        do { url = try FetchURL(location.gatewayURL(gateway.url)) } catch {
            throw FetchFailure(.failed, "the gateway URL is not usable: \(error.description)")
        }
        // A CAR holds the file and the directory nodes above it; room for the nodes' overhead.
        let carLimit = maxBytes * 2 + 65_536
        let answer = try client.get(HTTPRequest(url: url, accept: "application/vnd.ipld.car", maxBytes: carLimit))
        try Self.requireSuccess(answer)
        if answer.mediaType == "application/vnd.ipld.car" {
            do {
                let blocks = try VerifiedBlocks(car: CARFile(answer.body))
                return (try blocks.file(root: location.cid, path: location.path, maxBytes: maxBytes), true, answer)
            } catch {
                throw FetchFailure(.invalid, error.description)
            }
        }
        // Not a CAR. A single raw block can still be checked.
        if location.path.isEmpty {
            let raw = try client.get(HTTPRequest(url: url, accept: "application/vnd.ipld.raw", maxBytes: maxBytes + 4_096))
            if (200...299).contains(raw.status), raw.mediaType == "application/vnd.ipld.raw" {
                do {
                    var blocks = VerifiedBlocks()
                    try blocks.add(raw.body, as: location.cid)
                    return (try blocks.file(root: location.cid, path: [], maxBytes: maxBytes), true, raw)
                } catch {
                    throw FetchFailure(.invalid, error.description)
                }
            }
        }
        guard gateway.trusted else {
            throw FetchFailure(.invalid, "served \(answer.mediaType ?? "untyped") bytes, not a CAR or raw block, and is not trusted")
        }
        guard answer.body.count <= maxBytes else { throw FetchFailure(.invalid, "the file is larger than \(maxBytes) bytes") }
        return (answer.body, false, answer)
    }

    static func requireSuccess(_ answer: HTTPAnswer) throws(FetchFailure) {
        guard (200...299).contains(answer.status) else {
            throw FetchFailure(.failed, "HTTP \(answer.status) from \(answer.url.host)", httpStatus: answer.status, retryAfter: answer.retryAfter)
        }
    }
}
