import AgentCards

/// What the store writes for a valid card besides its bytes: its A2A JSON, and the normalised
/// text of its filter rows (`agent_skill`, `agent_tag`, `agent_mode`, `agent_payment`) and of
/// its full-text row.
///
/// It depends on the card alone, so ``CardVersion`` computes it where the card is decoded: the
/// follower reads a range on its own thread while the store commits the one before, and this
/// work goes with the reading.
///
/// ```swift
/// let rows = CardRows(card)
/// rows.tags        // ["legal", "german"]: normalised, each once, none blank
/// rows.json        // the A2A JSON stored in card_version.card_json
/// ```
public struct CardRows: Sendable, Hashable {
    public struct Skill: Sendable, Hashable {
        public var id: String
        public var name: String
    }

    public struct Payment: Sendable, Hashable {
        public var scheme: String
        public var network: String
        public var asset: String
        public var amount: String
        public var payTo: String
    }

    /// The card's A2A JSON (``AgentCard/a2aJSON()``), serialized.
    public var json: String
    public var skills: [Skill]
    public var tags: [String]
    public var inputModes: [String]
    public var outputModes: [String]
    public var payments: [Payment]
    /// The columns of the full-text row.
    public var text: SearchText.Fields

    public init(_ card: AgentCard) {
        json = card.a2aJSON().serialized()
        skills = card.skills.map { Skill(id: SearchText.normalize($0.id), name: SearchText.normalize($0.name)) }
        tags = Self.distinct(card.skills.flatMap(\.tags))
        inputModes = Self.distinct(card.defaultInputModes + card.skills.flatMap(\.inputModes))
        outputModes = Self.distinct(card.defaultOutputModes + card.skills.flatMap(\.outputModes))
        payments = card.payments.map {
            Payment(scheme: SearchText.normalize($0.scheme), network: SearchText.normalize($0.network),
                    asset: $0.asset.lowercased, amount: $0.amount.description, payTo: $0.payTo.lowercased)
        }
        text = SearchText.fields(of: card)
    }

    /// Each normalised value once, in first-seen order, blanks left out.
    private static func distinct(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.map(SearchText.normalize).filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
