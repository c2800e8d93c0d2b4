/// Recursive Length Prefix encoding (Ethereum yellow paper, appendix B).
///
/// ```swift
/// RLP.encode(.list([.bytes(Array("cat".utf8)), .bytes(Array("dog".utf8))]))
/// // [0xc8, 0x83, 0x63, 0x61, 0x74, 0x83, 0x64, 0x6f, 0x67]
/// ```
public enum RLP {
    /// An RLP item: a byte string or a list of items.
    public indirect enum Item: Hashable, Sendable {
        case bytes([UInt8])
        case list([Item])

        /// An unsigned integer as its minimal big-endian bytes (zero is the empty string).
        public static func uint(_ value: UInt256) -> Item {
            .bytes(Array(value.bigEndianBytes.drop { $0 == 0 }))
        }
    }

    /// Encodes an item.
    public static func encode(_ item: Item) -> [UInt8] {
        switch item {
        case .bytes(let b):
            if b.count == 1 && b[0] < 0x80 { return b }
            return prefix(b.count, short: 0x80) + b
        case .list(let items):
            let body = items.flatMap(encode)
            return prefix(body.count, short: 0xc0) + body
        }
    }

    static func prefix(_ length: Int, short: UInt8) -> [UInt8] {
        if length <= 55 { return [short + UInt8(length)] }
        let lengthBytes = Array(UInt256(UInt64(length)).bigEndianBytes.drop { $0 == 0 })
        return [short + 55 + UInt8(lengthBytes.count)] + lengthBytes
    }

    /// Decodes exactly one item that spans all of `data`, rejecting non-canonical forms.
    public static func decode(_ data: [UInt8]) throws(RLPError) -> Item {
        var position = 0
        let item = try decodeItem(data, &position, depth: 0)
        guard position == data.count else { throw .trailingBytes }
        return item
    }

    static func decodeItem(_ d: [UInt8], _ p: inout Int, depth: Int) throws(RLPError) -> Item {
        guard depth < 64 else { throw .tooDeep }
        guard p < d.count else { throw .truncated }
        let b = d[p]
        switch b {
        case 0..<0x80:
            p += 1
            return .bytes([b])
        case 0x80...0xbf:
            let (start, length) = try header(d, &p, short: 0x80)
            if length == 1 && d[start] < 0x80 { throw .nonCanonical }
            p = start + length
            return .bytes(Array(d[start..<p]))
        default:
            let (start, length) = try header(d, &p, short: 0xc0)
            let end = start + length
            var items: [Item] = []
            p = start
            while p < end { items.append(try decodeItem(Array(d[..<end]), &p, depth: depth + 1)) }
            return .list(items)
        }
    }

    static func header(_ d: [UInt8], _ p: inout Int, short: UInt8) throws(RLPError) -> (start: Int, length: Int) {
        let b = d[p]
        if b <= short + 55 {
            let length = Int(b - short)
            guard p + 1 + length <= d.count else { throw .truncated }
            return (p + 1, length)
        }
        let lengthOfLength = Int(b - short - 55)
        guard p + 1 + lengthOfLength <= d.count else { throw .truncated }
        let lengthBytes = d[(p + 1)..<(p + 1 + lengthOfLength)]
        guard lengthBytes.first != 0 else { throw .nonCanonical }
        guard let length = UInt256(bigEndian: lengthBytes)?.intValue, length > 55 else { throw .nonCanonical }
        guard length <= d.count - (p + 1 + lengthOfLength) else { throw .truncated }
        return (p + 1 + lengthOfLength, length)
    }
}

/// Why RLP data could not be decoded.
public enum RLPError: Error, Equatable, Sendable {
    case truncated, trailingBytes, nonCanonical, tooDeep
}
