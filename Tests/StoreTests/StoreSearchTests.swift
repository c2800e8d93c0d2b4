import AgentCards
import EthereumCore
import Testing
@testable import Store

@Suite("Store: search")
struct StoreSearchTests {
    @Test("user text never reaches FTS5 as syntax")
    func matchExpressionNeutralisesSyntax() throws {
        #expect(AgentQuery.matchExpression("legal German") == #""legal"* "german"*"#)
        #expect(AgentQuery.matchExpression(#"a" OR b) NEAR(c*"#) == #""a"* "or"* "b"* "near"* "c"*"#)
        #expect(AgentQuery.matchExpression(#"" ( ) * : ^"#) == nil)

        let fixture = try StoreFixture()
        try fixture.createAgent(1, StoreFixture.card(name: "Alpha"))
        for hostile in [#"""#, "(", "NEAR(", "alpha AND", "*", "alpha:", "^alpha", "a\u{0}b"] {
            _ = try fixture.store.search(AgentQuery(text: hostile))   // never an SQLite error
        }
        #expect(try fixture.store.search(AgentQuery(text: "(((")).agents.isEmpty, "text with no words matches nothing")
    }

    @Test("a name match outranks a description match")
    func nameOutranksDescription() throws {
        let fixture = try StoreFixture()
        try fixture.createAgent(1, StoreFixture.card(name: "Generalist", description: "Also does translation of menus."))
        try fixture.createAgent(2, StoreFixture.card(name: "Translation Hub", description: "Documents in many languages."))
        #expect(try fixture.names(AgentQuery(text: "translation")) == ["Translation Hub", "Generalist"])
    }

    @Test("filters: tag, active, source, owner; text is normalised")
    func filters() throws {
        let fixture = try StoreFixture()
        try fixture.createAgent(1, StoreFixture.card(name: "Weather", tags: ["Forecast"]))
        try fixture.createAgent(2, StoreFixture.card(name: "Sleeper", tags: ["forecast"]))
        try fixture.block([(StoreFixture.address(2), StoreFixture.address(2), .activeChanged(false))])

        var query = AgentQuery()
        query.tag = "FORECAST"
        #expect(try fixture.names(query) == ["Weather"])
        query.active = .any
        #expect(try fixture.names(query) == ["Weather", "Sleeper"])
        query.active = .inactive
        #expect(try fixture.names(query) == ["Sleeper"])

        var bySource = AgentQuery()
        bySource.source = .registry
        #expect(try fixture.names(bySource).isEmpty)
        bySource.source = .factory
        bySource.owner = fixture.owner
        #expect(try fixture.names(bySource) == ["Weather"])
        #expect(try fixture.names(AgentQuery(text: "WEATHER")) == ["Weather"])
    }

    @Test("pages: every agent exactly once, stable when agents are added between pages")
    func paging() throws {
        let fixture = try StoreFixture()
        for n in 1...7 { try fixture.createAgent(n, StoreFixture.card(name: "Agent \(n)", description: "translation agent")) }
        for text in [nil, "translation"] {
            var query = AgentQuery(text: text)
            query.limit = 3
            var seen: [String] = []
            var added = false
            repeat {
                let page = try fixture.store.search(query)
                seen += page.agents.map(\.summaryJSON)
                if !added {
                    added = true
                    try fixture.createAgent(100 + (text == nil ? 0 : 1), StoreFixture.card(name: "Late", description: "translation agent"))
                }
                query.cursor = page.nextCursor
            } while query.cursor != nil
            #expect(Set(seen).count == seen.count, "no agent twice")
            #expect(seen.count >= 7)
        }
        var bad = AgentQuery()
        bad.cursor = "not-a-cursor"
        #expect(throws: AgentStore.StoreError.self) { try fixture.store.search(bad) }
        // Any pair of integers is a position, in either order (no overflow, no error).
        for (text, sort) in [(nil, nil), ("translation", nil), (nil, AgentQuery.Sort.score)] as [(String?, AgentQuery.Sort?)] {
            for cursor in ["999999999999999999.999999999999999999", "0.0", "3.0", "0.999999999999999999"] {
                var any = AgentQuery()
                any.text = text
                any.sort = sort
                any.cursor = cursor
                _ = try fixture.store.search(any)
            }
        }
    }
}

@Suite("Store: filter plans")
struct StoreFilterPlanTests {
    /// Over `commonFilterAgents` agents share a tag (checked while walking the sort order), five
    /// also have a rare one (looked up first): both plans must give the plain query's answers.
    @Test("a common filter and a rare one find exactly the agents that pass them")
    func commonAndRareFilters() throws {
        let fixture = try StoreFixture()
        let total = AgentStore.commonFilterAgents + 20
        for start in stride(from: 1, through: total, by: 100) {   // the fixture numbers logs in a UInt8
            try fixture.block((start...min(start + 99, total)).flatMap { n in
                let agent = StoreFixture.address(n)
                let card = StoreFixture.card(name: "Agent \(n)", tags: n <= 5 ? ["common", "rare"] : ["common"])
                return [(agent, agent, ChainEvent.Payload.card(CardVersion(origin: .log, raw: card.abiEncoded(), outcome: .success(card)),
                                                              owner: fixture.owner)),
                        (agent, fixture.factory, .created(factory: fixture.factory, owner: fixture.owner))]
            })
        }
        for sort in [nil, AgentQuery.Sort.recent, .score] {
            var plain = AgentQuery()
            plain.sort = sort
            plain.limit = 100
            var common = plain
            common.tag = "common"
            var seen = Set<String>()
            var cursor: String?
            repeat {
                plain.cursor = cursor
                common.cursor = cursor
                let expected = try fixture.names(plain)
                #expect(try fixture.names(common) == expected)
                seen.formUnion(expected)
                cursor = try fixture.store.search(plain).nextCursor
            } while cursor != nil
            #expect(seen.count == total)

            var rare = plain
            rare.tag = "rare"
            rare.cursor = nil
            #expect(Set(try fixture.names(rare)) == Set((1...5).map { "Agent \($0)" }))
        }
    }
}
