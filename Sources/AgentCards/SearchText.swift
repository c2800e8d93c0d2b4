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

    /// The searchable fields of a card, each normalised: name, description, the skills' names,
    /// descriptions, tags and examples, and the provider organization.
    public static func fields(of card: AgentCard) -> (name: String, description: String, skills: String, tags: String, provider: String) {
        (normalize(card.name),
         normalize(card.description),
         normalize(card.skills.flatMap { [$0.id, $0.name, $0.description] + $0.examples }.joined(separator: " ")),
         normalize(card.skills.flatMap(\.tags).joined(separator: " ")),
         normalize(card.provider?.organization ?? ""))
    }
}
