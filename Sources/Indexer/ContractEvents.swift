import EthereumCore

/// The events AgentIndex follows, as the contracts in `abi/` declare them.
///
/// Kept as Swift values (not read from `abi/` at run time) so the binary needs no files; a
/// test compares them with the committed ABI JSON.
public enum ContractEvents {
    private static func p(_ name: String, _ type: String, indexed: Bool = false) -> ABIParameter {
        ABIParameter(name: name, type: try! ABIType(type), indexed: indexed)
    }

    // Factory
    public static let agentCreated = ABIEvent(name: "AgentCreated", inputs: [
        p("agent", "address", indexed: true), p("owner", "address", indexed: true), p("index", "uint256")])

    // Registry
    public static let agentRegistered = ABIEvent(name: "AgentRegistered", inputs: [
        p("agent", "address", indexed: true), p("owner", "address", indexed: true)])
    public static let agentUnregistered = ABIEvent(name: "AgentUnregistered", inputs: [p("agent", "address", indexed: true)])
    public static let agentApproved = ABIEvent(name: "AgentApproved", inputs: [
        p("agent", "address", indexed: true), p("curator", "address", indexed: true)])
    public static let agentRevoked = ABIEvent(name: "AgentRevoked", inputs: [
        p("agent", "address", indexed: true), p("curator", "address", indexed: true)])

    // Agent
    public static let agentCardUpdated = ABIEvent(name: "AgentCardUpdated", inputs: [
        p("owner", "address", indexed: true), p("card", "bytes")])
    public static let activeChanged = ABIEvent(name: "ActiveChanged", inputs: [p("active", "bool")])
    public static let ownershipTransferred = ABIEvent(name: "OwnershipTransferred", inputs: [
        p("previousOwner", "address", indexed: true), p("newOwner", "address", indexed: true)])
    public static let heartbeat = ABIEvent(name: "Heartbeat", inputs: [p("timestamp", "uint256")])
    public static let paymentReceived = ABIEvent(name: "PaymentReceived", inputs: [
        p("payer", "address", indexed: true), p("asset", "address", indexed: true), p("amount", "uint256")])
    public static let rated = ABIEvent(name: "Rated", inputs: [
        p("rater", "address", indexed: true), p("score", "uint8"), p("comment", "string")])

    // ERC-20 and EIP-3009 (the token contract; MockUSDC names the Transfer fields sender/receiver)
    public static let transfer = ABIEvent(name: "Transfer", inputs: [
        p("sender", "address", indexed: true), p("receiver", "address", indexed: true), p("value", "uint256")])
    public static let authorizationUsed = ABIEvent(name: "AuthorizationUsed", inputs: [
        p("authorizer", "address", indexed: true), p("nonce", "bytes32", indexed: true)])

    /// Events a factory or registry emits, by topic0.
    public static let sourceEvents: [ABIEvent] = [agentCreated, agentRegistered, agentUnregistered, agentApproved, agentRevoked]
    /// Events an agent contract emits about itself, by topic0.
    public static let agentEvents: [ABIEvent] = [agentCardUpdated, activeChanged, ownershipTransferred, heartbeat,
                                                 paymentReceived, rated]

    /// `getAgentCard()` returns `(AgentCard)`; `curated()` returns `bool`.
    public static let getAgentCardSelector = ABISignature.selector("getAgentCard()")
    public static let curatedSelector = ABISignature.selector("curated()")
}
