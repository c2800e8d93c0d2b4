import EthereumCore

/// The public identifier of an agent: `eip155:<chainId>:<checksummed address>` (CAIP-10).
///
/// ```swift
/// AgentID(chainID: 31337, address: agent).description  // "eip155:31337:0x5a75…"
/// AgentID(parsing: "eip155:1:0x5a75b0f2a1547F6C00bd795f81FbFcE9200CAa40")
/// ```
public struct AgentID: Hashable, Sendable, CustomStringConvertible {
    public var chainID: UInt64
    public var address: EthereumAddress

    public init(chainID: UInt64, address: EthereumAddress) {
        self.chainID = chainID
        self.address = address
    }

    /// Parses `eip155:<chainId>:<address>`; the address may be in any case.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "eip155", let chain = UInt64(parts[1]),
              let address = try? EthereumAddress(String(parts[2]).lowercased()) else { return nil }
        self.init(chainID: chain, address: address)
    }

    public var description: String { "eip155:\(chainID):\(address.checksummed)" }
}
