import DiscoveryAPI
import EthereumCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The indexer's secp256k1 key: a file holding `0x` and 64 hex digits, readable by its owner only.
///
/// Created with mode 0600 (opened with `O_CREAT | O_EXCL`, so two processes starting at once end
/// with one key) on first start when absent. A key file that group or others may read is refused,
/// as ssh refuses a private key that is too open.
///
/// ```swift
/// let signer = try SigningKeyFile.signer(at: "agentindex.sqlite.key")
/// signer.address   // 0x…
/// ```
enum SigningKeyFile {
    static func signer(at path: String) throws -> AnswerSigner {
        if !FileManager.default.fileExists(atPath: path) { try create(at: path) }
        var info = stat()
        guard stat(path, &info) == 0 else { throw ConfigError("signing.keyFile", "cannot read \(path): \(String(cString: strerror(errno)))") }
        guard info.st_mode & 0o077 == 0 else {
            throw ConfigError("signing.keyFile", "\(path) may be read by others (mode \(String(info.st_mode & 0o777, radix: 8))); chmod 600 it")
        }
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = try? Hex.decode(text, prefix: .optional), key.count == 32, let signer = try? AnswerSigner(privateKey: key) else {
            throw ConfigError("signing.keyFile", "\(path) does not hold a secp256k1 private key (0x and 64 hex digits)")
        }
        return signer
    }

    /// A new random key at `path`, mode 0600; an existing file is left alone.
    static func create(at path: String) throws {
        var generator = SystemRandomNumberGenerator()
        var key: [UInt8]
        repeat {
            key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        } while (try? AnswerSigner(privateKey: key)) == nil
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return }
            throw ConfigError("signing.keyFile", "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let text = Array((Hex.encode(key) + "\n").utf8)
        guard write(descriptor, text, text.count) == text.count, fsync(descriptor) == 0 else {
            throw ConfigError("signing.keyFile", "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
