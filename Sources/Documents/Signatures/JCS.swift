import EthereumCore

/// The JSON Canonicalization Scheme (RFC 8785): the one byte form of a JSON value that A2A card
/// signatures are computed over.
///
/// Object members sorted by their names' UTF-16 code units, no whitespace, strings with only the
/// escapes JSON requires (`\b \t \n \f \r \" \\` and `\u00xx` for other controls), numbers as
/// ECMAScript writes IEEE-754 doubles (`1e+21`, `0.000001`, `1e-7`, `-0` as `0`).
///
/// ```swift
/// try JCS.canonical(JSONValue(parsing: #"{"b":2,"a":[1.50,"é"]}"#))   // {"a":[1.5,"é"],"b":2}
/// ```
public enum JCS {
    /// Why a value has no canonical form.
    public struct Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The canonical UTF-8 bytes of `value`.
    /// - Throws: ``Invalid`` for a duplicate member name or a number that is not a finite double.
    public static func canonical(_ value: JSONValue) throws(Invalid) -> [UInt8] {
        var out = ""
        try write(value, to: &out)
        return Array(out.utf8)
    }

    private static func write(_ value: JSONValue, to out: inout String) throws(Invalid) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let text): out += try number(text)
        case .string(let text): string(text, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                try write(item, to: &out)
            }
            out += "]"
        case .object(let members):
            let sorted = members.sorted { Array($0.0.utf16).lexicographicallyPrecedes(Array($1.0.utf16)) }
            out += "{"
            for (index, member) in sorted.enumerated() {
                if index > 0 {
                    guard member.0 != sorted[index - 1].0 else { throw Invalid(description: "duplicate member '\(member.0.prefix(64))'") }
                    out += ","
                }
                string(member.0, to: &out)
                out += ":"
                try write(member.1, to: &out)
            }
            out += "}"
        }
    }

    private static func string(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{09}": out += "\\t"
            case "\u{0A}": out += "\\n"
            case "\u{0C}": out += "\\f"
            case "\u{0D}": out += "\\r"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// ECMAScript's Number::toString of the double nearest to the JSON number `text`.
    static func number(_ text: String) throws(Invalid) -> String {
        guard let value = Double(text), value.isFinite else {
            throw Invalid(description: "the number \(text.prefix(40)) is not a finite IEEE-754 double")
        }
        return ecmaScript(value)
    }

    /// ECMAScript's Number::toString (ECMA-262 §6.1.6.1.20) from Swift's shortest round-trip digits.
    static func ecmaScript(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value < 0 { return "-" + ecmaScript(-value) }
        // Swift's description holds the shortest digits that round-trip; read them and the exponent.
        let text = value.description
        let parts = text.split(separator: "e", maxSplits: 1)
        var exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0]
        let dot = mantissa.firstIndex(of: ".")
        let integerDigits = dot.map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        var digits = Array(mantissa.filter { $0 != "." })
        // value = 0.d1d2d3… × 10^(integerDigits + exponent); strip leading and trailing zeros.
        exponent += integerDigits
        while digits.first == "0" { digits.removeFirst(); exponent -= 1 }
        while digits.last == "0" { digits.removeLast() }
        let k = digits.count, n = exponent
        let s = String(digits)
        if k <= n && n <= 21 { return s + String(repeating: "0", count: n - k) }
        if 0 < n && n <= 21 { return String(digits[..<n]) + "." + String(digits[n...]) }
        if -6 < n && n <= 0 { return "0." + String(repeating: "0", count: -n) + s }
        let e = n - 1
        let exponentText = (e < 0 ? "-" : "+") + String(abs(e))
        if k == 1 { return s + "e" + exponentText }
        return String(digits[0]) + "." + String(digits[1...]) + "e" + exponentText
    }
}
