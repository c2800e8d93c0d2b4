/// The multibase encodings CIDs are written in: base32 lower case (`b…`, CIDv1's default), base32
/// upper case (`B…`), base36 (`k…`, subdomain gateways) and base58btc (`z…`, and bare for CIDv0).
///
/// ```swift
/// try Multibase.decode("bafkqaaa")          // the bytes of an empty identity CID
/// Multibase.base32("hi".utf8)               // "nbuq"
/// ```
public enum Multibase {
    private static let base32Alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)
    private static let base58Alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    private static let base36Alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    /// The bytes a multibase string carries (its first character names the base).
    public static func decode(_ text: String) throws(IPFSError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard let prefix = utf8.first else { throw IPFSError("an empty multibase string") }
        let body = Array(utf8.dropFirst())
        switch prefix {
        case UInt8(ascii: "b"): return try base32Decode(body, upper: false)
        case UInt8(ascii: "B"): return try base32Decode(body, upper: true)
        case UInt8(ascii: "z"): return try baseXDecode(body, alphabet: base58Alphabet, name: "base58btc")
        case UInt8(ascii: "k"): return try baseXDecode(body, alphabet: base36Alphabet, name: "base36")
        case UInt8(ascii: "K"): return try baseXDecode(body.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, alphabet: base36Alphabet, name: "base36")
        default: throw IPFSError("the multibase prefix '\(Unicode.Scalar(prefix))' is not supported")
        }
    }

    /// Bytes from base58btc text without a multibase prefix (a CIDv0 such as `Qm…`).
    public static func base58Decode(_ text: String) throws(IPFSError) -> [UInt8] {
        try baseXDecode(Array(text.utf8), alphabet: base58Alphabet, name: "base58btc")
    }

    /// `bytes` as lower-case, unpadded base32 (RFC 4648), without the multibase prefix.
    public static func base32(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        var buffer: UInt32 = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                out.append(base32Alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(base32Alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `bytes` as base58btc, without the multibase prefix.
    public static func base58(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix { $0 == 0 }.count
        var digits: [UInt8] = []   // base 58, least significant first
        for byte in bytes.dropFirst(zeros) {
            var carry = Int(byte)
            for index in digits.indices {
                carry += Int(digits[index]) << 8
                digits[index] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 { digits.append(UInt8(carry % 58)); carry /= 58 }
        }
        let text = [UInt8](repeating: base58Alphabet[0], count: zeros) + digits.reversed().map { base58Alphabet[Int($0)] }
        return String(decoding: text, as: UTF8.self)
    }

    private static func base32Decode(_ body: [UInt8], upper: Bool) throws(IPFSError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count * 5 / 8)
        var buffer: UInt32 = 0, bits = 0
        for character in body {
            var c = character
            if upper, c >= 65, c <= 90 { c += 32 }
            let value: UInt32
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(c - UInt8(ascii: "a"))
            case UInt8(ascii: "2")...UInt8(ascii: "7"): value = UInt32(c - UInt8(ascii: "2")) + 26
            default: throw IPFSError("'\(Unicode.Scalar(character))' is not a base32 character")
            }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> UInt32(bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        // What is left must be fewer than 5 bits, all zero (RFC 4648's canonical form).
        guard bits < 5, buffer & ((1 << UInt32(bits)) - 1) == 0 else { throw IPFSError("base32 text has stray trailing bits") }
        return out
    }

    /// Decodes big-endian base-N text (base58, base36): leading zero digits are leading zero bytes.
    private static func baseXDecode(_ body: [UInt8], alphabet: [UInt8], name: String) throws(IPFSError) -> [UInt8] {
        guard body.count <= 512 else { throw IPFSError("\(name) text is longer than 512 characters") }
        let base = alphabet.count
        let zeros = body.prefix { $0 == alphabet[0] }.count
        var bytes: [UInt8] = []   // base 256, least significant first
        for character in body.dropFirst(zeros) {
            guard let digit = alphabet.firstIndex(of: character) else {
                throw IPFSError("'\(Unicode.Scalar(character))' is not a \(name) character")
            }
            var carry = digit
            for index in bytes.indices {
                carry += Int(bytes[index]) * base
                bytes[index] = UInt8(carry & 0xFF)
                carry >>= 8
            }
            while carry > 0 { bytes.append(UInt8(carry & 0xFF)); carry >>= 8 }
        }
        return [UInt8](repeating: 0, count: zeros) + bytes.reversed()
    }
}
