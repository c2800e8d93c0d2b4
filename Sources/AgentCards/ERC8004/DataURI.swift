import EthereumCore
import Foundation

/// Reads the JSON document a `data:` URI carries (RFC 2397), as ERC-8004 agents publish fully
/// on-chain registration files: `data:application/json;base64,eyJ0eXBl…`.
///
/// - The media type must be `application/json` or `application/*+json`, with or without
///   parameters; a `charset` other than UTF-8 (or US-ASCII) is refused.
/// - The payload is base64 (standard or URL-safe alphabet, padding optional) or percent-encoded.
/// - A payload that starts with the gzip magic number is decompressed, to at most
///   ``RegistrationLimits/maxDocumentBytes`` and at most ``RegistrationLimits/maxCompressionRatio``
///   times its compressed size.
///
/// ```swift
/// let bytes = try DataURI.json("data:application/json;base64,eyJuYW1lIjoiUXVpbGwifQ==")
/// String(decoding: bytes, as: UTF8.self)   // {"name":"Quill"}
/// ```
public enum DataURI {
    /// Whether `uri` uses the `data:` scheme (in any case).
    public static func isDataURI(_ uri: String) -> Bool {
        uri.utf8.count >= 5 && uri.utf8.prefix(5).map { $0 | 0x20 }.elementsEqual("data:".utf8)
    }

    /// The document bytes of a `data:` URI that carries JSON.
    /// - Throws: ``RegistrationError`` saying what is wrong with the URI.
    public static func json(_ uri: String, limits: RegistrationLimits = .default) throws(RegistrationError) -> [UInt8] {
        guard isDataURI(uri) else { throw RegistrationError("not a data: URI") }
        guard uri.utf8.count <= limits.maxURIBytes else {
            throw RegistrationError("the data: URI is \(uri.utf8.count) bytes, more than the limit of \(limits.maxURIBytes)")
        }
        let rest = Array(uri.utf8.dropFirst(5))
        guard let comma = rest.firstIndex(of: UInt8(ascii: ",")) else { throw RegistrationError("the data: URI has no ','") }
        let parameters = String(decoding: rest[..<comma], as: UTF8.self).split(separator: ";", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let mediaType = parameters[0].lowercased()
        guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) else {
            throw RegistrationError("the data: URI's media type '\(mediaType)' is not application/json")
        }
        var isBase64 = false
        for parameter in parameters.dropFirst() {
            let lowered = parameter.lowercased()
            if lowered == "base64" { isBase64 = true; continue }
            if lowered.hasPrefix("charset=") {
                let charset = lowered.dropFirst(8).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                guard ["utf-8", "utf8", "us-ascii"].contains(charset) else {
                    throw RegistrationError("the data: URI's charset '\(charset)' is not UTF-8")
                }
            }
        }
        var payload = try percentDecoded(rest[(comma + 1)...])
        if isBase64 { payload = try base64Decoded(payload) }
        guard payload.count <= limits.maxDocumentBytes else {
            throw RegistrationError("the data: URI's payload is \(payload.count) bytes, more than the limit of \(limits.maxDocumentBytes)")
        }
        guard Gzip.isCompressed(payload) else { return payload }
        let (scaled, overflow) = payload.count.multipliedReportingOverflow(by: limits.maxCompressionRatio)
        let cap = min(limits.maxDocumentBytes, overflow ? Int.max : scaled)
        do {
            return try Gzip.inflate(payload, maxBytes: cap)
        } catch .tooLarge {
            throw RegistrationError("the gzip payload expands to more than \(cap) bytes (at most \(limits.maxDocumentBytes) bytes and \(limits.maxCompressionRatio) times its compressed size)")
        } catch {
            throw RegistrationError(error.description)
        }
    }

    /// `%XX` escapes replaced by their bytes; any other byte kept.
    static func percentDecoded(_ bytes: ArraySlice<UInt8>) throws(RegistrationError) -> [UInt8] {
        guard bytes.contains(UInt8(ascii: "%")) else { return Array(bytes) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex, let high = Hex.nibble(bytes[index + 1]), let low = Hex.nibble(bytes[index + 2]) else {
                    throw RegistrationError("the data: URI has a bad %-escape at byte \(index - bytes.startIndex)")
                }
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    /// Base64 in either alphabet, padding optional, ASCII white space ignored.
    static func base64Decoded(_ bytes: [UInt8]) throws(RegistrationError) -> [UInt8] {
        var text = [UInt8]()
        text.reserveCapacity(bytes.count + 3)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "-"): text.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): text.append(UInt8(ascii: "/"))
            case 0x09, 0x0A, 0x0D, 0x20: continue
            default: text.append(byte)
            }
        }
        while text.count % 4 != 0 { text.append(UInt8(ascii: "=")) }
        guard let data = Data(base64Encoded: Data(text)) else { throw RegistrationError("the data: URI's payload is not valid base64") }
        return [UInt8](data)
    }
}
