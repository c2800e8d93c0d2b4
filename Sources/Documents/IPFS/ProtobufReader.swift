/// Reads protobuf wire format field by field: just what dag-pb and UnixFS need (varints and
/// length-delimited fields), strictly: a truncated field or an unknown wire type is an error.
///
/// ```swift
/// var reader = ProtobufReader(bytes)
/// while let (field, wire) = try reader.nextKey() {
///     if field == 1, wire == .lengthDelimited { data = try reader.lengthDelimited() } else { try reader.skip(wire) }
/// }
/// ```
struct ProtobufReader {
    enum WireType: UInt64 { case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5 }

    private let bytes: [UInt8]
    private var offset: Int
    private let end: Int

    init(_ bytes: [UInt8]) { self.init(bytes, from: 0, to: bytes.count) }

    init(_ bytes: [UInt8], from start: Int, to end: Int) {
        self.bytes = bytes; offset = start; self.end = end
    }

    /// Whether every byte has been read.
    var isAtEnd: Bool { offset >= end }

    /// The next field number and wire type, or nil at the end.
    mutating func nextKey() throws(IPFSError) -> (field: UInt64, wire: WireType)? {
        guard offset < end else { return nil }
        let key = try varint()
        guard let wire = WireType(rawValue: key & 7) else { throw IPFSError("protobuf wire type \(key & 7) is not supported") }
        guard key >> 3 > 0 else { throw IPFSError("protobuf field number 0") }
        return (key >> 3, wire)
    }

    /// A varint (up to 10 bytes, as protobuf allows).
    mutating func varint() throws(IPFSError) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<10 {
            guard offset < end else { throw IPFSError("a protobuf varint runs past the end") }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            if byte & 0x80 == 0 { return value }
        }
        throw IPFSError("a protobuf varint is longer than 10 bytes")
    }

    /// The range of a length-delimited field's bytes, moving past them.
    mutating func lengthDelimitedRange() throws(IPFSError) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(end - offset) else { throw IPFSError("a protobuf field runs past the end") }
        let range = offset..<offset + Int(length)
        offset = range.upperBound
        return range
    }

    /// A length-delimited field's bytes.
    mutating func lengthDelimited() throws(IPFSError) -> [UInt8] {
        Array(bytes[try lengthDelimitedRange()])
    }

    /// Skips a field of wire type `wire`.
    mutating func skip(_ wire: WireType) throws(IPFSError) {
        switch wire {
        case .varint: _ = try varint()
        case .lengthDelimited: _ = try lengthDelimitedRange()
        case .fixed64, .fixed32:
            let width = wire == .fixed64 ? 8 : 4
            guard end - offset >= width else { throw IPFSError("a protobuf field runs past the end") }
            offset += width
        }
    }
}
