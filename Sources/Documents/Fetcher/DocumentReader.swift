import AgentCards
import Crypto
import EthereumCore
import Foundation
import Store

/// Makes one attempt at a document and says what it found, as a ``DocumentResult`` the store
/// applies: the content checked for its kind, or why there is none, and when to try again.
///
/// - `https:` (and `http:` where allowed) through ``GuardedHTTPClient``; `ipfs:` through the
///   gateways, checked against the CID; `data:` decoded; any other scheme is `unsupported`.
/// - A registration file must parse as one; an A2A card is looked for at the service endpoint,
///   then `/.well-known/agent-card.json` and `/.well-known/agent.json` on its origin, and its
///   signatures are checked (a `jku` key set fetched through the same guard); a domain proof must
///   list registrations; a feedback file must be JSON, and its `proofOfPayment` is checked against
///   the chain.
///
/// ```swift
/// let reader = DocumentReader(client: client, policy: policy, payments: lookup)
/// try store.applyDocumentResult(reader.read(task, now: now))
/// ```
public struct DocumentReader: Sendable {
    public let client: GuardedHTTPClient
    public let policy: FetchPolicy
    public let payments: (any PaymentLookup)?
    let schedule: RetrySchedule

    public init(client: GuardedHTTPClient, policy: FetchPolicy, payments: (any PaymentLookup)? = nil) {
        self.client = client
        self.policy = policy
        self.payments = payments
        self.schedule = RetrySchedule(policy: policy)
    }

    /// One attempt at `task`, at `now` (unix seconds).
    public func read(_ task: DocumentTask, now: Int64) -> DocumentResult {
        var last: HTTPAnswer?
        do {
            let found = try fetch(task, last: &last)
            let result: DocumentResult.Outcome
            if found.notModified {
                result = .notModified
            } else {
                var content = try check(found.bytes, kind: task.kind)
                content.contentVerified = found.verified
                content.etag = found.answer?.etag
                content.lastModified = found.answer?.lastModified
                result = .content(content)
            }
            let immutable = found.immutable || task.kind == .feedback
            return DocumentResult(documentID: task.id, attemptedAt: now, outcome: result, url: found.answer?.url.description ?? task.uri,
                                  address: found.answer?.address.description, httpStatus: found.answer?.status,
                                  bytesOnWire: found.answer?.bytesOnWire ?? found.bytes.count,
                                  nextAttemptAt: schedule.afterSuccess(now: now, immutable: immutable))
        } catch let failure as FetchFailure {
            let next: Int64?
            switch failure.kind {
            case .unsupported: next = nil
            case .invalid: next = IPFSPath.isIPFS(task.uri) || DataURI.isDataURI(task.uri) || task.kind == .feedback
                ? nil : schedule.afterSuccess(now: now, immutable: false)
            case .failed, .refused: next = schedule.afterFailure(now: now, previousFailures: task.failures, retryAfter: failure.retryAfter)
            }
            let status: DocumentResult.Failure = switch failure.kind {
            case .refused: .refused
            case .unsupported: .unsupported
            case .invalid: .invalid
            case .failed: .failed
            }
            return DocumentResult(documentID: task.id, attemptedAt: now, outcome: .failure(status, String(failure.reason.prefix(1_000))),
                                  url: last?.url.description ?? task.uri, address: last?.address.description,
                                  httpStatus: failure.httpStatus ?? last?.status, bytesOnWire: last?.bytesOnWire,
                                  nextAttemptAt: next)
        } catch {
            // The chain could not be asked about a payment proof: try again later.
            return DocumentResult(documentID: task.id, attemptedAt: now, outcome: .failure(.failed, "payment proof lookup: \(error)"),
                                  url: last?.url.description ?? task.uri, address: last?.address.description, httpStatus: last?.status,
                                  nextAttemptAt: schedule.afterFailure(now: now, previousFailures: task.failures, retryAfter: nil))
        }
    }

    public func maxBytes(_ kind: DocumentKind) -> Int {
        kind == .a2aCard ? policy.maxCardBytes : policy.maxRegistrationBytes
    }

    struct Found {
        var bytes: [UInt8]
        var verified: Bool?
        var answer: HTTPAnswer?
        var immutable: Bool
        var notModified = false
    }

    /// The document's bytes, by scheme.
    func fetch(_ task: DocumentTask, last: inout HTTPAnswer?) throws(FetchFailure) -> Found {
        let uri = task.uri.trimmingCharacters(in: .whitespaces)
        let limit = maxBytes(task.kind)
        if DataURI.isDataURI(uri) {
            var limits = RegistrationLimits.default
            limits.maxDocumentBytes = limit
            do { return Found(bytes: try DataURI.json(uri, limits: limits), verified: nil, answer: nil, immutable: true) } catch {
                throw FetchFailure(.invalid, error.description)
            }
        }
        if IPFSPath.isIPFS(uri) {
            let location: IPFSPath
            do { location = try IPFSPath(uri: uri) } catch { throw FetchFailure(.invalid, error.description) }
            let found = try IPFSFetcher(client: client, gateways: policy.gateways).content(of: location, maxBytes: limit)
            last = found.answer
            return Found(bytes: found.bytes, verified: found.verified, answer: found.answer, immutable: true)
        }
        let url: FetchURL
        do { url = try FetchURL(uri) } catch {
            throw FetchFailure(error.unsupportedScheme ? .unsupported : .invalid, error.description)
        }
        if task.kind == .a2aCard { return try fetchCard(at: url, task: task, last: &last) }
        let answer = try client.get(HTTPRequest(url: url, accept: "application/json", maxBytes: limit,
                                                ifNoneMatch: task.etag, ifModifiedSince: task.lastModified))
        last = answer
        if answer.status == 304, task.etag != nil || task.lastModified != nil {
            return Found(bytes: [], verified: nil, answer: answer, immutable: false, notModified: true)
        }
        try Self.requireJSON(answer)
        return Found(bytes: answer.body, verified: nil, answer: answer, immutable: false)
    }

