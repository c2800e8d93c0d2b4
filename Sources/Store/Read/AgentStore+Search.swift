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
        let sort = query.sort ?? (match == nil ? nil : .relevance)
        if sort == .relevance, match == nil { throw StoreError.invalidQuery("sort=relevance needs q") }
        switch (cursor, sort) {
        case (.afterID?, .some), (.ranked?, nil): throw StoreError.invalidCursor
        default: break
        }
        let limit = min(max(query.limit, 1), AgentQuery.maxLimit)

        return try read { db in
            var filters = ["a.listed = 1", "a.valid = 1"]
            var arguments: [(any DatabaseValueConvertible)?] = []
            Self.addFilters(query, to: &filters, &arguments)

            let rows: [Row]
            var next: PageCursor?
            if let sort {
                let (offset, asOf): (Int, Int64)
                if case .ranked(let o, let a)? = cursor { (offset, asOf) = (o, a) } else {
                    (offset, asOf) = (0, try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM agent") ?? 0)
                }
                filters.append("a.id <= ?")
                arguments.append(asOf)
                // Without text, walk the sort's own index and stop at the page: the planner would
                // otherwise pick `agent_searchable` (most agents pass it) and sort every row.
                var from = switch sort {
                case .score: "agent a INDEXED BY agent_score"
                case .recent: "agent a INDEXED BY agent_recent"
                case .relevance: "agent a"
                }
                var rank = "NULL"
                if let match {
                    from = "agent_fts JOIN agent a ON a.id = agent_fts.rowid"
                    rank = "bm25(agent_fts, \(Self.bm25Weights))"
                    filters.insert("agent_fts MATCH ?", at: 0)
                    arguments.insert(match, at: 0)
                }
                let order = switch sort {
                case .relevance: "relevance, a.id"
                case .score: match == nil ? "a.score DESC, a.id" : "a.score DESC, relevance, a.id"
                case .recent: "a.last_activity_block DESC, a.id"
                }
                arguments += [limit + 1, offset]
                rows = try Row.fetchAll(db, sql: """
                    SELECT a.id, a.summary_json, \(rank) AS relevance, a.score FROM \(from)
                    WHERE \(filters.joined(separator: " AND "))
                    ORDER BY \(order) LIMIT ? OFFSET ?
                    """, arguments: StatementArguments(arguments))
                next = .ranked(offset: offset + limit, asOf: asOf)
            } else {
                if case .afterID(let id)? = cursor { filters.append("a.id > ?"); arguments.append(id) }
                arguments.append(limit + 1)
                rows = try Row.fetchAll(db, sql: """
                    SELECT a.id, a.summary_json, NULL, a.score FROM agent a
                    WHERE \(filters.joined(separator: " AND "))
                    ORDER BY a.id LIMIT ?
                    """, arguments: StatementArguments(arguments))
                if limit < rows.count { next = .afterID(rows[limit - 1][0]) }
            }
            let hits = rows.prefix(limit).map { row in
                AgentPage.Hit(summaryJSON: row[1], rank: (row[2] as Double?).map { -$0 }, score: row[3])
            }
            return AgentPage(agents: Array(hits), nextCursor: rows.count > limit ? next?.encoded : nil)
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
        if let minScore = query.minScore {
            filters.append("a.score >= ?")
            arguments.append(minScore)
        }
    }
}
