/// The project-wide JSON convention for ABI values: integers as decimal strings, `address` as
/// EIP-55, `bytes`/`bytesN` as lowercase `0x` hex, `bool` and `string` as themselves, arrays and
/// tuples as JSON arrays.
///
/// ```swift
/// ABIValue.uint(UInt256(5)).json                                  // .string("5")
/// try ABIValue(json: .string("0x01"), as: .fixedBytes(1))          // .fixedBytes([1])
/// ```
extension ABIValue {
    /// The value in the JSON convention.
    public var json: JSONValue {
        switch self {
        case .uint(let v): return .string(v.description)
        case .int(let v): return .string(v.description)
        case .address(let a): return .string(a.checksummed)
        case .bool(let b): return .bool(b)
        case .fixedBytes(let b), .bytes(let b): return .string(Hex.encode(b))
        case .string(let s): return .string(s)
        case .array(let items), .tuple(let items): return .array(items.map(\.json))
        }
    }

    /// Reads a value of `type` from JSON. Integers may also be given as `0x` hex strings or plain
    /// JSON integer literals; addresses in any valid case.
    public init(json: JSONValue, as type: ABIType) throws(ABIError) {
        func mismatch() -> ABIError { .typeMismatch(expected: type.canonical, got: json.serialized()) }
        switch (type, json) {
        case let (.uint(m), .string(text)), let (.uint(m), .number(text)):
            guard let v = text.hasPrefix("0x") ? UInt256(hex: text) : UInt256(decimal: text), v.bitWidth <= m else { throw mismatch() }
            self = .uint(v)
        case let (.int(m), .string(text)), let (.int(m), .number(text)):
            guard let v = Int256(decimal: text), v.fits(bits: m) else { throw mismatch() }
            self = .int(v)
        case let (.address, .string(text)):
            guard let a = try? EthereumAddress(text) else { throw mismatch() }
            self = .address(a)
        case let (.bool, .bool(b)):
            self = .bool(b)
        case let (.fixedBytes(m), .string(text)):
            guard let b = try? Hex.decode(text), b.count == m else { throw mismatch() }
            self = .fixedBytes(b)
        case let (.bytes, .string(text)):
            guard let b = try? Hex.decode(text) else { throw mismatch() }
            self = .bytes(b)
        case let (.string, .string(s)):
            self = .string(s)
        case let (.array(element, fixed), .array(items)):
            if let k = fixed, items.count != k { throw mismatch() }
            var values: [ABIValue] = []
            for item in items { values.append(try ABIValue(json: item, as: element)) }
            self = .array(values)
        case let (.tuple(members), .array(items)):
            guard members.count == items.count else { throw mismatch() }
            var values: [ABIValue] = []
            for (member, item) in zip(members, items) { values.append(try ABIValue(json: item, as: member)) }
            self = .tuple(values)
        default:
            throw mismatch()
        }
    }
}
