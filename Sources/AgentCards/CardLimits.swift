/// Bounds on what a card may contain. Cards are written by anyone, so anything outside these is
/// recorded as invalid with a reason instead of being stored or searched.
///
/// The defaults are about twice the sizes the reference contracts allow (see README), so every
/// card those contracts accept fits, while a hostile contract cannot make the index store
/// megabytes per agent.
public struct CardLimits: Hashable, Sendable {
    /// The ABI-encoded card, in bytes.
    public var maxEncodedBytes = 262_144
    public var maxNameBytes = 256
    public var maxDescriptionBytes = 4_096
    /// URLs: url, provider url, icon, documentation, extension uri.
    public var maxURLBytes = 2_048
    /// Short strings: version, protocolVersion, organization, skill ids and names, modes, tags,
    /// payment scheme and network.
    public var maxShortStringBytes = 256
    public var maxSkillDescriptionBytes = 2_048
    public var maxExampleBytes = 512
    public var maxExtensionParamsBytes = 4_096
    public var maxSkills = 32
    public var maxTagsPerSkill = 32
    public var maxExamplesPerSkill = 16
    public var maxModes = 16
    public var maxExtensions = 16
    public var maxPayments = 16

    public init() {}

    public static let `default` = CardLimits()
}
