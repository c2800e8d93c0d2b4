/// A block's number, hash and parent hash: one link of the chain the follower indexed.
///
/// Kept for blocks that may still be reorganised. When the node's block at a stored number has
/// another hash, or a new block's parent is not the stored hash, the chain was reorganised and
/// the highest block whose hash still matches is the common ancestor.
public struct BlockLink: Sendable, Hashable {
    public var number: UInt64
    public var hash: [UInt8]
    public var parentHash: [UInt8]

    public init(number: UInt64, hash: [UInt8], parentHash: [UInt8]) {
        self.number = number
        self.hash = hash
        self.parentHash = parentHash
    }
}
