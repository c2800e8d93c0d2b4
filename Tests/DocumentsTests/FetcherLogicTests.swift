@testable import Documents
import EthereumCore
import Foundation
import Store
import Testing

/// The fetcher's decisions that need no network: when to try again, what a payment proof
/// proves, and what a `data:` document or an unsupported URI becomes.
@Suite("Fetcher: schedule, payment proofs, documents without a network")
struct FetcherLogicTests {
    @Test("backoff doubles from the minimum to the maximum; Retry-After is honoured up to the maximum; refreshes follow the interval")
    func schedule() {
        var policy = FetchPolicy()
        policy.minRetryDelay = .seconds(60)
        policy.maxRetryDelay = .seconds(86_400)
        policy.refreshInterval = .seconds(3_600)
        let schedule = RetrySchedule(policy: policy)
        #expect((0..<6).map { schedule.afterFailure(now: 1_000, previousFailures: $0, retryAfter: nil) - 1_000 } == [60, 120, 240, 480, 960, 1_920])
        #expect(schedule.afterFailure(now: 0, previousFailures: 40, retryAfter: nil) == 86_400)
        #expect(schedule.afterFailure(now: 0, previousFailures: 0, retryAfter: .seconds(7_200)) == 7_200)
        #expect(schedule.afterFailure(now: 0, previousFailures: 0, retryAfter: .seconds(10 * 86_400)) == 86_400)
        #expect(schedule.afterSuccess(now: 5, immutable: false) == 3_605 && schedule.afterSuccess(now: 5, immutable: true) == nil)
    }

    /// A chain that knows one transaction: a USDC transfer from `payer` to `payee`.
    struct OneTransaction: PaymentLookup {
        static let tx = [UInt8](repeating: 0xAB, count: 32)
        static let payer = try! EthereumAddress("0x00000000000000000000000000000000000000a1")
        static let payee = try! EthereumAddress("0x00000000000000000000000000000000000000b2")
        static let usdc = try! EthereumAddress("0x00000000000000000000000000000000000000e1")
        func transfers(chainID: UInt64, transaction: [UInt8]) throws -> TransactionTransfers? {
            guard chainID == 31337 else { return nil }
            guard transaction == Self.tx else { return .unknown }
            return .moved([TokenMove(token: Self.usdc, from: Self.payer, to: Self.payee, value: UInt256(1_000_000))])
        }
    }

    static func proof(from: EthereumAddress = OneTransaction.payer, to: EthereumAddress = OneTransaction.payee,
                      chain: String = "31337", tx: [UInt8] = OneTransaction.tx) throws -> JSONValue {
        try JSONValue(parsing: #"{"proofOfPayment":{"fromAddress":"\#(from.checksummed)","toAddress":"\#(to.checksummed)","chainId":\#(chain),"txHash":"\#(Hex.encode(tx))"}}"#)
    }

    @Test("a payment proof is verified only by a transfer of a followed token from the payer to the payee in that transaction")
    func paymentProofs() throws {
        let lookup = OneTransaction()
        #expect(try PaymentProofs.check(Self.proof(), lookup: lookup).verdict == "verified")
        #expect(try PaymentProofs.check(Self.proof(chain: #""eip155:31337""#), lookup: lookup).verdict == "verified")
        #expect(try PaymentProofs.check(Self.proof(from: OneTransaction.payee, to: OneTransaction.payer), lookup: lookup).verdict == "mismatch")
        #expect(try PaymentProofs.check(Self.proof(tx: [UInt8](repeating: 1, count: 32)), lookup: lookup).verdict == "mismatch")
        #expect(try PaymentProofs.check(Self.proof(chain: "8453"), lookup: lookup).verdict == "unverifiable")
        #expect(try PaymentProofs.check(JSONValue(parsing: #"{"proofOfPayment":{"txHash":"0x12"}}"#), lookup: lookup).verdict == "mismatch")
        #expect(try PaymentProofs.check(JSONValue(parsing: #"{"score":1}"#), lookup: lookup).verdict == "absent")
        #expect(try PaymentProofs.check(Self.proof(), lookup: nil).verdict == "unverifiable")
    }

    static let reader = DocumentReader(client: GuardedHTTPClient(guard: FetchGuard(policy: FetchPolicy())), policy: FetchPolicy())

    static func task(_ uri: String, _ kind: DocumentKind) -> DocumentTask {
        DocumentTask(id: 1, uri: uri, kind: kind, status: .pending, etag: nil, lastModified: nil, failures: 0)
    }

    @Test("a data: feedback file is read without the network, once and for all; unsupported and malformed URIs are never retried")
    func withoutNetwork() throws {
        let file = #"{"comment":"fine"}"#
        let result = Self.reader.read(Self.task("data:application/json;base64," + Data(file.utf8).base64EncodedString(), .feedback), now: 50)
        guard case .content(let content) = result.outcome else { Issue.record("\(result.outcome)"); return }
        #expect(content.bytes == Array(file.utf8) && content.keccak256 == Hex.encode(Keccak256.hash(Array(file.utf8))))
        #expect(content.paymentProof == "absent" && result.nextAttemptAt == nil)
        let unsupported = Self.reader.read(Self.task("ftp://files.example/a.json", .registration), now: 50)
        #expect(unsupported.outcome == .failure(.unsupported, "the scheme 'ftp' is not supported") && unsupported.nextAttemptAt == nil)
        let badIPFS = Self.reader.read(Self.task("ipfs://not-a-cid", .registration), now: 50)
        guard case .failure(.invalid, _) = badIPFS.outcome else { Issue.record("\(badIPFS.outcome)"); return }
        #expect(badIPFS.nextAttemptAt == nil)
        let notAFile = Self.reader.read(Self.task("data:application/json,%5B1%5D", .registration), now: 50)
        guard case .failure(.invalid, let reason) = notAFile.outcome else { Issue.record("\(notAFile.outcome)"); return }
        #expect(reason.contains("not a JSON object"))
    }

    @Test("a guard refusal never reaches the network: private and loopback addresses in URIs are refused at once")
    func refusedAtOnce() {
        for uri in ["https://127.0.0.1/agent.json", "https://[::1]/a.json", "https://169.254.169.254/latest/meta-data", "https://10.1.2.3/x"] {
            let result = Self.reader.read(Self.task(uri, .registration), now: 0)
            guard case .failure(.refused, _) = result.outcome else { Issue.record("\(uri): \(result.outcome)"); continue }
            #expect(result.address == nil, "\(uri) was connected to")
        }
    }
}
