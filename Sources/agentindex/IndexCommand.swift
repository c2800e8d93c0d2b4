import ArgumentParser
import Foundation
import Indexer
import Logging

/// `agentindex index`: the follower only. Writes the database; serves nothing.
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Follow the configured chains and write the database (no API).",
        discussion: "Prints one JSON line per chain on stdout when it has caught up; then keeps polling until SIGTERM/SIGINT, or exits with --once."
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var fetch: FetchOptions
    @OptionGroup var logging: LoggingOptions

    @Flag(name: .long, help: "Exit once every chain has caught up with head minus confirmations (no documents are fetched; see `documents --fetch`).")
    var once = false

    func run() async throws {
        let logger = logging.bootstrap()
        var config = try options.resolve()
        try fetch.apply(to: &config)
        let group = try FollowerGroup(config: config, logger: logger)
        if once {
            for follower in group.followers {
                let started = ContinuousClock.now
                try follower.catchUpRetrying()
                CaughtUpReport.print(CaughtUpReport.line(follower, elapsed: ContinuousClock.now - started))
            }
            group.store.checkpoint()
            return
        }
        let documents = DocumentStage.fetcher(store: group.store, config: config, logger: logger)
        let trap = SignalTrap {
            documents?.stop()
            group.stop()
        }
        group.start()
        documents?.start()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                group.waitUntilStopped()
                done.resume()
            }
        }
        documents?.waitUntilStopped(timeout: .seconds(2))
        withExtendedLifetime(trap) {}
        logger.info("stopped")
    }
}

/// `--log-level`; logs go to stderr, results to stdout.
struct LoggingOptions: ParsableArguments {
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var level: String = "info"

    @Option(name: .customLong("log-format"), help: "text, json, or auto: text on a terminal, JSON lines otherwise.")
    var format: String = "auto"

    /// Installs the log handler and the metrics backend; returns the root logger.
    func bootstrap() -> Logger {
        ProcessMetrics.bootstrap()
        let level = Logger.Level(rawValue: self.level) ?? .info
        let json = format == "json" || (format == "auto" && !ProgressDisplay.isTerminal)
        LoggingSystem.bootstrap { label in
            if json {
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "agentindex")
    }
}
