import Foundation
import Indexer

/// While followers backfill on a terminal: one line per chain on stderr, redrawn each second
/// (block, %, blocks/s, logs/s, ETA). Not used when stderr is not a TTY (logs are JSON there).
final class ProgressDisplay: @unchecked Sendable {
    private let followers: [ChainFollower]
    private let timer: DispatchSourceTimer
    private var drawn = 0

    /// True when stderr is a terminal.
    static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    init(followers: [ChainFollower]) {
        self.followers = followers
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "progress"))
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [weak self] in self?.draw() }
    }

    func start() { timer.resume() }

    func stop() {
        timer.cancel()
    }

    private func draw() {
        var text = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
        for follower in followers {
            text += "\u{1B}[2K\r" + follower.progress.line + "\n"
        }
        drawn = followers.count
        FileHandle.standardError.write(Data(text.utf8))
    }
}
