/// Why IPFS content could not be read or trusted: a malformed CID, block, CAR or UnixFS node, a
/// block whose hash is not its CID's, a limit broken.
///
/// ```swift
/// do { _ = try CID("bafy…") } catch { print(error) }   // "invalid CID: …"
/// ```
public struct IPFSError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
