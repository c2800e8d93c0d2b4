import Foundation

/// An exclusive claim on a database for one follower process: an `flock` on `DATABASE.lock`,
/// which the kernel releases when the process ends, however it ends (`kill -9` included), so a
/// crashed follower never leaves a stale lock behind.
///
/// ```swift
/// let lock = try WriterLock(database: "agentindex.sqlite")   // throws if another follower holds it
/// defer { lock.release() }
/// ```
public final class WriterLock: @unchecked Sendable {
    /// Another process holds the lock.
    public struct Held: Error, CustomStringConvertible {
        public var database: String
        public var holder: String

        public var description: String {
            "another follower (\(holder)) is already writing \(database); stop it first, or give this one another --db"
        }
    }

    public let path: String
    private var descriptor: Int32

    public init(database: String) throws {
        path = database + ".lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            descriptor = -1
            throw Held(database: database, holder: holder.map { $0.isEmpty ? "unknown" : $0 } ?? "unknown")
        }
        let note = Array("pid \(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = note.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// Gives the database up (also done when the process ends).
    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
