import AgentCards

/// Where a document stands: the statuses of ``RegistrationDocument/Status`` apply to every kind
/// (`pending`, `ok`, `stale`, `failed`, `invalid`, `unsupported`, `refused`; `absent` only to an
/// agent without a URI).
public typealias DocumentStatus = RegistrationDocument.Status

/// What a document is to the index.
public enum DocumentKind: String, Sendable, Hashable, CaseIterable {
    /// An ERC-8004 registration file behind an `https:`/`ipfs:` agentURI.
    case registration
    /// The A2A card a registration file's A2A service names.
    case a2aCard = "a2a-card"
    /// `https://{A2A endpoint host}/.well-known/agent-registration.json`.
    case domainProof = "domain-proof"
    /// The file behind a feedback's `feedbackURI`.
    case feedback

    /// The largest content of this kind accepted by default (after decompression).
    public var defaultMaxBytes: Int { self == .a2aCard ? 65_536 : 262_144 }
}

/// A document the fetcher should fetch now: what it needs to make the request.
///
/// ```swift
/// for task in try store.dueDocuments(now: now, limit: 64) { fetch(task.uri, ifNoneMatch: task.etag) }
/// ```
public struct DocumentTask: Sendable, Hashable {
    public var id: Int64
    public var uri: String
    public var kind: DocumentKind
    public var status: DocumentStatus
    /// Validators of the content held (for a conditional request); nil when none is held.
    public var etag: String?
    public var lastModified: String?
    /// Consecutive failed attempts so far.
    public var failures: Int

    public init(id: Int64, uri: String, kind: DocumentKind, status: DocumentStatus, etag: String?, lastModified: String?, failures: Int) {
        self.id = id; self.uri = uri; self.kind = kind; self.status = status
        self.etag = etag; self.lastModified = lastModified; self.failures = failures
    }
}

/// What one attempt at a document found; applied by ``AgentStore/applyDocumentResult(_:)`` in
/// a transaction of its own.
public struct DocumentResult: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// New content, already checked for its kind (parses, within limits, hash and CID checked).
        case content(DocumentContent)
        /// A conditional request answered 304: the content held is still current.
        case notModified
        /// Nothing usable: the status the failure leads to and why.
        case failure(Failure, String)
    }

    /// The four ways an attempt fails (``DocumentStatus`` follows from them and from whether
    /// content is held: a failed or refused refresh leaves it `stale`).
    public enum Failure: String, Sendable, Hashable {
        case failed, invalid, unsupported, refused
    }

    public var documentID: Int64
    /// Unix seconds.
    public var attemptedAt: Int64
    public var outcome: Outcome
    /// The URL that answered (after redirects), the address it was fetched from, its status.
    public var url: String?
    public var address: String?
    public var httpStatus: Int?
    public var bytesOnWire: Int?
    /// When the document is due again (a refresh or a retry), unix seconds; nil never.
    public var nextAttemptAt: Int64?

    public init(documentID: Int64, attemptedAt: Int64, outcome: Outcome, url: String? = nil, address: String? = nil,
                httpStatus: Int? = nil, bytesOnWire: Int? = nil, nextAttemptAt: Int64?) {
        self.documentID = documentID; self.attemptedAt = attemptedAt; self.outcome = outcome; self.url = url
        self.address = address; self.httpStatus = httpStatus; self.bytesOnWire = bytesOnWire; self.nextAttemptAt = nextAttemptAt
    }
}

/// A document's content as fetched and checked.
public struct DocumentContent: Sendable, Hashable {
    public var bytes: [UInt8]
    /// Lower-case hex.
    public var sha256: String
    public var keccak256: String
    /// IPFS: true when every block was checked against the CID, false when a trusted gateway
    /// served plain bytes; nil for `https:`.
    public var contentVerified: Bool?
    public var etag: String?
    public var lastModified: String?
    /// A2A cards: the signature verdict and its reason.
    public var cardSignature: String?
    public var signatureReason: String?
    /// Feedback files: the payment proof verdict and its reason.
    public var paymentProof: String?
    public var paymentProofReason: String?

    public init(bytes: [UInt8], sha256: String, keccak256: String, contentVerified: Bool? = nil, etag: String? = nil,
                lastModified: String? = nil, cardSignature: String? = nil, signatureReason: String? = nil,
                paymentProof: String? = nil, paymentProofReason: String? = nil) {
        self.bytes = bytes; self.sha256 = sha256; self.keccak256 = keccak256; self.contentVerified = contentVerified
        self.etag = etag; self.lastModified = lastModified; self.cardSignature = cardSignature
        self.signatureReason = signatureReason; self.paymentProof = paymentProof; self.paymentProofReason = paymentProofReason
    }
}
