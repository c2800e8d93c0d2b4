/// Bounds on an ERC-8004 registration file and the `data:` URI that may carry it. Files are
/// written by anyone: one outside these is recorded as an invalid version with the reason.
///
/// ```swift
/// var limits = RegistrationLimits()
/// limits.maxServices = 8
/// let file = try RegistrationFile(json: bytes, limits: limits)
/// ```
public struct RegistrationLimits: Hashable, Sendable {
    /// The document, in bytes (after `data:` decoding and decompression).
    public var maxDocumentBytes = 262_144
    /// An `agentURI`, in bytes: a `data:` URI of a document at the limit, base64-encoded, fits.
    public var maxURIBytes = 1_048_576
    /// A gzip payload may expand at most this many times (and never beyond ``maxDocumentBytes``).
    public var maxCompressionRatio = 100
    /// Nesting of arrays and objects in the JSON.
    public var maxDepth = 32
    public var maxNameBytes = 256
    public var maxDescriptionBytes = 8_192
    /// `image`, `type`, every service endpoint, and an `agentURI` that is not a `data:` URI.
    public var maxURLBytes = 2_048
    /// Service names and versions, OASF skills and domains, `supportedTrust` entries, registration fields.
    public var maxShortStringBytes = 256
    public var maxServices = 64
    /// OASF skills, and domains, per service.
    public var maxSkillsPerService = 64
    public var maxRegistrations = 64
    public var maxTrustModels = 16

    public init() {}

    public static let `default` = RegistrationLimits()
}
