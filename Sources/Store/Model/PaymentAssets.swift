import EthereumCore

/// Which assets count as payment on a chain, and the dust threshold of each.
///
/// The native coin always counts. A token counts when the configuration lists it; a token only a
/// card names is followed and stored, but its payments are flagged `unlisted-asset`.
///
/// ```swift
/// let assets = PaymentAssets(tokens: [usdc], dust: [usdc: UInt256(10_000), .zero: UInt256(1_000_000_000_000)])
/// ```
public struct PaymentAssets: Sendable, Hashable {
    /// Configured ERC-20 tokens.
    public var tokens: Set<EthereumAddress>
    /// Smallest counted amount per asset (the zero address is the native coin).
    public var dust: [EthereumAddress: UInt256]

    public init(tokens: Set<EthereumAddress> = [], dust: [EthereumAddress: UInt256] = [:]) {
        self.tokens = tokens
        self.dust = dust
    }

    /// True for the native coin and configured tokens.
    public func isListed(_ asset: EthereumAddress) -> Bool { asset == .zero || tokens.contains(asset) }
}
