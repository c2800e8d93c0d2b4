import AgentCards
import GRDB

extension AgentStore {
    /// bm25 column weights for name, description, skills, tags, provider: a word in the name
    /// outweighs the same word in the description five times.
    static let bm25Weights = "10.0, 2.0, 4.0, 3.0, 1.0"

    /// Runs a discovery query. Only listed agents with a valid current card are found.
    ///
    /// Text with no words in it (`?q=!!!`) matches nothing; `sort=relevance` without text is
    /// discovery order.
    ///
    /// - Throws: ``StoreError/invalidCursor`` for a cursor that is not `<a>.<b>`.
    public func search(_ query: AgentQuery) throws -> AgentPage {
        var match: String?
        if let text = query.text {
            guard let expression = AgentQuery.matchExpression(text) else { return AgentPage(agents: [], nextCursor: nil) }
            match = expression
        }
        let sort = match == nil && query.sort == .relevance ? nil : query.sort ?? (match == nil ? nil : .relevance)
        let cursor = try query.cursor.map { text in
            guard let cursor = PageCursor(decoding: text, ranked: sort != nil) else { throw StoreError.invalidCursor }
            return cursor
        }
        let limit = min(max(query.limit, 1), AgentQuery.maxLimit)

        return try read { db in
            var filters: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            let fewAgents = try Self.addFilters(query, to: &filters, &arguments, db: db, walking: query.text == nil)
            let narrowed = filters.count > (query.active == .any ? 2 : 3)

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
                // otherwise pick `agent_searchable` (most agents pass it) and sort every row. A
                // filter that only a few agents pass is better looked up first: the planner's choice.
                var from = switch sort {
                case .score where !fewAgents: "agent a INDEXED BY agent_score"
                case .recent where !fewAgents: "agent a INDEXED BY agent_recent"
                default: "agent a"
                }
                if let match, sort == .relevance, !narrowed,
                   let best = try Self.bestMatches(db, match: match, filters: filters, arguments: arguments,
                                                   offset: offset, limit: limit) {
                    return try Self.page(db, rows: best, limit: limit, next: .ranked(offset: offset + limit, asOf: asOf))
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
                    SELECT a.id, \(rank) AS relevance, a.score FROM \(from)
                    WHERE \(filters.joined(separator: " AND "))
                    ORDER BY \(order) LIMIT ? OFFSET ?
                    """, arguments: StatementArguments(arguments))
                next = .ranked(offset: offset + limit, asOf: asOf)
            } else {
                if case .afterID(let id)? = cursor { filters.append("a.id > ?"); arguments.append(id) }
                arguments.append(limit + 1)
                rows = try Row.fetchAll(db, sql: """
                    SELECT a.id, NULL, a.score FROM agent a
                    WHERE \(filters.joined(separator: " AND "))
                    ORDER BY a.id LIMIT ?
                    """, arguments: StatementArguments(arguments))
                if limit < rows.count { next = .afterID(rows[limit - 1][0]) }
            }
            return try Self.page(db, rows: rows, limit: limit, next: next)
        }
    }

    /// The page of a relevance-ordered text query whose only filters are the usual ones (listed,
    /// valid, active), from the best-ranked matches alone: the join then never visits the other
    /// thousands of agents that share a common word. Nil when too few of them pass the filters;
    /// the caller then runs the full query. The filtered best matches are a prefix of all the
    /// filtered matches in rank order, so a full page from them is the exact page.
    private static func bestMatches(_ db: Database, match: String, filters: [String],
                                    arguments: [(any DatabaseValueConvertible)?], offset: Int, limit: Int) throws -> [Row]? {
        let candidates = max(256, 2 * (offset + limit + 1))
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.id, best.relevance, a.score FROM (
                SELECT rowid, bm25(agent_fts, \(bm25Weights)) AS relevance FROM agent_fts
                WHERE agent_fts MATCH ? ORDER BY relevance, rowid LIMIT ?) best
            JOIN agent a ON a.id = best.rowid
            WHERE \(filters.joined(separator: " AND "))
            ORDER BY best.relevance, a.id LIMIT ? OFFSET ?
            """, arguments: StatementArguments([match, candidates] + arguments + [limit + 1, offset]))
        return rows.count == limit + 1 ? rows : nil
    }

    /// The hits of `rows` (id, relevance, score) with their summaries, and the next cursor when
    /// there was one row more than the page.
    private static func page(_ db: Database, rows: [Row], limit: Int, next: PageCursor?) throws -> AgentPage {
        let page = rows.prefix(limit)
        let summaries = try summaries(db, ids: page.map { $0[0] })
        let hits = page.compactMap { row in
            summaries[row[0]].map { AgentPage.Hit(summaryJSON: $0, rank: (row[1] as Double?).map { -$0 }, score: row[2]) }
        }
        return AgentPage(agents: hits, nextCursor: rows.count > limit ? next?.encoded : nil)
    }

    /// The stored summaries of one page of agents, read after the sort so that the sorter never
    /// carries a summary (about 2 KB each) for every match of a common word.
    private static func summaries(_ db: Database, ids: [Int64]) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let rows = try Row.fetchCursor(db, sql: "SELECT id, summary_json FROM agent WHERE id IN (\(marks))",
                                       arguments: StatementArguments(ids))
        var byID: [Int64: String] = [:]
        while let row = try rows.next() { byID[row[0]] = row[1] }
        return byID
    }

