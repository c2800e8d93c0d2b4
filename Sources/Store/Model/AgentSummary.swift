import AgentCards
import EthereumCore

/// The short form of an agent that search results list, rendered once when the agent's state
/// changes and stored, so a search only reads it.
///
/// ```json
/// {"id":"eip155:31337:0x…","name":"LexTranslate","description":"…","url":"…","version":"1.0.0",
///  "skills":[{"id":"translate-legal","name":"Legal translation","tags":["translation"]}],
///  "inputModes":["application/pdf"],"outputModes":["application/pdf"],
///  "payments":[{"scheme":"exact","network":"base","asset":"0x…","amount":"2500000","payTo":"0x…"}],
///  "sources":[{"kind":"factory","address":"0x…","status":"created"}],"owner":"0x…","active":true}
/// ```
enum AgentSummary {
    static func json(id: AgentID, card: AgentCard, owner: String?, active: Bool, sources: [SourceMembership]) -> String {
        let skills: [JSONValue] = card.skills.map {
            .object([("id", .string($0.id)), ("name", .string($0.name)), ("tags", .array($0.tags.map(JSONValue.string)))])
        }
        let object: JSONValue = .object([
            ("id", .string(id.description)),
            ("name", .string(card.name)),
            ("description", .string(card.description)),
            ("url", .string(card.url)),
            ("version", .string(card.version)),
            ("skills", .array(skills)),
            ("inputModes", .array(card.defaultInputModes.map(JSONValue.string))),
            ("outputModes", .array(card.defaultOutputModes.map(JSONValue.string))),
            ("payments", .array(card.payments.map(\.json))),
            ("sources", .array(sources.map(\.summaryJSON))),
            ("owner", owner.map { .string(AgentRecordSQL.checksummed($0)) } ?? .null),
            ("active", .bool(active)),
        ])
        return object.serialized()
    }
}

extension SourceMembership {
    var summaryJSON: JSONValue {
        .object([
            ("kind", .string(kind.rawValue)),
            ("address", .string(AgentRecordSQL.checksummed(source))),
            ("status", .string(status.rawValue)),
        ])
    }
}
