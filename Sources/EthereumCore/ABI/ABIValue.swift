/// A decoded ABI value. Which ``ABIType`` it belongs to is known from context.
///
/// ```swift
/// let v: ABIValue = .tuple([.string("hello"), .array([.uint(UInt256(1)), .uint(UInt256(2))])])
/// ```
public indirect enum ABIValue: Hashable, Sendable {
    case uint(UInt256)
    case int(Int256)
    case address(EthereumAddress)
    case bool(Bool)
    /// `bytes<M>`: exactly M bytes.
    case fixedBytes([UInt8])
    case bytes([UInt8])
    case string(String)
    /// `T[k]` and `T[]`.
    case array([ABIValue])
    case tuple([ABIValue])
}

extension ABIValue {
    /// The elements of a tuple or array; nil for anything else.
    public var elements: [ABIValue]? {
        switch self {
        case .tuple(let v), .array(let v): return v
        default: return nil
        }
    }

    /// The string of a `.string`; nil otherwise.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The bytes of `.bytes` or `.fixedBytes`; nil otherwise.
    public var bytesValue: [UInt8]? {
        switch self {
        case .bytes(let b), .fixedBytes(let b): return b
        default: return nil
        }
    }

    /// The address of an `.address`; nil otherwise.
    public var addressValue: EthereumAddress? {
        if case .address(let a) = self { return a }
        return nil
    }

    /// The integer of a `.uint`; nil otherwise.
    public var uintValue: UInt256? {
        if case .uint(let u) = self { return u }
        return nil
    }

    /// The flag of a `.bool`; nil otherwise.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
}
