import Foundation

/// The outcome of running a program to completion.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs `executable` with `arguments` and waits. Output goes through temporary files, so a large
/// output can never block the child on a full pipe.
func runCommand(_ executable: String, _ arguments: [String]) throws -> CommandResult {
    let directory = FileManager.default.temporaryDirectory
    let outURL = directory.appendingPathComponent("agentindex-test-\(UUID().uuidString).out")
    let errURL = directory.appendingPathComponent("agentindex-test-\(UUID().uuidString).err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus,
                         stdout: try String(contentsOf: outURL, encoding: .utf8),
                         stderr: try String(contentsOf: errURL, encoding: .utf8))
}

/// Runs the built `agentindex` binary.
func agentindex(_ arguments: String...) throws -> CommandResult {
    try runCommand(Paths.binary, arguments)
}

/// Starts the built `agentindex` binary with `arguments`, its output discarded, and returns
/// without waiting: for tests that stop it themselves (`kill -9`).
func startAgentIndex(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Paths.binary)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}
