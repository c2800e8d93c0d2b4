/// The unsigned varints of multiformats (LEB128, at most 9 bytes, minimally encoded), as CIDs,
/// multihashes and CAR files use them; protobuf varints allow 10 bytes and are read by
/// ``ProtobufReader``.
///
/// ```swift
/// var offset = 0
/// try Varint.read([0x80, 0x01], at: &offset)   // 128, offset 2
/// Varint.encode(128)                            // [0x80, 0x01]
/// ```
public enum Varint {
    /// Reads a varint at `offset` and moves `offset` past it.
    public static func read(_ bytes: [UInt8], at offset: inout Int) throws(IPFSError) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<9 {
            guard offset < bytes.count else { throw IPFSError("a varint runs past the end of the data") }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            if byte & 0x80 == 0 {
                if byte == 0 && index > 0 { throw IPFSError("a varint is not minimally encoded") }
                return value
            }
        }
        throw IPFSError("a varint is longer than 9 bytes")
    }

    /// The varint encoding of `value`.
    public static func encode(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            out.append(byte)
        } while value != 0
        return out
    }
}
