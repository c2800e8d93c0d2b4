/// A Solidity ABI type: every type the contract ABI specification defines except fixed-point.
///
/// Parse canonical type strings with ``init(_:)``; `uint`/`int` are read as `uint256`/`int256`.
///
/// ```swift
/// let t = try ABIType("(string,uint256[])")
/// t.canonical    // "(string,uint256[])"
/// t.isDynamic    // true
/// ```
public indirect enum ABIType: Hashable, Sendable, CustomStringConvertible {
    /// `uint<M>`, M in 8...256, a multiple of 8.
    case uint(Int)
    /// `int<M>`, M in 8...256, a multiple of 8.
    case int(Int)
    case address
    case bool
    /// `bytes<M>`, M in 1...32.
    case fixedBytes(Int)
    case bytes
    case string
    /// `T[k]` when the length is given, `T[]` when nil.
    case array(ABIType, Int?)
    /// `(T1,T2,…)`.
    case tuple([ABIType])

    /// The canonical form used in signatures.
    public var canonical: String {
        switch self {
        case .uint(let m): return "uint\(m)"
        case .int(let m): return "int\(m)"
        case .address: return "address"
        case .bool: return "bool"
        case .fixedBytes(let m): return "bytes\(m)"
        case .bytes: return "bytes"
        case .string: return "string"
        case .array(let t, let k): return t.canonical + (k.map { "[\($0)]" } ?? "[]")
        case .tuple(let ts): return "(" + ts.map(\.canonical).joined(separator: ",") + ")"
        }
    }

    public var description: String { canonical }

    /// Whether the encoding has a tail (`bytes`, `string`, `T[]`, or containing one).
    public var isDynamic: Bool {
        switch self {
        case .bytes, .string, .array(_, nil): return true
        case .array(let t, _): return t.isDynamic
        case .tuple(let ts): return ts.contains { $0.isDynamic }
        default: return false
        }
    }

    /// The bytes this type takes in its enclosing head: 32 for dynamic types, else its full static size.
    public var headSize: Int {
        if isDynamic { return 32 }
        switch self {
        case .array(let t, let k?): return t.headSize * k
        case .tuple(let ts): return ts.reduce(0) { $0 + $1.headSize }
        default: return 32
        }
    }

    /// Parses a canonical type string such as `uint256`, `bytes32[2][]` or `(address,(bool,string)[])`.
    /// - Throws: ``ABITypeError`` naming the problem.
    public init(_ text: String) throws(ABITypeError) {
        var parser = ABITypeParser(text: Array(text.utf8))
        self = try parser.parseComplete()
    }
}

/// Why a type string is not an ABI type.
public struct ABITypeError: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "invalid ABI type: \(reason)" }
}

/// Recursive-descent parser for canonical type strings.
struct ABITypeParser {
    let text: [UInt8]
    var i = 0
    var depth = 0
    static let maxDepth = 32

    mutating func parseComplete() throws(ABITypeError) -> ABIType {
        let t = try parseType()
        guard i == text.count else { throw ABITypeError("unexpected text at position \(i) in '\(String(decoding: text, as: UTF8.self))'") }
        return t
    }

    mutating func parseType() throws(ABITypeError) -> ABIType {
        depth += 1
        defer { depth -= 1 }
        guard depth <= ABITypeParser.maxDepth else { throw ABITypeError("nesting deeper than \(ABITypeParser.maxDepth)") }
        var base: ABIType
        if i < text.count, text[i] == UInt8(ascii: "(") {
            i += 1
            var members: [ABIType] = []
            if i < text.count, text[i] == UInt8(ascii: ")") {
                i += 1
            } else {
                while true {
                    members.append(try parseType())
                    guard i < text.count else { throw ABITypeError("unterminated tuple") }
                    if text[i] == UInt8(ascii: ",") { i += 1; continue }
                    if text[i] == UInt8(ascii: ")") { i += 1; break }
                    throw ABITypeError("expected ',' or ')' at position \(i)")
                }
            }
            base = .tuple(members)
        } else {
            let start = i
            while i < text.count, isNameCharacter(text[i]) { i += 1 }
            base = try ABIType.elementary(String(decoding: text[start..<i], as: UTF8.self))
        }
        while i < text.count, text[i] == UInt8(ascii: "[") {
            i += 1
            let start = i
            while i < text.count, text[i] >= UInt8(ascii: "0"), text[i] <= UInt8(ascii: "9") { i += 1 }
            let digits = String(decoding: text[start..<i], as: UTF8.self)
            guard i < text.count, text[i] == UInt8(ascii: "]") else { throw ABITypeError("expected ']' at position \(i)") }
            i += 1
            if digits.isEmpty {
                base = .array(base, nil)
            } else {
                guard let k = Int(digits), k > 0, k <= 1_000_000, !(digits.count > 1 && digits.hasPrefix("0")) else {
                    throw ABITypeError("invalid array length '\(digits)'")
                }
                base = .array(base, k)
            }
        }
        return base
    }

    func isNameCharacter(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }
}

extension ABIType {
    /// An elementary (non-composite) type from its name.
    static func elementary(_ name: String) throws(ABITypeError) -> ABIType {
        switch name {
        case "address": return .address
        case "bool": return .bool
        case "string": return .string
        case "bytes": return .bytes
        case "uint": return .uint(256)
        case "int": return .int(256)
        case "function": return .fixedBytes(24)
        case "": throw ABITypeError("missing type name")
        default: break
        }
        func size(after prefix: String) -> Int? {
            guard name.hasPrefix(prefix) else { return nil }
            let digits = name.dropFirst(prefix.count)
            guard !digits.isEmpty, !digits.hasPrefix("0"), let n = Int(digits) else { return nil }
            return n
        }
        if let m = size(after: "uint"), m % 8 == 0, (8...256).contains(m) { return .uint(m) }
        if let m = size(after: "int"), m % 8 == 0, (8...256).contains(m) { return .int(m) }
        if let m = size(after: "bytes"), (1...32).contains(m) { return .fixedBytes(m) }
        throw ABITypeError("unknown type '\(name)'")
    }

    /// Parses a comma-separated parameter list such as `address,uint256` (the inside of a signature).
    public static func list(_ text: String) throws(ABITypeError) -> [ABIType] {
        guard case .tuple(let ts) = try ABIType("(" + text + ")") else { throw ABITypeError("not a list") }
        return ts
    }
}
