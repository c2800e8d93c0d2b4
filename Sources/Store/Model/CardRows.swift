import AgentCards

/// What the store writes for a valid card besides its bytes: its JSON (A2A JSON of a contract
/// agent's card, the canonical registration file of an ERC-8004 agent), and the normalised text
/// of its filter rows (`agent_skill`, `agent_tag`, `agent_mode`, `agent_payment`,
/// `agent_service`) and of its full-text row.
///
/// It depends on the card alone, so ``CardVersion`` (and ``RegistrationVersion``) compute it where
/// the card is decoded: the follower reads a range on its own thread while the store commits the
/// one before, and this work goes with the reading.
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

    /// The card's A2A JSON (``AgentCard/a2aJSON()``) or the registration file's JSON
    /// (``RegistrationFile/json()``), serialized.
    public var json: String
    public var skills: [Skill]
    public var tags: [String]
    public var inputModes: [String]
    public var outputModes: [String]
    public var payments: [Payment]
    /// The services the agent is reached by, normalised (`a2a`, `mcp`, `oasf`…), each once.
    public var services: [String]
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
        services = ["a2a"]   // a card is an A2A agent card
        text = SearchText.fields(of: card)
    }

    /// The rows of an ERC-8004 registration file, and of the A2A card its A2A service names once
    /// the document fetcher has read it: OASF skills and the card's skills as skills, the card's
    /// tags, modes and x402 terms, the services' names (`a2a` too when a card was read).
    public init(registration file: RegistrationFile, card: AgentCard? = nil) {
        json = file.json().serialized()
        var seenSkills = Set<String>()
        skills = (Self.distinct(file.oasfSkills).map { Skill(id: $0, name: $0) }
            + (card?.skills ?? []).map { Skill(id: SearchText.normalize($0.id), name: SearchText.normalize($0.name)) })
            .filter { !$0.id.isEmpty && seenSkills.insert($0.id).inserted }
        tags = Self.distinct(card?.skills.flatMap(\.tags) ?? [])
        inputModes = Self.distinct((card?.defaultInputModes ?? []) + (card?.skills.flatMap(\.inputModes) ?? []))
        outputModes = Self.distinct((card?.defaultOutputModes ?? []) + (card?.skills.flatMap(\.outputModes) ?? []))
        payments = (card?.payments ?? []).map {
            Payment(scheme: SearchText.normalize($0.scheme), network: SearchText.normalize($0.network),
                    asset: $0.asset.lowercased, amount: $0.amount.description, payTo: $0.payTo.lowercased)
        }
        services = Self.distinct(file.services.map(\.name) + (card == nil ? [] : ["a2a"]))
        text = SearchText.fields(of: file, card: card)
    }

    /// Each normalised value once, in first-seen order, blanks left out.
    private static func distinct(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.map(SearchText.normalize).filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