    /// Agents matching a filter of at least this many agents are found by walking the result
    /// order and checking each; fewer are looked up first.
    static let commonFilterAgents = 1_000

    /// `a.id IN (…)` for a value few agents have (the planner starts from those few), and a
    /// correlated `EXISTS` for a common one when the query walks `agent` in its result order
    /// (`walking`: no text), so the walk stops at the page instead of listing every match.
    private static func membership(_ db: Database, table: String, condition: String,
                                   values: [any DatabaseValueConvertible], walking: Bool,
                                   arguments: inout [(any DatabaseValueConvertible)?]) throws -> (sql: String, few: Bool) {
        arguments += values.map { $0 }
        guard walking else { return ("a.id IN (SELECT agent FROM \(table) WHERE \(condition))", false) }
        let count = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM (SELECT 1 FROM \(table) WHERE \(condition) LIMIT \(commonFilterAgents))
            """, arguments: StatementArguments(values)) ?? 0
        return count == commonFilterAgents
            ? ("EXISTS (SELECT 1 FROM \(table) f WHERE f.agent = a.id AND \(condition))", false)
            : ("a.id IN (SELECT agent FROM \(table) WHERE \(condition))", true)
    }

    /// Adds the query's filters; true when one of them is passed by only a few agents.
    private static func addFilters(_ query: AgentQuery, to filters: inout [String],
                                   _ arguments: inout [(any DatabaseValueConvertible)?],
                                   db: Database, walking: Bool) throws -> Bool {
        var fewAgents = false
        /// `a.<name> = value`: through the column's index when few agents have the value, else
        /// checked on the walk (`+` keeps the planner off the index).
        func column(_ name: String, _ value: any DatabaseValueConvertible) throws {
            let count = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM (SELECT 1 FROM agent WHERE \(name) = ? LIMIT \(commonFilterAgents))
                """, arguments: [value]) ?? 0
            let few = count < commonFilterAgents
            filters.append(few ? "a.\(name) = ?" : "+a.\(name) = ?")
            arguments.append(value)
            fewAgents = fewAgents || few
        }
        func member(_ table: String, _ condition: String, _ values: [any DatabaseValueConvertible]) throws {
            let filter = try membership(db, table: table, condition: condition, values: values,
                                        walking: walking, arguments: &arguments)
            filters.append(filter.sql)
            fewAgents = fewAgents || filter.few
        }
        // Nearly every agent is listed, valid and active: `+` keeps those terms off
        // `agent_searchable`, which the planner (without statistics) would scan instead of a
        // selective filter's index. Inactive agents are few: that query may use it.
        switch query.active {
        case .active: filters += ["+a.listed = 1", "+a.valid = 1", "+a.active = 1"]
        case .inactive:
            filters += ["a.listed = 1", "a.valid = 1", "a.active = 0"]
            fewAgents = true
        case .any: filters += ["+a.listed = 1", "+a.valid = 1"]
        }
        if let skill = query.skill {
            try member("agent_skill", "(skill_id = ? OR name = ?)", [SearchText.normalize(skill), SearchText.normalize(skill)])
        }
        if let tag = query.tag {
            try member("agent_tag", "tag = ?", [SearchText.normalize(tag)])
        }
        for (direction, mode) in [("in", query.inputMode), ("out", query.outputMode)] {
            if let mode {
                try member("agent_mode", "direction = '\(direction)' AND mode = ?", [SearchText.normalize(mode)])
            }
        }
        if query.asset != nil || query.network != nil {
            var terms: [String] = []
            var values: [any DatabaseValueConvertible] = []
            if let asset = query.asset { terms.append("asset = ?"); values.append(asset.lowercased) }
            if let network = query.network { terms.append("network = ?"); values.append(SearchText.normalize(network)) }
            try member("agent_payment", terms.joined(separator: " AND "), values)
        }
        if let source = query.source {
            try member("agent_source", "kind = ? AND listed = 1", [source.rawValue])
        }
        if let service = query.service {
            try member("agent_service", "name = ?", [SearchText.normalize(service)])
        }
        if let standard = query.standard {
            try column("standard", standard.rawValue)
        }
        if let chainID = query.chainID {
            try column("chain_id", Int64(clamping: chainID))
        }
        if let x402 = query.x402 {
            filters.append("+a.x402 = ?")
            arguments.append(x402)
        }
        if let signature = query.cardSignature {
            filters.append("+a.card_signature = ?")
            arguments.append(signature)
        }
        if let verified = query.domainVerified {
            filters.append("+a.domain_verified = ?")
            arguments.append(verified)
        }
        if let owner = query.owner {
            filters.append("a.owner = ?")
            arguments.append(owner.lowercased)
            fewAgents = true   // an owner has a handful of agents: start from `agent_owner`
        }
        if let minScore = query.minScore {
            filters.append("a.score >= ?")
            arguments.append(minScore)
        }
        return fewAgents
    }
}
