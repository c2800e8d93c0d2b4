import ArgumentParser
import Documents
import EthereumCore
import Foundation
import Store

/// `agentindex documents`: the off-chain documents the fetcher holds — list them, requeue them,
/// or fetch what is due now.
struct DocumentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "documents",
        abstract: "List, requeue or fetch the off-chain documents (registration files, A2A cards, domain proofs, feedback files).",
        discussion: """
            Prints one JSON object per document on stdout: uri, kind, status, fetchedAt, sha256, \
            contentVerified, cardSignature, lastError, url, address, httpStatus, failures. \
            --retry-failed and --refresh make documents due now; --fetch fetches everything due \
            (with the config's fetch: section and flags), then lists.
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var fetchOptions: FetchOptions
    @OptionGroup var logging: LoggingOptions

    @Option(name: .long, help: "Only the documents of this agent (its id, as the API shows it).")
    var agent: String?

    @Option(name: .long, help: "Only documents with this status (pending, ok, stale, failed, invalid, unsupported, refused).")
    var status: String?

    @Flag(name: .customLong("retry-failed"), help: "Make the documents whose last attempt failed due now.")
    var retryFailed = false

    @Flag(name: .long, help: "Make every listed document due now (refresh).")
    var refresh = false

    @Flag(name: .long, help: "Fetch every document due now (and those they make due), then list.")
    var fetch = false

    @Option(name: .long, help: "List at most this many documents.")
    var limit: Int = 1_000

    func run() throws {
        let logger = logging.bootstrap()
        var config = try options.resolve()
        try fetchOptions.apply(to: &config)
        let agentID: AgentID?
        if let agent {
            guard let parsed = AgentID(parsing: agent.removingPercentEncoding ?? agent) else {
                throw ConfigError("--agent", "'\(agent)' is not an agent id (eip155:<chain>:<address> or eip155:<chain>/erc721:<registry>/<id>)")
            }
            agentID = parsed
        } else {
            agentID = nil
        }
        let statusFilter: DocumentStatus?
        if let status {
            guard let parsed = DocumentStatus(rawValue: status), parsed != .absent else { throw ConfigError("--status", "'\(status)' is not a document status") }
            statusFilter = parsed
        } else {
            statusFilter = nil
        }
        guard limit >= 1 else { throw ConfigError("--limit", "must be at least 1") }
        let store = try AgentStore(path: config.database)
        if retryFailed {
            let count = try store.requeueDocuments(agent: agentID, failedOnly: true)
            FileHandle.standardError.write(Data("requeued \(count) failed documents\n".utf8))
        }
        if refresh {
            let count = try store.requeueDocuments(agent: agentID, failedOnly: false)
            FileHandle.standardError.write(Data("requeued \(count) documents\n".utf8))
        }
        if fetch {
            let fetcher = DocumentFetcher(store: store, policy: config.fetch, payments: ChainPaymentLookup(chains: config.chains),
                                          logger: logger, idlePoll: 0.2)
            let attempts = fetcher.fetchDue()
            FileHandle.standardError.write(Data("fetched: \(attempts) attempts\n".utf8))
        }
        for document in try store.documentList(agent: agentID, status: statusFilter, limit: limit) {
            print(document.serialized())
        }
    }
}