    /// The card at the endpoint when it is one, else at the origin's well-known paths.
    func fetchCard(at endpoint: FetchURL, task: DocumentTask, last: inout HTTPAnswer?) throws(FetchFailure) -> Found {
        var candidates = [endpoint]
        for path in ["/.well-known/agent-card.json", "/.well-known/agent.json"] {
            if let url = try? FetchURL(endpoint.origin + path), !candidates.contains(url) { candidates.append(url) }
        }
        var failures: [FetchFailure] = []
        for (index, url) in candidates.enumerated() {
            do throws(FetchFailure) {
                let conditional = index == 0
                let answer = try client.get(HTTPRequest(url: url, accept: "application/json", maxBytes: policy.maxCardBytes,
                                                        ifNoneMatch: conditional ? task.etag : nil,
                                                        ifModifiedSince: conditional ? task.lastModified : nil))
                last = answer
                if answer.status == 304, conditional, task.etag != nil || task.lastModified != nil {
                    return Found(bytes: [], verified: nil, answer: answer, immutable: false, notModified: true)
                }
                try Self.requireJSON(answer)
                do { _ = try AgentCard(a2aJSON: answer.body) } catch {
                    throw FetchFailure(.invalid, "\(url) is not an A2A card: \(error.description)", httpStatus: answer.status)
                }
                return Found(bytes: answer.body, verified: nil, answer: answer, immutable: false)
            } catch {
                failures.append(error)
                if error.kind == .refused || error.kind == .unsupported { break }   // the same origin would be refused again
            }
        }
        let reason = failures.map(\.reason).joined(separator: "; ")
        let kind: FetchFailure.Kind = failures.contains { $0.kind == .refused } ? .refused
            : failures.contains { $0.kind == .unsupported } ? .unsupported
            : failures.contains { $0.kind == .invalid } && !failures.contains { $0.kind == .failed && ($0.httpStatus ?? 0) >= 500 } ? .invalid : .failed
        throw FetchFailure(kind, reason, httpStatus: failures.last?.httpStatus, retryAfter: failures.compactMap(\.retryAfter).max())
    }

    /// A 2xx answer declared as JSON.
    static func requireJSON(_ answer: HTTPAnswer) throws(FetchFailure) {
        guard (200...299).contains(answer.status) else {
            throw FetchFailure(.failed, "HTTP \(answer.status) from \(answer.url.host)", httpStatus: answer.status, retryAfter: answer.retryAfter)
        }
        guard answer.isDeclaredJSON else {
            throw FetchFailure(.invalid, "the media type '\(answer.mediaType ?? "")' of \(answer.url) is not JSON", httpStatus: answer.status)
        }
    }

    /// Checks `bytes` as a document of `kind` and computes what the store keeps of it.
    func check(_ bytes: [UInt8], kind: DocumentKind) throws -> DocumentContent {
        var content = DocumentContent(bytes: bytes, sha256: Hex.encode(Array(SHA256.hash(data: bytes))),
                                      keccak256: Hex.encode(Keccak256.hash(bytes)))
        switch kind {
        case .registration:
            var limits = RegistrationLimits.default
            limits.maxDocumentBytes = policy.maxRegistrationBytes
            do { _ = try RegistrationFile(json: bytes, limits: limits) } catch { throw FetchFailure(.invalid, error.description) }
        case .domainProof:
            do { _ = try DomainProof(json: bytes) } catch { throw FetchFailure(.invalid, error.description) }
        case .a2aCard:
            let root: JSONValue
            do { root = try JSONValue(parsing: bytes, maxDepth: AgentCard.maxJSONDepth) } catch {
                throw FetchFailure(.invalid, "the A2A card is not JSON: \(error)")
            }
            do { _ = try AgentCard(a2aJSON: root) } catch { throw FetchFailure(.invalid, "not an A2A card: \(error.description)") }
            let outcome = CardSignatures.check(root) { keySetURL throws -> [UInt8] in try fetchKeySet(keySetURL) }
            content.cardSignature = outcome.status.rawValue
            content.signatureReason = outcome.reason.map { String($0.prefix(500)) }
        case .feedback:
            let root: JSONValue
            do { root = try JSONValue(parsing: bytes, maxDepth: 32) } catch { throw FetchFailure(.invalid, "the feedback file is not JSON: \(error)") }
            guard case .object = root else { throw FetchFailure(.invalid, "the feedback file is not a JSON object") }
            let (verdict, reason) = try PaymentProofs.check(root, lookup: payments)
            content.paymentProof = verdict
            content.paymentProofReason = reason
        }
        return content
    }

    /// A JWK Set at `jku`, through the guard (`https:` only, 64 KiB at most).
    func fetchKeySet(_ text: String) throws -> [UInt8] {
        let url = try FetchURL(text)
        guard url.scheme == .https || policy.allowHTTP else { throw FetchFailure(.refused, "a jku must be an https: URL") }
        let answer = try client.get(HTTPRequest(url: url, accept: "application/jwk-set+json, application/json", maxBytes: 65_536))
        guard (200...299).contains(answer.status) else { throw FetchFailure(.failed, "HTTP \(answer.status) for the key set") }
        return answer.body
    }
}
