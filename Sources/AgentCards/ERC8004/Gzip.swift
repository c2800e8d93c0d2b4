import CZlib

/// gzip decompression with a bound on the output, through the system's zlib.
///
/// The whole input must be one complete gzip member: a truncated stream, a bad checksum or bytes
/// after the end are errors, never a partial result.
///
/// ```swift
/// let json = try Gzip.inflate(payload, maxBytes: 262_144)
/// ```
public enum Gzip {
    /// Why a payload could not be decompressed.
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// The output would exceed `maxBytes`.
        case tooLarge(maxBytes: Int)
        /// Not a complete, valid gzip stream.
        case corrupt(String)

        public var description: String {
            switch self {
            case .tooLarge(let maxBytes): "the gzip payload expands to more than \(maxBytes) bytes"
            case .corrupt(let reason): "the gzip payload is corrupt: \(reason)"
            }
        }
    }

    /// True when `bytes` start with the gzip magic number (1f 8b).
    public static func isCompressed(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        return iterator.next() == 0x1F && iterator.next() == 0x8B
    }

    /// The decompressed bytes of the gzip member `input`, at most `maxBytes` of them.
    public static func inflate(_ input: [UInt8], maxBytes: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard czlib_inflate_init_gzip(&stream) == Z_OK else { throw .corrupt("zlib could not start") }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(0, maxBytes) + 1)   // one byte more detects overflow
        let result: Int32 = input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
                stream.avail_in = UInt32(clamping: inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(clamping: outBuffer.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        let written = Int(stream.total_out)
        switch result {
        case Z_STREAM_END:
            guard written <= maxBytes else { throw .tooLarge(maxBytes: maxBytes) }
            guard stream.avail_in == 0 else { throw .corrupt("\(stream.avail_in) bytes follow the end of the stream") }
            return Array(output[..<written])
        case Z_BUF_ERROR where stream.avail_out == 0, Z_OK where stream.avail_out == 0:
            throw .tooLarge(maxBytes: maxBytes)
        case Z_BUF_ERROR:
            throw .corrupt("the stream is truncated")
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(result)"
            throw .corrupt(message)
        }
    }
}
