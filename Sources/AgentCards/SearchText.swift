/// The normalised text of a card that full-text search indexes. Display keeps the original.
///
/// Normalisation: lowercased, control and format characters dropped (a hostile card cannot hide
/// text from display while it stays searchable), runs of white space collapsed to one space,
/// trimmed. Diacritics are left to the full-text tokenizer.
///
/// ```swift
/// SearchText.normalize("  Legal\u{0}  PDFs\n→ German ")   // "legal pdfs → german"
/// ```
public enum SearchText {
    /// Lowercases, drops control and format characters, collapses white space.
    public static func normalize(_ text: String) -> String {
        var text = text
        return text.withUTF8(normalizeASCII) ?? normalizeScalars(text)
    }

    /// ``normalize(_:)`` of text that is all ASCII (most cards), byte by byte; nil otherwise.
    /// The same result as ``normalizeScalars(_:)``: ASCII white space is U+0009…U+000D and
    /// U+0020, its other controls are U+0000…U+001F and U+007F.
    static func normalizeASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        return String(unsafeUninitializedCapacity: bytes.count) { out in
            var count = 0
            var pendingSpace = false
            for byte in bytes {
                switch byte {
                case 0x09...0x0D, 0x20:
                    pendingSpace = count > 0
                    continue
                case 0x00...0x1F, 0x7F:
                    continue
                default:
                    break
                }
                if pendingSpace {
                    out[count] = 0x20
                    count += 1
                    pendingSpace = false
                }
                out[count] = (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
                count += 1
            }
            return count
        }
    }

    /// ``normalize(_:)`` by Unicode scalar properties: any text.
    static func normalizeScalars(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            switch scalar.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse, .unassigned: continue
            default: break
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(scalar)
        }
        return String(out)
    }

    /// The searchable fields of a card, each normalised: the columns of its full-text row.
    public struct Fields: Sendable, Hashable {
        public var name: String
        /// The description.
        public var description: String
        /// The skills' ids, names, descriptions and examples.
        public var skills: String
        /// The skills' tags.
        public var tags: String
        /// The provider organization.
        public var provider: String
    }

    /// The searchable fields of a card (``Fields``), each normalised.
    public static func fields(of card: AgentCard) -> Fields {
        Fields(name: normalize(card.name),
               description: normalize(card.description),
               skills: normalize(card.skills.flatMap { [$0.id, $0.name, $0.description] + $0.examples }.joined(separator: " ")),
               tags: normalize(card.skills.flatMap(\.tags).joined(separator: " ")),
               provider: normalize(card.provider?.organization ?? ""))
    }

    /// The searchable fields of an ERC-8004 registration file: its name and description; the
    /// services' names, ENS names and OASF skills as the skills column; OASF domains as tags; and,
    /// with the A2A card the file names, the card's fields added to each column.
    public static func fields(of file: RegistrationFile, card: AgentCard? = nil) -> Fields {
        guard let card else { return fields(of: file) }
        let own = fields(of: file), read = fields(of: card)
        func both(_ a: String, _ b: String) -> String { a == b || b.isEmpty ? a : a.isEmpty ? b : a + " " + b }
        return Fields(name: both(own.name, read.name), description: both(own.description, read.description),
                      skills: both(own.skills, read.skills), tags: both(own.tags, read.tags), provider: read.provider)
    }

    /// The searchable fields of an ERC-8004 registration file alone.
    public static func fields(of file: RegistrationFile) -> Fields {
        let services = file.services.flatMap { service in
            [service.name] + (service.name.lowercased() == "ens" ? [service.endpoint] : []) + service.skills
        }
        return Fields(name: normalize(file.name),
                      description: normalize(file.description),
                      skills: normalize(services.joined(separator: " ")),
                      tags: normalize(file.services.flatMap(\.domains).joined(separator: " ")),
                      provider: "")
    }
}
