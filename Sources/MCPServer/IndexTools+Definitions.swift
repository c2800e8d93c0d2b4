import Foundation
import MCP

extension IndexTools {
    /// The tools with their input and output JSON Schemas.
    public static let definitions: [Tool] = [
        Tool(name: "search_agents", title: "Search agents",
             description: "Find agents by text and filters (the same as GET /v1/agents): q (words, each a prefix), skill, tag, inputMode, outputMode, asset + network (one payment term), source, standard, service, x402, chainId, cardSignature, domainVerified, owner, active, minScore, sort, limit, cursor (nextCursor of the previous page). Each agent comes with its reputation score (0..1) and, for text, its rank.",
             inputSchema: schema(#"""
                {"type":"object","additionalProperties":false,"properties":{
                 "q":{"type":"string","minLength":1,"maxLength":128,"description":"Free text; its words must all match (as prefixes)."},
                 "skill":{"type":"string","minLength":1,"maxLength":128,"description":"A skill id or name."},
                 "tag":{"type":"string","minLength":1,"maxLength":128},
                 "inputMode":{"type":"string","minLength":1,"maxLength":128,"description":"A MIME type the agent accepts."},
                 "outputMode":{"type":"string","minLength":1,"maxLength":128},
                 "asset":{"type":"string","pattern":"^(0x[0-9a-fA-F]{40}|native)$","description":"A payment asset (token address) or native."},
                 "network":{"type":"string","minLength":1,"maxLength":128,"description":"With asset: the payment term's network (base, eip155:8453)."},
                 "source":{"enum":["factory","registry","erc8004"]},
                 "standard":{"enum":["agent-contract","erc8004"]},
                 "service":{"type":"string","minLength":1,"maxLength":128,"description":"A2A, MCP, OASF, ENS, … (any case)."},
                 "x402":{"type":"boolean","description":"Agents that accept x402 payments (or not)."},
                 "chainId":{"type":"integer","minimum":0},
                 "cardSignature":{"enum":["valid","invalid","unverifiable","absent"]},
                 "domainVerified":{"type":"boolean"},
                 "owner":{"type":"string","pattern":"^0x[0-9a-fA-F]{40}$"},
                 "active":{"enum":["true","false","any"]},
                 "minScore":{"type":"number","minimum":0,"maximum":1},
                 "sort":{"enum":["relevance","score","recent"]},
                 "limit":{"type":"integer","minimum":1,"maximum":100},
                 "cursor":{"type":"string","pattern":"^[0-9]{1,18}\\.[0-9]{1,18}$"}}}
                """#),
             annotations: .init(readOnlyHint: true, openWorldHint: false),
             outputSchema: schema(#"""
                {"type":"object","required":["agents","nextCursor"],"properties":{
                 "agents":{"type":"array","items":{"type":"object","required":["id","name","score"]}},
                 "nextCursor":{"type":["string","null"]}}}
                """#)),
        Tool(name: "get_agent", title: "Get an agent",
             description: "An agent's full record (GET /v1/agents/{id}): its card or registration file, sources, owner, wallet, documents and their verification, and its reputation.",
             inputSchema: idSchema([:]),
             annotations: .init(readOnlyHint: true, openWorldHint: false),
             outputSchema: schema(#"{"type":"object","required":["id","standard","chainId","sources","reputation"]}"#)),
        Tool(name: "get_card", title: "Get an agent's A2A card",
             description: "The agent's current A2A card: v1.0 by default, 0.3, or dual (v1.0 with the v0.3 fields).",
             inputSchema: idSchema(["a2aVersion": #"{"enum":["1.0","0.3","dual"],"description":"The card version (default 1.0)."}"#]),
             annotations: .init(readOnlyHint: true, openWorldHint: false),
             outputSchema: schema(#"{"type":"object","required":["name","description","version","capabilities","skills"]}"#)),
        Tool(name: "get_reputation", title: "Get an agent's reputation",
             description: "The agent's reputation from the payments it received (rep-v2): metrics, score and components, at a block (default: the indexed block).",
             inputSchema: idSchema(["atBlock": #"{"type":"integer","minimum":0}"#]),
             annotations: .init(readOnlyHint: true, openWorldHint: false),
             outputSchema: schema(#"{"type":"object","required":["agent","formula","atBlock","score","components","metrics"]}"#)),
        Tool(name: "get_feedback", title: "Get an agent's feedback",
             description: "An ERC-8004 agent's feedback, newest first: value, tags, client, whether the client paid first (verified), revocation, responses.",
             inputSchema: idSchema(["limit": #"{"type":"integer","minimum":1,"maximum":100}"#,
                                    "cursor": #"{"type":"string","pattern":"^[0-9]{1,18}\\.[0-9]{1,18}$"}"#]),
             annotations: .init(readOnlyHint: true, openWorldHint: false),
             outputSchema: schema(#"{"type":"object","required":["feedback","nextCursor"],"properties":{"feedback":{"type":"array"},"nextCursor":{"type":["string","null"]}}}"#)),
    ]

    static func schema(_ json: String) -> Value {
        // The schemas are written here: one that does not parse is a programming error.
        try! JSONDecoder().decode(Value.self, from: Data(json.utf8))
    }

    /// An object schema with a required agent `id` and `more` optional properties.
    static func idSchema(_ more: [String: String]) -> Value {
        let id = #""id":{"type":"string","description":"An agent id: eip155:<chainId>:<address> or eip155:<chainId>/erc721:<registry>/<agentId>."}"#
        let others = more.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }
        return schema(#"{"type":"object","additionalProperties":false,"required":["id"],"properties":{"# + ([id] + others).joined(separator: ",") + "}}")
    }
}
