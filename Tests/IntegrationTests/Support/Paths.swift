import Foundation

/// Where the repository, the built binary and the devnet live, seen from a test.
enum Paths {
    /// The repository root (two levels above this file's folder).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let devnet = root.appendingPathComponent("Tests/Devnet/devnet").path

    /// The `agentindex` binary: `$AGENTINDEX_BIN`, else next to the test bundle, else `.build/debug`.
    static var binary: String {
        if let override = ProcessInfo.processInfo.environment["AGENTINDEX_BIN"] { return override }
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("agentindex").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("agentindex").path,
            root.appendingPathComponent(".build/debug/agentindex").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }
}
