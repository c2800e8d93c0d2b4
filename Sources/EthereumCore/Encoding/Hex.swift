/// Strict hexadecimal encoding and decoding.
///
/// Decoding never crashes on bad input: odd lengths, characters outside `[0-9a-fA-F]` and a
/// missing `0x` prefix (where one is required) are reported as ``HexError``.
///
/// ```swift
/// let bytes = try Hex.decode("0xdeadbeef")   // [0xde, 0xad, 0xbe, 0xef]
/// Hex.encode(bytes)                           // "0xdeadbeef"
/// ```
public enum Hex {
    /// Whether `decode` insists on the `0x` prefix.
    public enum Prefix: Sendable {
        /// `0x` must be present.
        case required
        /// `0x` may be present or absent.
        case optional
    }

    /// Decodes a hex string into bytes.
    /// - Throws: ``HexError`` for a missing prefix, an odd number of digits or a non-hex character.
    public static func decode(_ text: some StringProtocol, prefix: Prefix = .required) throws(HexError) -> [UInt8] {
        var text = String(text)
        return try text.withUTF8 { utf8 in Result { () throws(HexError) in try decode(ascii: utf8, prefix: prefix) } }.get()
    }

    /// Decodes hex given as ASCII bytes (a slice of a JSON document, say) into bytes.
    /// - Throws: ``HexError`` for a missing prefix, an odd number of digits or a non-hex character.
    public static func decode(ascii: ArraySlice<UInt8>, prefix: Prefix = .required) throws(HexError) -> [UInt8] {
        try ascii.withUnsafeBufferPointer { utf8 in Result { () throws(HexError) in try decode(ascii: utf8, prefix: prefix) } }.get()
    }

    static func decode(ascii utf8: UnsafeBufferPointer<UInt8>, prefix: Prefix) throws(HexError) -> [UInt8] {
        var start = 0
        if utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X") {
            start = 2
        } else if prefix == .required {
            throw .missingPrefix
        }
        let digits = utf8.count - start
        guard digits % 2 == 0 else { throw .oddLength(digits) }
        var out = [UInt8]()
        out.reserveCapacity(digits / 2)
        for i in 0..<(digits / 2) {
            guard let high = nibble(utf8[start + 2 * i]) else { throw .invalidCharacter(position: 2 * i) }
            guard let low = nibble(utf8[start + 2 * i + 1]) else { throw .invalidCharacter(position: 2 * i + 1) }
            out.append(high << 4 | low)
        }
        return out
    }

    /// Encodes bytes as lowercase hex, with a `0x` prefix unless `prefix` is false.
    public static func encode(_ bytes: some Collection<UInt8>, prefix: Bool = true) -> String {
        if let text = bytes.withContiguousStorageIfAvailable({ encode(buffer: $0, prefix: prefix) }) { return text }
        return Array(bytes).withUnsafeBufferPointer { encode(buffer: $0, prefix: prefix) }
    }

    /// ``encode(_:prefix:)`` over contiguous bytes: one allocation (the string), no table.
    private static func encode(buffer bytes: UnsafeBufferPointer<UInt8>, prefix: Bool) -> String {
        let count = bytes.count * 2 + (prefix ? 2 : 0)
        return String(unsafeUninitializedCapacity: count) { out in
            var i = 0
            if prefix {
                out[0] = UInt8(ascii: "0"); out[1] = UInt8(ascii: "x"); i = 2
            }
            for byte in bytes {
                out[i] = digit(byte >> 4)
                out[i + 1] = digit(byte & 0x0f)
                i += 2
            }
            return count
        }
    }

    /// The lowercase ASCII digit of a nibble (0…15).
    @inline(__always)
    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble &+ UInt8(ascii: "0") : nibble &+ (UInt8(ascii: "a") &- 10)
    }

    /// The value of one hex digit given as ASCII, or nil.
    @inlinable
    public static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}

/// Why a hex string could not be decoded.
public enum HexError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingPrefix
    case oddLength(Int)
    case invalidCharacter(position: Int)
    case wrongLength(expected: Int, actual: Int)

    public var description: String {
        switch self {
        case .missingPrefix: return "hex string must start with 0x"
        case .oddLength(let n): return "hex string has an odd number of digits (\(n))"
        case .invalidCharacter(let p): return "invalid hex character at digit \(p)"
        case .wrongLength(let e, let a): return "expected \(e) bytes, got \(a)"
        }
    }
}
