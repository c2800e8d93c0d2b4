/// A contract's interface read from a Solidity JSON ABI file (the format solc and Vyper emit).
///
/// ```swift
/// let abi = try ContractABI(json: text)
/// let transfer = abi.events["Transfer"]!
/// transfer.signature   // "Transfer(address,address,uint256)"
/// ```
public struct ContractABI: Sendable {
    public let functions: [String: ABIFunction]
    public let events: [String: ABIEvent]

    /// Parses the JSON array of entries. Overloaded names keep the first entry; look such
    /// functions up by signature in ``allFunctions``.
    public init(json text: String) throws(ContractABIError) {
        let document: JSONValue
        do { document = try JSONValue(parsing: text) } catch { throw ContractABIError(error.description) }
        guard let entries = document.arrayValue else { throw ContractABIError("an ABI is a JSON array") }
        var functions: [ABIFunction] = []
        var events: [ABIEvent] = []
        for (index, entry) in entries.enumerated() {
            guard let kind = entry["type"]?.stringValue ?? (entry["name"] != nil ? "function" : nil) else {
                throw ContractABIError("entry \(index) has no type")
            }
            switch kind {
            case "function":
                functions.append(ABIFunction(
                    name: try Self.name(entry, index),
                    inputs: try Self.parameters(entry["inputs"], "entry \(index) inputs"),
                    outputs: try Self.parameters(entry["outputs"], "entry \(index) outputs"),
                    stateMutability: entry["stateMutability"]?.stringValue ?? "nonpayable"))
            case "event":
                events.append(ABIEvent(
                    name: try Self.name(entry, index),
                    inputs: try Self.parameters(entry["inputs"], "entry \(index) inputs"),
                    anonymous: entry["anonymous"] == .bool(true)))
            default:
                continue  // constructor, fallback, receive, error
            }
        }
        self.allFunctions = functions
        self.allEvents = events
        self.functions = Dictionary(functions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.events = Dictionary(events.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every function, in file order.
    public let allFunctions: [ABIFunction]
    /// Every event, in file order.
    public let allEvents: [ABIEvent]

    static func name(_ entry: JSONValue, _ index: Int) throws(ContractABIError) -> String {
        guard let name = entry["name"]?.stringValue, !name.isEmpty else { throw ContractABIError("entry \(index) has no name") }
        return name
    }

    static func parameters(_ json: JSONValue?, _ context: String) throws(ContractABIError) -> [ABIParameter] {
        guard let json else { return [] }
        guard let items = json.arrayValue else { throw ContractABIError("\(context) is not an array") }
        var out: [ABIParameter] = []
        for (i, item) in items.enumerated() { out.append(try ABIParameter(json: item, context: "\(context)[\(i)]")) }
        return out
    }
}

/// Why an ABI file could not be read.
public struct ContractABIError: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "invalid contract ABI: \(reason)" }
}

/// A named, typed parameter of a function or event.
public struct ABIParameter: Hashable, Sendable {
    public let name: String
    public let type: ABIType
    /// For tuple types (or arrays of them), the members with their names.
    public let components: [ABIParameter]
    /// Whether an event parameter is indexed (a topic).
    public let indexed: Bool

    public init(name: String, type: ABIType, components: [ABIParameter] = [], indexed: Bool = false) {
        self.name = name
        self.type = type
        self.components = components
        self.indexed = indexed
    }

    init(json: JSONValue, context: String) throws(ContractABIError) {
        guard let typeText = json["type"]?.stringValue else { throw ContractABIError("\(context) has no type") }
        let components = try ContractABI.parameters(json["components"], "\(context).components")
        let type: ABIType
        do {
            if typeText.hasPrefix("tuple") {
                let suffix = String(typeText.dropFirst("tuple".count))
                let tupleText = "(" + components.map(\.type.canonical).joined(separator: ",") + ")"
                type = try ABIType(tupleText + suffix)
            } else {
                type = try ABIType(typeText)
            }
        } catch {
            throw ContractABIError("\(context): \(error.reason)")
        }
        self.init(name: json["name"]?.stringValue ?? "", type: type, components: components,
                  indexed: json["indexed"] == .bool(true))
    }
}

/// A function: its canonical signature and 4-byte selector.
public struct ABIFunction: Hashable, Sendable {
    public let name: String
    public let inputs: [ABIParameter]
    public let outputs: [ABIParameter]
    public let stateMutability: String

    public init(name: String, inputs: [ABIParameter], outputs: [ABIParameter], stateMutability: String = "nonpayable") {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.stateMutability = stateMutability
    }

    /// `name(type1,type2)`.
    public var signature: String { name + "(" + inputs.map(\.type.canonical).joined(separator: ",") + ")" }

    /// The first four bytes of keccak-256 of the signature.
    public var selector: [UInt8] { ABISignature.selector(signature) }

    /// Call data: selector + encoded arguments.
    public func encodeCall(_ arguments: [ABIValue]) throws(ABIError) -> [UInt8] {
        selector + (try ABIEncoder.encode(arguments, as: inputs.map(\.type)))
    }

    /// Decodes the return data.
    public func decodeOutput(_ data: [UInt8], limits: ABIDecoder.Limits = .default) throws(ABIError) -> [ABIValue] {
        try ABIDecoder.decode(outputs.map(\.type), from: data, limits: limits)
    }
}

/// Signature hashing helpers.
public enum ABISignature {
    /// The 4-byte selector of a function signature such as `transfer(address,uint256)`.
    public static func selector(_ signature: String) -> [UInt8] { Array(Keccak256.hash(signature).prefix(4)) }

    /// The 32-byte topic0 of an event signature such as `Transfer(address,address,uint256)`.
    public static func topic(_ signature: String) -> [UInt8] { Keccak256.hash(signature) }

    /// Normalises a human-written signature (`transfer(address to, uint amount)`) to canonical form.
    public static func canonical(_ signature: String) throws(ABITypeError) -> String {
        guard let open = signature.firstIndex(of: "("), signature.hasSuffix(")") else {
            throw ABITypeError("a signature looks like name(type1,type2)")
        }
        let name = signature[..<open].trimmingSpaces
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }) else {
            throw ABITypeError("invalid name '\(name)'")
        }
        let inner = String(signature[signature.index(after: open)..<signature.index(before: signature.endIndex)])
        let parameters = try splitTopLevel(inner).map { (part) throws(ABITypeError) -> String in
            let words = part.split(separator: " ").filter { !["indexed", "memory", "calldata", "storage"].contains($0) }
            guard let typeWord = words.first else { throw ABITypeError("empty parameter") }
            return try ABIType(String(typeWord)).canonical
        }
        return name + "(" + parameters.joined(separator: ",") + ")"
    }

    /// Splits on commas outside parentheses; an empty string gives no parts.
    static func splitTopLevel(_ text: String) -> [String] {
        if text.trimmingSpaces.isEmpty { return [] }
        var parts: [String] = []
        var depth = 0
        var current = ""
        for ch in text {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if ch == "," && depth == 0 { parts.append(current.trimmingSpaces); current = ""; continue }
            current.append(ch)
        }
        parts.append(current.trimmingSpaces)
        return parts
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
