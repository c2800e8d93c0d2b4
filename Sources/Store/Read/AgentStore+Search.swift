import AgentCards
import GRDB

extension AgentStore {
    /// bm25 column weights for name, description, skills, tags, provider: a word in the name
    /// outweighs the same word in the description five times.
    static let bm25Weights = "10.0, 2.0, 4.0, 3.0, 1.0"

    /// Runs a discovery query. Only listed agents with a valid current card are found.
    ///
    /// - Throws: ``StoreError/invalidCursor`` for a cursor this store did not issue, and
    ///   ``StoreError/invalidQuery(_:)`` for text with no words in it.
    public func search(_ query: AgentQuery) throws -> AgentPage {
        let cursor = try query.cursor.map { text in
            guard let cursor = PageCursor(decoding: text) else { throw StoreError.invalidCursor }
            return cursor
        }
        var match: String?
        if let text = query.text {
            guard let expression = AgentQuery.matchExpression(text) else {
                throw StoreError.invalidQuery("q has no words to search for")
            }
            match = expression
        }
        if let cursor, (cursor.score == nil) != (match == nil) { throw StoreError.invalidCursor }
        let limit = min(max(query.limit, 1), AgentQuery.maxLimit)

        return try read { db in
            var filters = ["a.listed = 1", "a.valid = 1"]
            var arguments: [(any DatabaseValueConvertible)?] = []
            Self.addFilters(query, to: &filters, &arguments)
            let asOf = try cursor?.asOf ?? Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM agent") ?? 0

            let sql: String
            if let match {
                filters.append("a.id <= ?"); arguments.append(asOf)
                var outer = ""
                if let cursor, let score = cursor.score {
                    outer = "WHERE score > ? OR (score = ? AND id > ?)"
                    arguments += [score, score, cursor.id]
                }
                sql = """
                    SELECT id, summary_json, score FROM (
                        SELECT a.id AS id, a.summary_json AS summary_json,
                               bm25(agent_fts, \(Self.bm25Weights)) AS score
                        FROM agent_fts JOIN agent a ON a.id = agent_fts.rowid
                        WHERE agent_fts MATCH ? AND \(filters.joined(separator: " AND "))
                    ) \(outer)
                    ORDER BY score, id LIMIT ?
                    """
                arguments.insert(match, at: 0)
            } else {
                if let cursor { filters.append("a.id > ?"); arguments.append(cursor.id) }
                sql = """
                    SELECT a.id, a.summary_json, NULL FROM agent a
                    WHERE \(filters.joined(separator: " AND "))
                    ORDER BY a.id LIMIT ?
                    """
            }
            arguments.append(limit + 1)

            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
            var hits: [AgentPage.Hit] = []
            var last: PageCursor?
            for row in rows.prefix(limit) {
                let score: Double? = row[2]
                hits.append(AgentPage.Hit(summaryJSON: row[1], rank: score.map { -$0 }))
                last = PageCursor(score: score, id: row[0], asOf: asOf)
            }
            return AgentPage(agents: hits, nextCursor: rows.count > limit ? last?.encoded : nil)
        }
    }

    private static func addFilters(_ query: AgentQuery, to filters: inout [String],
                                   _ arguments: inout [(any DatabaseValueConvertible)?]) {
        switch query.active {
        case .active: filters.append("a.active = 1")
        case .inactive: filters.append("a.active = 0")
        case .any: break
        }
        if let skill = query.skill {
            filters.append("a.id IN (SELECT agent FROM agent_skill WHERE skill_id = ? OR name = ?)")
            arguments += [SearchText.normalize(skill), SearchText.normalize(skill)]
        }
        if let tag = query.tag {
            filters.append("a.id IN (SELECT agent FROM agent_tag WHERE tag = ?)")
            arguments.append(SearchText.normalize(tag))
        }
        for (direction, mode) in [("in", query.inputMode), ("out", query.outputMode)] {
            if let mode {
                filters.append("a.id IN (SELECT agent FROM agent_mode WHERE direction = '\(direction)' AND mode = ?)")
                arguments.append(SearchText.normalize(mode))
            }
        }
        if query.asset != nil || query.network != nil {
            var terms: [String] = []
            if let asset = query.asset { terms.append("asset = ?"); arguments.append(asset.lowercased) }
            if let network = query.network { terms.append("network = ?"); arguments.append(SearchText.normalize(network)) }
            filters.append("a.id IN (SELECT agent FROM agent_payment WHERE \(terms.joined(separator: " AND ")))")
        }
        if let source = query.source {
            filters.append("a.id IN (SELECT agent FROM agent_source WHERE kind = ? AND listed = 1)")
            arguments.append(source.rawValue)
        }
        if let owner = query.owner {
            filters.append("a.owner = ?")
            arguments.append(owner.lowercased)
        }
    }
}
