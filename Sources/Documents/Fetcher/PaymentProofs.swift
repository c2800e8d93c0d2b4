import EthereumCore

/// Looks up what a transaction moved, for checking a feedback file's `proofOfPayment` against the
/// chain (the agent binary answers it with `eth_getTransactionReceipt` on the followed chains).
public protocol PaymentLookup: Sendable {
    /// The transfers of followed tokens in `transaction` on `chainID`; nil when that chain is not
    /// followed. Throws when the chain could not be asked (the document is tried again later).
    func transfers(chainID: UInt64, transaction: [UInt8]) throws -> TransactionTransfers?
}

/// What a transaction did, as far as a payment proof cares.
public enum TransactionTransfers: Sendable, Hashable {
    /// The chain knows no such transaction.
    case unknown
    /// The transaction failed.
    case reverted
    /// It succeeded; the followed tokens it moved.
    case moved([TokenMove])
}

/// One ERC-20 `Transfer` of a followed token.
public struct TokenMove: Sendable, Hashable {
    public var token: EthereumAddress
    public var from: EthereumAddress
    public var to: EthereumAddress
    public var value: UInt256

    public init(token: EthereumAddress, from: EthereumAddress, to: EthereumAddress, value: UInt256) {
        self.token = token; self.from = from; self.to = to; self.value = value
    }
}

/// The verdict on a feedback file's `proofOfPayment {fromAddress, toAddress, chainId, txHash}`:
/// `verified` when that transaction moved a followed token from `fromAddress` to `toAddress`;
/// `mismatch` when it did not (or the proof is malformed, or the transaction is unknown or
/// failed); `unverifiable` when the proof names a chain this index does not follow; `absent`
/// when the file has no proof.
///
/// ```swift
/// let (verdict, reason) = try PaymentProofs.check(file, lookup: lookup)   // ("verified", nil)
/// ```
public enum PaymentProofs {
    public static func check(_ file: JSONValue, lookup: (any PaymentLookup)?) throws -> (verdict: String, reason: String?) {
        guard let proof = file["proofOfPayment"], proof != .null else { return ("absent", nil) }
        guard case .object = proof,
              let fromText = proof["fromAddress"]?.stringValue, let from = try? EthereumAddress(fromText.lowercased()),
              let toText = proof["toAddress"]?.stringValue, let to = try? EthereumAddress(toText.lowercased()),
              let txText = proof["txHash"]?.stringValue, let tx = try? Hex.decode(txText), tx.count == 32 else {
            return ("mismatch", "proofOfPayment is malformed (fromAddress, toAddress, txHash)")
        }
        let chainID: UInt64?
        switch proof["chainId"] {
        case .number(let text)?: chainID = UInt64(text)
        case .string(let text)?: chainID = UInt64(text) ?? (text.lowercased().hasPrefix("eip155:") ? UInt64(text.dropFirst(7)) : nil)
        default: chainID = nil
        }
        guard let chainID else { return ("mismatch", "proofOfPayment has no chainId") }
        guard let lookup, let found = try lookup.transfers(chainID: chainID, transaction: tx) else {
            return ("unverifiable", "chain \(chainID) is not followed by this index")
        }
        switch found {
        case .unknown: return ("mismatch", "chain \(chainID) has no transaction \(Hex.encode(tx))")
        case .reverted: return ("mismatch", "the transaction \(Hex.encode(tx)) failed")
        case .moved(let moves):
            if moves.contains(where: { $0.from == from && $0.to == to && $0.value > UInt256(0) }) { return ("verified", nil) }
            return ("mismatch", "the transaction moved no followed token from \(from.checksummed) to \(to.checksummed)")
        }
    }
}
