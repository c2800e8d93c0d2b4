/// Why ABI data could not be decoded or a value could not be encoded.
///
/// Every reason names the byte offset or value involved, so a hostile card's record says
/// exactly what was wrong with it.
public enum ABIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Reading `length` bytes at `offset` would pass the end of the data (`size`).
    case outOfBounds(offset: Int, length: Int, size: Int)
    /// An offset or length word does not fit in the data.
    case invalidOffset(offset: Int, value: String)
    /// A length word is larger than the data could hold.
    case absurdLength(offset: Int, length: String)
    /// Padding bytes after `bytes`/`string`/`bytesN` content are not zero.
    case nonZeroPadding(offset: Int)
    /// High bits of an `address`, `bool`, `uintM` or `intM` word are not clean.
    case dirtyHighBits(offset: Int, type: String)
    /// A `string` is not valid UTF-8.
    case invalidUTF8(offset: Int)
    /// The decoded output would exceed the budget (offsets pointing back to shared data).
    case budgetExceeded(limit: Int)
    /// Nesting deeper than allowed.
    case tooDeep(limit: Int)
    /// A value does not match the type it is encoded as.
    case typeMismatch(expected: String, got: String)
    /// A log's topics do not match the event.
    case topicMismatch(String)

    public var description: String {
        switch self {
        case let .outOfBounds(o, l, s): return "read of \(l) bytes at offset \(o) passes the end of the data (\(s) bytes)"
        case let .invalidOffset(o, v): return "offset word at \(o) points outside the data (\(v))"
        case let .absurdLength(o, l): return "length word at \(o) is larger than the data can hold (\(l))"
        case let .nonZeroPadding(o): return "non-zero padding at offset \(o)"
        case let .dirtyHighBits(o, t): return "dirty high bits in \(t) word at offset \(o)"
        case let .invalidUTF8(o): return "string at offset \(o) is not valid UTF-8"
        case let .budgetExceeded(l): return "decoded output exceeds the budget of \(l) bytes (overlapping offsets)"
        case let .tooDeep(l): return "nesting deeper than \(l)"
        case let .typeMismatch(e, g): return "expected \(e), got \(g)"
        case let .topicMismatch(r): return "log does not match the event: \(r)"
        }
    }
}
