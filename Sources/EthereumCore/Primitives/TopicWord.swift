/// 32 bytes held inline — a log topic, an address as it stands in one (left-padded with twelve
/// zero bytes), a block or transaction hash — hashable without allocating: what a hot path
/// compares topics with, and what a stored position keeps its hashes in.
///
/// ```swift
/// let payee = TopicWord(address: wallet)
/// TopicWord(hexDigits: topicHex[2...]) == payee   // the topic names the wallet
/// ```
public struct TopicWord: Hashable, Sendable {
    private var parts: (UInt64, UInt64, UInt64, UInt64)

    /// The word of 32 bytes; nil for another length.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        parts = (Self.load(bytes, 0, 8), Self.load(bytes, 8, 8), Self.load(bytes, 16, 8), Self.load(bytes, 24, 8))
    }

    /// An address left-padded with zeros, as it stands in a topic.
    public init(address: EthereumAddress) {
        parts = address.topicParts
    }

    /// Reads 64 hex digits (no `0x`); nil when there are not 64 or any is not a hex digit.
    public init?(hexDigits text: ArraySlice<UInt8>) {
        guard text.count == 64 else { return nil }
        var values: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var index = text.startIndex
        for part in 0..<4 {
            var value: UInt64 = 0
            for _ in 0..<16 {
                guard let nibble = Hex.nibble(text[index]) else { return nil }
                value = value << 4 | UInt64(nibble)
                index += 1
            }
            switch part {
            case 0: values.0 = value
            case 1: values.1 = value
            case 2: values.2 = value
            default: values.3 = value
            }
        }
        parts = values
    }

    /// Twelve zero bytes first: the word holds an address.
    public var isAddress: Bool { parts.0 == 0 && parts.1 >> 32 == 0 }

    /// The 32 bytes.
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
            count = 32
        }
    }

    /// Calls `body` with the 32 bytes, without copying them into an array.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var raw = (parts.0.bigEndian, parts.1.bigEndian, parts.2.bigEndian, parts.3.bigEndian)
        return try Swift.withUnsafeBytes(of: &raw, body)
    }

    /// Lowercase `0x`-prefixed hex (66 characters).
    public var hex: String { withUnsafeBytes { Hex.encode($0.bindMemory(to: UInt8.self)) } }

    /// The address the word holds, or nil when its twelve high bytes are not zero.
    public var address: EthereumAddress? { isAddress ? EthereumAddress(topicParts: parts) : nil }

    /// `count` bytes from `offset`, big-endian.
    private static func load(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in offset..<(offset + count) { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    public static func == (a: TopicWord, b: TopicWord) -> Bool { a.parts == b.parts }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(parts.0)
        hasher.combine(parts.1)
        hasher.combine(parts.2)
        hasher.combine(parts.3)
    }
}
