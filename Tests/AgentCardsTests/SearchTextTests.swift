@testable import AgentCards
import Testing
import TestSupport

/// The byte-by-byte ASCII path of `SearchText.normalize` must give exactly what the Unicode path
/// gives: it decides what full-text search and the filters match.
@Suite struct SearchTextTests {
    /// Bytes whose class matters: white space, other controls, the edges of A–Z, DEL, printables.
    static let edges: [UInt8] = [0x00, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x1B, 0x1C, 0x1F, 0x20, 0x21,
                                 0x40, 0x41, 0x4D, 0x5A, 0x5B, 0x60, 0x61, 0x7A, 0x7E, 0x7F]

    static func bothPaths(_ bytes: [UInt8]) -> (ascii: String?, scalars: String) {
        let text = String(decoding: bytes, as: UTF8.self)
        return (bytes.withUnsafeBufferPointer(SearchText.normalizeASCII), SearchText.normalizeScalars(text))
    }

    @Test func everyPairOfASCIIBytesAgrees() {
        for a in UInt8(0)..<0x80 {
            for b in UInt8(0)..<0x80 {
                let (ascii, scalars) = Self.bothPaths([a, b])
                #expect(ascii == scalars, "bytes \(a) \(b)")
            }
        }
    }

    @Test func everyTripleOfEdgeBytesAgrees() {
        for a in Self.edges {
            for b in Self.edges {
                for c in Self.edges {
                    let (ascii, scalars) = Self.bothPaths([c, a, b, c, a])
                    #expect(ascii == scalars, "bytes \(c) \(a) \(b) \(c) \(a)")
                }
            }
        }
    }

    @Test func randomASCIITextAgrees() {
        var random = SplitMix64(seed: 0x5EA2C4)
        for _ in 0..<5_000 {
            let bytes = (0..<Int.random(in: 0...40, using: &random)).map { _ in
                Bool.random(using: &random) ? Self.edges.randomElement(using: &random)! : UInt8.random(in: 0..<0x80, using: &random)
            }
            let (ascii, scalars) = Self.bothPaths(bytes)
            #expect(ascii == scalars, "bytes \(bytes)")
        }
    }

    @Test func nonASCIITextTakesTheUnicodePath() {
        #expect([UInt8]("Café".utf8).withUnsafeBufferPointer(SearchText.normalizeASCII) == nil)
        #expect(SearchText.normalize("  CAFÉ\u{85}Bar\u{A0} ") == "café bar")
        #expect(SearchText.normalize(" Legal\tPDFs\u{7F}\u{1F} ") == "legal pdfs")
    }
}
