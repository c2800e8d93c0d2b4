/// Standard (non-packed) ABI encoding.
///
/// ```swift
/// let data = try ABIEncoder.encode([.string("hi"), .uint(UInt256(7))], as: ABIType.list("string,uint256"))
/// ```
public enum ABIEncoder {
    /// Encodes `values` as the tuple `(types…)`.
    /// - Throws: ``ABIError/typeMismatch(expected:got:)`` when a value does not fit its type.
    public static func encode(_ values: [ABIValue], as types: [ABIType]) throws(ABIError) -> [UInt8] {
        guard values.count == types.count else {
            throw .typeMismatch(expected: "\(types.count) values", got: "\(values.count)")
        }
        return try encodeSequence(values, types: { types[$0] })
    }

    static func encodeSequence(_ values: [ABIValue], types: (Int) -> ABIType) throws(ABIError) -> [UInt8] {
        var headSize = 0
        for i in values.indices { headSize += types(i).headSize }
        var head: [UInt8] = []
        head.reserveCapacity(headSize)
        var tail: [UInt8] = []
        for (i, value) in values.enumerated() {
            let t = types(i)
            let encoded = try encodeValue(value, as: t)
            if t.isDynamic {
                head += UInt256(UInt64(headSize + tail.count)).bigEndianBytes
                tail += encoded
            } else {
                head += encoded
            }
        }
        return head + tail
    }

    static func encodeValue(_ value: ABIValue, as type: ABIType) throws(ABIError) -> [UInt8] {
        func mismatch() -> ABIError { .typeMismatch(expected: type.canonical, got: String(describing: value)) }
        switch (type, value) {
        case let (.uint(m), .uint(v)):
            guard v.bitWidth <= m else { throw .typeMismatch(expected: type.canonical, got: v.description) }
            return v.bigEndianBytes
        case let (.int(m), .int(v)):
            guard v.fits(bits: m) else { throw .typeMismatch(expected: type.canonical, got: v.description) }
            return v.bitPattern.bigEndianBytes
        case let (.address, .address(a)):
            return a.word
        case let (.bool, .bool(b)):
            return UInt256(b ? 1 : 0).bigEndianBytes
        case let (.fixedBytes(m), .fixedBytes(b)):
            guard b.count == m else { throw .typeMismatch(expected: type.canonical, got: "\(b.count) bytes") }
            return b + [UInt8](repeating: 0, count: 32 - m)
        case let (.bytes, .bytes(b)):
            return lengthPrefixed(b)
        case let (.string, .string(s)):
            return lengthPrefixed(Array(s.utf8))
        case let (.array(element, fixed), .array(items)):
            if let k = fixed, items.count != k {
                throw .typeMismatch(expected: type.canonical, got: "\(items.count) elements")
            }
            let body = try encodeSequence(items, types: { _ in element })
            return fixed == nil ? UInt256(UInt64(items.count)).bigEndianBytes + body : body
        case let (.tuple(members), .tuple(items)):
            guard members.count == items.count else {
                throw .typeMismatch(expected: type.canonical, got: "\(items.count) members")
            }
            return try encodeSequence(items, types: { members[$0] })
        default:
            throw mismatch()
        }
    }

    static func lengthPrefixed(_ bytes: [UInt8]) -> [UInt8] {
        let padding = (32 - bytes.count % 32) % 32
        return UInt256(UInt64(bytes.count)).bigEndianBytes + bytes + [UInt8](repeating: 0, count: padding)
    }
}
