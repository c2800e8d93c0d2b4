import AgentCards
import EthereumCore
import Foundation
import Testing
@testable import Store

@Suite("Store: search cache")
struct SearchCacheTests {
    func names(_ page: AgentPage) -> [String] {
        page.agents.map { (try? JSONValue(parsing: $0.summaryJSON))?["name"]?.stringValue ?? "?" }
    }

    @Test("a repeated query is served from memory until a commit, by this or another connection")
    func emptiedByCommits() throws {
        let fixture = try StoreFixture()
        try fixture.createAgent(1, StoreFixture.card(name: "Legal One", description: "legal translation"))
        let cache = SearchCache(store: fixture.store, capacityBytes: 1 << 20)
        let query = AgentQuery(text: "legal")

        #expect(names(try cache.search(query)) == ["Legal One"])
        #expect(names(try cache.search(query)) == ["Legal One"])
        #expect(cache.counts.hits == 1 && cache.counts.misses == 1)

        try fixture.createAgent(2, StoreFixture.card(name: "Legal Two", description: "legal review"))
        #expect(Set(names(try cache.search(query))) == ["Legal One", "Legal Two"])
        #expect(cache.counts.misses == 2)

        // A reader in another "process" (its own store on the same file) sees the writer's commits.
        let reader = try AgentStore(path: fixture.directory.appendingPathComponent("index.sqlite").path, readOnly: true)
        let readerCache = SearchCache(store: reader, capacityBytes: 1 << 20)
        #expect(names(try readerCache.search(query)).count == 2)
        try fixture.createAgent(3, StoreFixture.card(name: "Legal Three", description: "legal advice"))
        #expect(names(try readerCache.search(query)).count == 3)
    }

    @Test("the budget evicts the oldest pages; a zero budget stores nothing")
    func budget() throws {
        let fixture = try StoreFixture()
        for n in 1...6 { try fixture.createAgent(n, StoreFixture.card(name: "Agent \(n)", description: "word\(n) shared")) }
        let onePage = try fixture.store.search(AgentQuery(text: "word1")).agents[0].summaryJSON.utf8.count + 200
        let cache = SearchCache(store: fixture.store, capacityBytes: onePage)
        _ = try cache.search(AgentQuery(text: "word1"))
        _ = try cache.search(AgentQuery(text: "word2"))      // evicts word1
        _ = try cache.search(AgentQuery(text: "word2"))
        _ = try cache.search(AgentQuery(text: "word1"))
        #expect(cache.counts.hits == 1 && cache.counts.misses == 3)

        let off = SearchCache(store: fixture.store, capacityBytes: 0)
        _ = try off.search(AgentQuery(text: "shared"))
        _ = try off.search(AgentQuery(text: "shared"))
        #expect(off.counts.hits == 0)
    }
}
