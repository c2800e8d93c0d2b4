import EthereumCore

/// The events AgentIndex follows on the ERC-8004 registries, as `abi/erc8004/*.abi.json` declares
/// them (the January 2026 ABI; a test compares these with the committed files).
///
/// The ERC-721 `Transfer` shares its topic0 with ERC-20's; it is told apart by its four topics and
/// by coming from the Identity Registry.
public enum ERC8004Events {
    private static func p(_ name: String, _ type: String, indexed: Bool = false) -> ABIParameter {
        ABIParameter(name: name, type: try! ABIType(type), indexed: indexed)
    }

    // Identity Registry
    public static let transfer = ABIEvent(name: "Transfer", inputs: [
        p("from", "address", indexed: true), p("to", "address", indexed: true), p("tokenId", "uint256", indexed: true)])
    public static let registered = ABIEvent(name: "Registered", inputs: [
        p("agentId", "uint256", indexed: true), p("agentURI", "string"), p("owner", "address", indexed: true)])
    public static let uriUpdated = ABIEvent(name: "URIUpdated", inputs: [
        p("agentId", "uint256", indexed: true), p("newURI", "string"), p("updatedBy", "address", indexed: true)])
    public static let metadataSet = ABIEvent(name: "MetadataSet", inputs: [
        p("agentId", "uint256", indexed: true), p("indexedMetadataKey", "string", indexed: true), p("metadataKey", "string"),
        p("metadataValue", "bytes")])
    public static let metadataUpdate = ABIEvent(name: "MetadataUpdate", inputs: [p("_tokenId", "uint256")])
    public static let batchMetadataUpdate = ABIEvent(name: "BatchMetadataUpdate", inputs: [
        p("_fromTokenId", "uint256"), p("_toTokenId", "uint256")])

    // Reputation Registry
    public static let newFeedback = ABIEvent(name: "NewFeedback", inputs: [
        p("agentId", "uint256", indexed: true), p("clientAddress", "address", indexed: true), p("feedbackIndex", "uint64"),
        p("value", "int128"), p("valueDecimals", "uint8"), p("indexedTag1", "string", indexed: true), p("tag1", "string"),
        p("tag2", "string"), p("endpoint", "string"), p("feedbackURI", "string"), p("feedbackHash", "bytes32")])
    public static let feedbackRevoked = ABIEvent(name: "FeedbackRevoked", inputs: [
        p("agentId", "uint256", indexed: true), p("clientAddress", "address", indexed: true),
        p("feedbackIndex", "uint64", indexed: true)])
    public static let responseAppended = ABIEvent(name: "ResponseAppended", inputs: [
        p("agentId", "uint256", indexed: true), p("clientAddress", "address", indexed: true), p("feedbackIndex", "uint64"),
        p("responder", "address", indexed: true), p("responseURI", "string"), p("responseHash", "bytes32")])

    // Validation Registry
    public static let validationRequest = ABIEvent(name: "ValidationRequest", inputs: [
        p("validatorAddress", "address", indexed: true), p("agentId", "uint256", indexed: true), p("requestURI", "string"),
        p("requestHash", "bytes32", indexed: true)])
    public static let validationResponse = ABIEvent(name: "ValidationResponse", inputs: [
        p("validatorAddress", "address", indexed: true), p("agentId", "uint256", indexed: true),
        p("requestHash", "bytes32", indexed: true), p("response", "uint8"), p("responseURI", "string"),
        p("responseHash", "bytes32"), p("tag", "string")])

    public static let identity: [ABIEvent] = [transfer, registered, uriUpdated, metadataSet, metadataUpdate, batchMetadataUpdate]
    public static let reputation: [ABIEvent] = [newFeedback, feedbackRevoked, responseAppended]
    public static let validation: [ABIEvent] = [validationRequest, validationResponse]
    /// Every event followed, for one `eth_getLogs` filter over the registries.
    public static let all: [ABIEvent] = identity + reputation + validation

    /// `getIdentityRegistry()` of the Reputation and Validation registries returns `address`.
    public static let getIdentityRegistrySelector = ABISignature.selector("getIdentityRegistry()")
}
